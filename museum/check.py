"""Checking the file store against the database: every file matches its hash, nothing is orphaned."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.models import Asset, AssetTier, ExhibitMedia, Photo, PhotoTemplate, StoredFile
from museum.storage import LocalFileStore, sha256_file


def referenced_hashes(session: Session) -> set[str]:
    """Return the hash of every file some row points at."""
    refs: set[str] = set(session.scalars(select(AssetTier.sha256)))
    refs.update(h for h in session.scalars(select(Asset.poster_sha256)) if h)
    refs.update(session.scalars(select(Asset.sha256)))
    for column in (Photo.capture_sha256, Photo.full_sha256, Photo.phone_sha256, Photo.thumb_sha256,
                   PhotoTemplate.frame_sha256):
        refs.update(h for h in session.scalars(select(column)) if h)
    refs.update(session.scalars(select(Asset.sha256).join(ExhibitMedia, ExhibitMedia.asset_id == Asset.id)))
    return refs


def check_store(session: Session, store: LocalFileStore) -> dict[str, Any]:
    """Verify each stored file's bytes against its hash and list what is missing, corrupt or orphaned."""
    rows = {r.sha256: r for r in session.scalars(select(StoredFile))}
    on_disk = set(store.hashes())
    corrupt = []
    for sha in sorted(on_disk & set(rows)):
        path = store.path(sha)
        if path is None or sha256_file(path) != sha:
            corrupt.append(sha)
    referenced = referenced_hashes(session)
    return {
        "files": len(on_disk),
        "rows": len(rows),
        "missing": sorted(set(rows) - on_disk),
        "corrupt": corrupt,
        "orphan_files": sorted(on_disk - set(rows)),
        "unreferenced_rows": sorted(set(rows) - referenced),
    }
