"""Registering files and model assets in the content-addressed store and the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.storage import LocalFileStore
from museum.models import Asset, AssetTier, StoredFile


def record_file(session: Session, store: LocalFileStore, data: bytes | Path, media_type: str) -> StoredFile:
    """Store bytes (or a file) once and return its row; identical bytes share one file."""
    sha256 = store.put_bytes(data) if isinstance(data, bytes) else store.put_file(data)
    row = session.get(StoredFile, sha256)
    if row is None:
        size = len(data) if isinstance(data, bytes) else Path(data).stat().st_size
        row = StoredFile(sha256=sha256, media_type=media_type, bytes=size)
        session.add(row)
        session.flush()
    return row


def media_asset(session: Session, store: LocalFileStore, data: bytes, kind: str, media_type: str, original_name: str,
                uploaded_by_id: int | None = None) -> tuple[Asset, bool]:
    """Store a checked picture, audio or captions file as a ready asset; return it and whether it is new."""
    stored = record_file(session, store, data, media_type)
    existing = asset_by_sha(session, stored.sha256)
    if existing is not None:
        return existing, False
    asset = Asset(sha256=stored.sha256, kind=kind, media_type=media_type, bytes=stored.bytes,
                  original_name=original_name[:300], status="ready", uploaded_by_id=uploaded_by_id)
    session.add(asset)
    session.flush()
    return asset, True


def asset_by_sha(session: Session, sha256: str) -> Asset | None:
    """Return the asset whose original bytes have this hash."""
    return session.scalar(select(Asset).where(Asset.sha256 == sha256))


def set_tier(session: Session, asset: Asset, tier: str, stored: StoredFile, triangles: int, draw_calls: int,
             stats: dict[str, Any] | None = None) -> AssetTier:
    """Create or replace one tier of a model asset."""
    row = asset.tier(tier)
    if row is None:
        row = AssetTier(asset=asset, tier=tier, sha256=stored.sha256, bytes=stored.bytes)
        session.add(row)
    row.sha256, row.bytes, row.media_type = stored.sha256, stored.bytes, stored.media_type
    row.triangles, row.draw_calls, row.stats = triangles, draw_calls, stats or {}
    return row
