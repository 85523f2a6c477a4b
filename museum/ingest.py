"""Turning an uploaded model into a stored asset: the asset pipeline's tiers and poster, recorded once per hash."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from museum.asset_store import asset_by_sha, record_file, set_tier
from museum.errors import ApiError, Unprocessable
from museum.models import Asset
from museum.storage import LocalFileStore

MEDIA_TYPES = {".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".zip": "application/zip"}
UPLOAD_SUFFIXES = frozenset(MEDIA_TYPES)


def staging_root(app: Flask) -> Path:
    """Return the folder where uploads wait for processing (outside the content store)."""
    root = Path(app.instance_path) / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    return root


def check_staged(source: Path) -> Any:
    """Check an upload before it is queued: intake, then the Khronos validator on the packed original.

    Raises museum errors (4xx) naming the problem; returns the checked upload.
    """
    from assets.errors import AssetRejected
    from assets.intake import check_upload
    from assets.pack import pack_glb
    from assets.validator import validate_bytes

    try:
        checked = check_upload(source)
        report = validate_bytes(pack_glb(checked))
    except AssetRejected as exc:
        raise ApiError(exc.message, code=exc.code, pointer=exc.pointer, status=exc.status) from exc
    if report.errors:
        first = report.error_messages[0] if report.error_messages else {}
        raise Unprocessable(
            f"The Khronos glTF-Validator found {report.errors} error(s); first: "
            f"{first.get('code', '?')}: {first.get('message', '')}",
            code=str(first.get("code", "GLTF_VALIDATION_ERROR")), pointer=first.get("pointer") or None)
    return checked


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


def ingest_path(app: Flask, source: Path) -> dict[str, Any]:
    """Ingest a .glb, a .gltf with its files beside it, or a .zip, synchronously; return the DESIGN.md summary."""
    from assets.errors import AssetRejected
    from assets.pipeline import ingest
    from museum.db import get_db
    from museum.media import file_url

    store = app.extensions["museum.storage"]
    with tempfile.TemporaryDirectory(prefix="museum-ingest-", dir=staging_root(app)) as tmp:
        try:  # the pipeline runs intake and the validator first and raises the same rejections
            result = ingest(source, Path(tmp) / "work")
        except AssetRejected as exc:
            raise ApiError(exc.message, code=exc.code, pointer=exc.pointer, status=exc.status) from exc
        with get_db(app).write() as session:
            asset = record_pipeline_result(session, store, result, source.name, None)
            tiers = {
                t.tier: {"url": file_url(t.sha256, t.media_type), "path": str(store.path(t.sha256)),
                         "bytes": t.bytes, "triangles": t.triangles}
                for t in asset.tiers
            }
            return {
                "id": asset.id,
                "sha256": asset.sha256,
                "tiers": tiers,
                "poster": file_url(asset.poster_sha256, "image/webp") if asset.poster_sha256 else None,
                "validator": {"errors": result.validator.get("errors", 0),
                              "warnings": result.validator.get("warnings", 0)},
                "problems": result.problems,
            }


def ingest_many(database: Any, store: LocalFileStore, blobs: dict[str, bytes], workers: int = 2) -> dict[str, int]:
    """Ingest several models (name -> bytes) in parallel; return name -> asset id. Known bytes are not redone."""
    from concurrent.futures import ThreadPoolExecutor

    from assets.pipeline import ingest

    digests = {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}
    ids: dict[str, int] = {}
    with database.read() as session:
        for name, sha in digests.items():
            existing = asset_by_sha(session, sha)
            if existing is not None and existing.status == "ready" and existing.tiers:
                ids[name] = existing.id
    todo = [name for name in blobs if name not in ids]

    def work(name: str) -> int:
        with tempfile.TemporaryDirectory(prefix="museum-ingest-") as tmp:
            source = Path(tmp) / (Path(name).name if Path(name).suffix else f"{name}.glb")
            source.write_bytes(blobs[name])
            result = ingest(source, Path(tmp) / "work")
            with database.write() as session:
                return int(record_pipeline_result(session, store, result, source.name, None).id)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for name, asset_id in zip(todo, pool.map(work, todo), strict=True):
            ids[name] = asset_id
    return ids
