"""Turning an uploaded model into a stored asset: the asset pipeline's tiers and poster, recorded once per hash."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from museum.asset_store import asset_by_sha, record_file, set_tier
from museum.models import Asset
from museum.storage import LocalFileStore

MEDIA_TYPES = {".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".zip": "application/zip"}


class ModelIngest(Protocol):
    """Something that turns model bytes into a stored Asset."""

    def __call__(self, session: Session, store: LocalFileStore, data: bytes, name: str,
                 uploaded_by: int | None) -> Asset: ...


def record_pipeline_result(session: Session, store: LocalFileStore, result: Any, name: str,
                           uploaded_by: int | None) -> Asset:
    """Store the pipeline's tiers and poster and record the asset (or update the one with the same hash)."""
    asset = asset_by_sha(session, result.sha256)
    if asset is None:
        asset = Asset(sha256=result.sha256, kind="model", media_type=result.media_type, bytes=0,
                      original_name=name, uploaded_by_id=uploaded_by)
        session.add(asset)
    for tier_name, tier in result.tiers.items():
        stored = record_file(session, store, Path(tier.path), "model/gltf-binary")
        set_tier(session, asset, tier_name, stored, tier.triangles, tier.draw_calls, tier.stats)
    original = result.tiers.get("original")
    asset.bytes = original.bytes if original is not None else 0
    if result.poster is not None:
        asset.poster_sha256 = record_file(session, store, Path(result.poster), "image/webp").sha256
    asset.inspection = result.inspection
    asset.validator = result.validator
    asset.problems = result.problems
    asset.status = "ready"
    session.flush()
    return asset


def ingest_model_bytes(session: Session, store: LocalFileStore, data: bytes, name: str,
                       uploaded_by: int | None) -> Asset:
    """Run the asset pipeline on model bytes and record the result; identical bytes are processed once."""
    from assets.pipeline import ingest

    existing = asset_by_sha(session, hashlib.sha256(data).hexdigest())
    if existing is not None and existing.status == "ready" and existing.tiers:
        return existing
    suffix = Path(name).suffix.lower() or ".glb"
    with tempfile.TemporaryDirectory(prefix="museum-ingest-") as tmp:
        source = Path(tmp) / f"upload{suffix}"
        source.write_bytes(data)
        workdir = Path(tmp) / "work"
        workdir.mkdir()
        result = ingest(source, workdir)
        return record_pipeline_result(session, store, result, name, uploaded_by)
