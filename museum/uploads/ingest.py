"""Turning an uploaded model into a stored asset: the asset pipeline's tiers and poster, recorded once per hash."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from assets.memory import MemoryBudget
from museum.core.db import get_db
from museum.core.errors import Unprocessable, library_error
from museum.core.jobs import JobContext, JobFailed
from museum.core.storage import LocalFileStore
from museum.models import Asset
from museum.uploads.store import asset_by_sha, record_file, set_tier

MEDIA_TYPES = {".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".zip": "application/zip"}
UPLOAD_SUFFIXES = frozenset(MEDIA_TYPES)
# A model's check holds it about three times in memory (read, its buffers, the packed GLB for the validator), and
# a zip of a few megabytes can hold hundreds of megabytes of model. So one web process checks models within one
# budget: uploads beyond it wait their turn, and one model larger than the budget is checked alone.
CHECK_BUDGET = 768 << 20
CHECK_COPIES = 3
CHECK_OVERHEAD = 64 << 20  # the parsed JSON and the rest, beside the copies
_checking = MemoryBudget(CHECK_BUDGET)


@dataclass(frozen=True)
class Intake:
    """What the check of a staged upload found it to be: the asset it becomes (its hash, kind and media type, and
    what the check learnt of it, kept as the asset's inspection)."""

    sha256: str
    kind: str
    media_type: str
    inspection: dict[str, Any] | None = None


def model_bytes(source: Path) -> int:
    """Return how many bytes of model an upload holds: the file, or a zip's members uncompressed."""
    if source.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(source) as archive:
                return sum(max(0, info.file_size) for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return source.stat().st_size  # intake refuses it with the reason
    return source.stat().st_size


@contextmanager
def processing_staged(ctx: JobContext, payload: dict[str, Any], with_issues: bool = False) -> Iterator[Path]:
    """Run a job on a staged upload (payload: asset_id, staging): yield the staging folder, the asset processing.

    The folder is removed once the job is done; when it fails for good (refused, or its last attempt failed),
    `staged_job_failed` removes it and marks the asset. After a fault of ours it stays for the queue's retry. A
    refusal of the asset library (AssetRejected) marks the asset failed with its problem (and the validator's
    issues, `with_issues`) and ends the job without a retry.
    """
    from assets.errors import AssetRejected

    database = get_db(ctx.app)
    with database.write() as session:
        asset = session.get(Asset, payload["asset_id"])
        if asset is None:
            raise JobFailed("asset_missing", "The asset was deleted before it was processed.")
        asset.status = "processing"
    try:
        yield Path(payload["staging"])
    except AssetRejected as exc:
        with database.write() as session:
            asset = session.get(Asset, payload["asset_id"])
            if asset is not None:
                asset.status = "failed"
                asset.problems = [{"code": exc.code, "message": exc.message, "pointer": exc.pointer}]
                if with_issues:
                    asset.validator = {"issues": getattr(exc, "issues", [])[:50]}
        raise JobFailed(exc.code, exc.message, exc.pointer) from exc
    shutil.rmtree(payload["staging"], ignore_errors=True)


# A fault of ours is not the curator's to read (a trace, a path): the asset says what happened and what to do.
_OUR_FAULT = "The museum could not process this file (a fault of the server, not of the file); upload it again."


def staged_job_failed(app: Flask, session: Session, payload: dict[str, Any], error: dict[str, Any]) -> None:
    """Settle a staged upload whose job failed for good: its folder removed, its asset failed with the reason."""
    shutil.rmtree(payload["staging"], ignore_errors=True)
    asset = session.get(Asset, payload["asset_id"])
    if asset is None or asset.status not in ("queued", "processing"):
        return  # deleted meanwhile, or already failed with the library's reason
    ours = error.get("code") in ("job_error", "worker_died")
    asset.status = "failed"
    asset.problems = [{"code": "processing_failed" if ours else error.get("code"),
                       "message": _OUR_FAULT if ours else error.get("message"), "pointer": error.get("pointer")}]


def staging_root(app: Flask) -> Path:
    """Return the folder where uploads wait for processing (outside the content store)."""
    root = Path(app.instance_path) / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    return root


def check_staged(source: Path) -> Any:
    """Check an upload before it is queued: intake, then the Khronos validator on the packed original.

    Errors the pipeline repairs do not refuse the upload. Raises museum errors (4xx) naming the problem;
    returns the checked upload.
    """
    from assets.errors import AssetRejected
    from assets.intake import check_upload
    from assets.pack import pack_glb
    from assets.repair import blocking_errors
    from assets.validator import validate_bytes

    try:
        with _checking.hold(CHECK_COPIES * model_bytes(source) + CHECK_OVERHEAD):
            checked = check_upload(source)
            report = validate_bytes(pack_glb(checked))
    except AssetRejected as exc:
        raise library_error(exc) from exc
    blocking = blocking_errors(report)
    if blocking:
        first = blocking[0]
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
    from museum.core.db import get_db
    from museum.core.media_types import file_url

    store = app.extensions["museum.storage"]
    with tempfile.TemporaryDirectory(prefix="museum-ingest-", dir=staging_root(app)) as tmp:
        try:  # the pipeline runs intake and the validator first and raises the same rejections
            result = ingest(source, Path(tmp) / "work")
        except AssetRejected as exc:
            raise library_error(exc) from exc
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
