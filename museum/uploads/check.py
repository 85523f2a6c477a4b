"""Checking every store against the database: each file matches its hash, nothing is missing or left behind.

Covered: the content-addressed file store (files and their `StoredFile` rows), the private photo store (files of
`Photo` rows), the upload staging folder (uploads waiting for their ingest job) and the stores' temp folders.
A file or folder younger than the grace period is never called an orphan: it may belong to a write whose row is
not committed yet. `repair` removes only what nothing can need (orphans past the grace period, abandoned staging
folders, temp files of interrupted writes); missing and corrupt files are reported, for a restore from backup.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.storage import LocalFileStore, sha256_file
from museum.models import Asset, AssetTier, ExhibitMedia, Job, Photo, PhotoTemplate, Setting, StoredFile
from museum.photos.service import FILE_COLUMNS

GRACE_SECONDS = 3600.0
PHOTO_COLUMNS = (Photo.capture_sha256, Photo.full_sha256, Photo.phone_sha256, Photo.thumb_sha256)
SCENE_CACHE_PREFIX = "scene.glb:"  # Settings rows naming the cached composed scene of a gallery
STAGING_PREFIXES = ("upload-", "museum-ingest-")


def referenced_hashes(session: Session) -> set[str]:
    """Return the hash of every file in the file store some row points at."""
    refs: set[str] = set(session.scalars(select(AssetTier.sha256)))
    refs.update(h for h in session.scalars(select(Asset.poster_sha256)) if h)
    refs.update(session.scalars(select(Asset.sha256)))
    for column in (*PHOTO_COLUMNS, PhotoTemplate.frame_sha256):
        refs.update(h for h in session.scalars(select(column)) if h)
    refs.update(session.scalars(select(Asset.sha256).join(ExhibitMedia, ExhibitMedia.asset_id == Asset.id)))
    for setting in session.scalars(select(Setting).where(Setting.key.startswith(SCENE_CACHE_PREFIX))):
        sha = (setting.value or {}).get("sha256")
        if isinstance(sha, str):
            refs.add(sha)
    return refs


def _older(path: Path, now: float, grace: float) -> bool:
    try:
        return now - path.stat().st_mtime > grace
    except FileNotFoundError:
        return False


def _corrupt(store: LocalFileStore, hashes: set[str]) -> list[str]:
    bad = []
    for sha in sorted(hashes):
        path = store.path(sha)
        if path is None or sha256_file(path) != sha:
            bad.append(sha)
    return bad


def _stale_tmp(store: LocalFileStore, now: float, grace: float) -> list[Path]:
    tmp = store.root / "tmp"
    return sorted(p for p in tmp.iterdir() if _older(p, now, grace)) if tmp.is_dir() else []


def _pending_staging(session: Session) -> set[str]:
    """Return the staging folders that queued or running ingest jobs still need."""
    jobs = session.scalars(select(Job).where(Job.status.in_(("queued", "running"))))
    return {str(Path(job.payload["staging"]).resolve()) for job in jobs if isinstance(job.payload.get("staging"), str)}


def check_store(session: Session, store: LocalFileStore, photos: LocalFileStore | None = None,
                staging: Path | None = None, grace: float = GRACE_SECONDS) -> dict[str, Any]:
    """Verify every store against the database; list what is missing, corrupt, orphaned or abandoned."""
    now = time.time()
    rows = set(session.scalars(select(StoredFile.sha256)))
    on_disk = set(store.hashes())
    referenced = referenced_hashes(session)
    report: dict[str, Any] = {
        "files": len(on_disk),
        "rows": len(rows),
        "missing": sorted(rows - on_disk),
        "corrupt": _corrupt(store, on_disk & rows),
        "orphan_files": sorted(sha for sha in on_disk - rows if _older(store._target(sha), now, grace)),
        "unreferenced_rows": sorted(rows - referenced),
        "stale_tmp": [str(p) for p in _stale_tmp(store, now, grace)],
    }
    if photos is not None:
        live: set[str] = set()
        for photo in session.scalars(select(Photo)):
            live.update(h for column in FILE_COLUMNS if (h := getattr(photo, column)))
        held = set(photos.hashes())
        report.update({
            "photo_files": len(held),
            "photo_missing": sorted(live - held),
            "photo_corrupt": _corrupt(photos, held & live),
            "photo_orphans": sorted(sha for sha in held - live if _older(photos._target(sha), now, grace)),
        })
        report["stale_tmp"] += [str(p) for p in _stale_tmp(photos, now, grace)]
    if staging is not None:
        needed = _pending_staging(session)
        folders = sorted(p for p in staging.iterdir() if p.name.startswith(STAGING_PREFIXES)) \
            if staging.is_dir() else []
        report["abandoned_staging"] = [str(p) for p in folders
                                       if str(p.resolve()) not in needed and _older(p, now, grace)]
    return report


def problems(report: dict[str, Any]) -> bool:
    """Return whether a report shows damage (missing or corrupt files) rather than leftovers."""
    return any(report.get(key) for key in ("missing", "corrupt", "photo_missing", "photo_corrupt"))


def repair(report: dict[str, Any], store: LocalFileStore, photos: LocalFileStore | None = None,
           grace: float = GRACE_SECONDS) -> dict[str, int]:
    """Remove what the report found left behind and nothing can need; return how many of each were removed."""
    removed = {"orphan_files": 0, "photo_orphans": 0, "stale_tmp": 0, "abandoned_staging": 0}
    now = time.time()
    # Looked at again just before removal: a file stored again since the check (same bytes) has a fresh time.
    for sha in report.get("orphan_files", []):
        if _older(store._target(sha), now, grace):
            removed["orphan_files"] += store.delete(sha)
    if photos is not None:
        for sha in report.get("photo_orphans", []):
            if _older(photos._target(sha), now, grace):
                removed["photo_orphans"] += photos.delete(sha)
    for name in report.get("stale_tmp", []):
        Path(name).unlink(missing_ok=True)
        removed["stale_tmp"] += 1
    for name in report.get("abandoned_staging", []):
        shutil.rmtree(name, ignore_errors=True)
        removed["abandoned_staging"] += 1
    return removed
