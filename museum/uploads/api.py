"""Curators' uploads: models and films checked at once and processed in the job queue (followed through a status
URL); pictures, audio and captions checked and stored at once."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from flask import Blueprint, Flask, current_app, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from museum.catalogue.payloads import Models
from museum.catalogue.serialize import film_of, models_json, poster_url
from museum.core import db, openapi, payloads
from museum.core.errors import BadRequest, NotFound, UnsupportedMedia
from museum.core.jobs import JobContext, enqueue, job_json, register_handler
from museum.core.media_types import file_url
from museum.identity import audit
from museum.identity.principal import CAN_EDIT, current_principal, require_role
from museum.models import Asset, Job
from museum.uploads import films
from museum.uploads.ingest import (
    UPLOAD_SUFFIXES,
    Intake,
    check_staged,
    processing_staged,
    record_pipeline_result,
    staged_job_failed,
    staging_root,
)
from museum.uploads.media_checks import MEDIA_SUFFIXES, check_media
from museum.uploads.payloads import AssetStatus
from museum.uploads.store import asset_by_sha, media_asset

INGEST_JOB = "asset.ingest"
FILM_SUFFIXES = frozenset({".mp4", ".mov", ".webm"})
bp = Blueprint("assets_api", __name__, url_prefix="/api/v1/assets")


def asset_json(asset: Asset, job: Job | None) -> dict[str, Any]:
    """Describe an asset and the state of its processing."""
    return AssetStatus(
        id=asset.id, sha256=asset.sha256, kind=cast(Any, asset.kind),
        url=file_url(asset.sha256, asset.media_type) if asset.kind not in ("model", "video") else None,
        status=cast(Any, asset.status), original_name=asset.original_name, media_type=asset.media_type,
        bytes=asset.bytes, tiers=Models.model_validate(models_json(asset) if asset.kind == "model" else {}),
        film=film_of(asset) if asset.kind == "video" else None, poster_url=poster_url(asset),
        inspection=asset.inspection or None, validator=asset.validator or None, problems=asset.problems,
        job=job_json(job) if job is not None else None, status_url=f"/api/v1/assets/{asset.id}").answer()


def _latest_job(session: Any, asset_id: int) -> Job | None:
    stmt = select(Job).where(Job.subject == f"asset:{asset_id}", Job.kind.in_((INGEST_JOB, films.FILM_JOB)))
    return session.scalars(stmt.order_by(Job.id.desc()).limit(1)).first()


def display_name(filename: str) -> str:
    """Return the name a curator gave the file, for display: no folders, no control characters, any script."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable()).strip()[:300] or "upload"


def staging_name(original: str) -> str:
    """Return a safe name for the file on disk: the ASCII letters of the original (else `upload`) and its suffix.

    secure_filename alone turns `模型.glb` into `glb`, losing the suffix that says what the file is.
    """
    path = Path(original)
    suffix = path.suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", path.suffix) else ""
    return (secure_filename(path.stem) or "upload")[:100] + suffix


@bp.post("")
@require_role(CAN_EDIT)
def upload_asset() -> Any:
    """Accept an upload (multipart field `file`): a model or film is checked and queued (202 with a status URL),
    a picture, audio or captions checked and stored (201); else a 4xx naming the problem."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("Send the model as the multipart field `file`.", code="file_missing", pointer="/file")
    original = display_name(upload.filename)
    name = staging_name(original)
    suffix = Path(name).suffix
    if suffix in MEDIA_SUFFIXES:
        return _store_media(upload.read(), suffix, original)
    if suffix in FILM_SUFFIXES:
        return _queue_staged(upload, f"upload{suffix}", original, lambda source: films.film_intake(source, suffix),
                             films.FILM_JOB, {"suffix": suffix})
    if suffix not in UPLOAD_SUFFIXES:
        raise UnsupportedMedia("Upload a model (.glb, .gltf, or a .zip of a .gltf with its files), an image "
                               "(.png, .jpg, .webp), audio (.mp3, .ogg, .m4a, .wav), captions (.vtt) or a film "
                               "(.mp4, .mov, .webm).",
                               code="UNSUPPORTED_FILE_TYPE", pointer="/file")
    return _queue_staged(upload, name, original, _model_intake, INGEST_JOB)


def _model_intake(source: Path) -> Intake:
    checked = check_staged(source)
    return Intake(checked.sha256, "model", checked.media_type)


def _queue_staged(upload: FileStorage, name: str, original: str, check: Callable[[Path], Intake], job_kind: str,
                  extra: dict[str, Any] | None = None) -> Any:
    """Stage an upload on disk under `name` and check it at once; queue the job that processes it (202 with a status
    URL), or answer the asset it already is (200). A refused file leaves nothing behind."""
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=staging_root(current_app)))
    try:
        source = staging / name
        upload.save(source)
        intake = check(source)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    session = db.session()
    principal = current_principal()
    existing = asset_by_sha(session, intake.sha256)
    if existing is not None and existing.status in ("ready", "queued", "processing"):
        shutil.rmtree(staging, ignore_errors=True)
        return asset_json(existing, _latest_job(session, existing.id)), 200
    asset = existing or Asset(sha256=intake.sha256, kind=intake.kind, media_type=intake.media_type,
                              bytes=source.stat().st_size, original_name=original,
                              uploaded_by_id=principal.user_id if principal else None)
    asset.status, asset.problems = "queued", []
    if intake.inspection is not None:
        asset.inspection = intake.inspection
    session.add(asset)
    session.flush()
    job = enqueue(session, job_kind, {"asset_id": asset.id, "staging": str(staging), "name": name, **(extra or {})},
                  subject=f"asset:{asset.id}")
    audit.record(session, "upload", principal, target_type="asset", target_id=asset.id,
                 detail={"name": original[:300], "sha256": asset.sha256, "kind": asset.kind})
    session.commit()
    return asset_json(asset, job), 202, {"Location": url_for("assets_api.get_asset", asset_id=asset.id)}


def _store_media(data: bytes, suffix: str, original_name: str) -> Any:
    """Store a checked image, audio or captions file at once: 201 (200 when the same file exists)."""
    checked = check_media(data, suffix)
    session = db.session()
    principal = current_principal()
    asset, created = media_asset(session, current_app.extensions["museum.storage"], checked.data, checked.kind,
                                 checked.media_type, original_name, principal.user_id if principal else None)
    if not created:
        session.commit()
        return asset_json(asset, None), 200
    audit.record(session, "upload", principal, target_type="asset", target_id=asset.id,
                 detail={"name": original_name[:300], "sha256": asset.sha256, "kind": asset.kind})
    session.commit()
    return asset_json(asset, None), 201, {"Location": url_for("assets_api.get_asset", asset_id=asset.id)}


@bp.get("/<int:asset_id>")
@require_role(CAN_EDIT)
def get_asset(asset_id: int) -> Any:
    """Show an asset's processing status, tiers, poster, inspection and problems."""
    session = db.session()
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(f"No asset {asset_id}.", code="asset_not_found")
    response = asset_json(asset, _latest_job(session, asset_id))
    return response, 200, {"Cache-Control": "no-store"}


def ingest_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Run the asset pipeline on a staged upload and record the tiers (the `asset.ingest` job)."""
    from assets.pipeline import ingest

    with processing_staged(ctx, payload, with_issues=True) as staging:
        result = ingest(staging / payload["name"], staging / "work", progress=ctx.progress)
        with db.get_db(ctx.app).write() as session:
            asset = record_pipeline_result(session, ctx.app.extensions["museum.storage"], result,
                                           payload["name"], None)
            return {"asset_id": asset.id, "tiers": sorted(result.tiers)}



_ERROR = {"application/json": {"schema": openapi.ref("Error")}}
OPENAPI_PATHS = {
    "/api/v1/assets": {"post": {
        "summary": "Upload a model or a film (checked at once, processed in the job queue: 202) or an image, audio "
                   "or WebVTT captions (checked and stored at once: 201) (curator)",
        "security": [{"bearer": []}],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": openapi.obj(
            {"file": {"type": "string", "format": "binary"}})}}},
        "responses": {
            "202": openapi.json_response(openapi.ref("AssetStatus"), "Model or film accepted; follow status_url"),
            "201": openapi.json_response(openapi.ref("AssetStatus"), "Image, audio or captions stored"),
            "200": openapi.json_response(openapi.ref("AssetStatus"), "Identical bytes were uploaded before"),
            **{code: {"description": text, "content": _ERROR} for code, text in (
                ("400", "No file"), ("401", "Not signed in"), ("403", "Role may not upload"),
                ("413", "Too large"), ("415", "Not a file of an accepted kind"),
                ("422", "Rejected: intake or validator error, code and pointer name the problem"))},
        }}},
    "/api/v1/assets/{asset_id}": {"get": {
        "summary": "Processing status, tiers, poster and problems of an asset (curator)",
        "security": [{"bearer": []}],
        "parameters": [{"name": "asset_id", "in": "path", "required": True, "schema": openapi.INT}],
        "responses": {"200": openapi.json_response(openapi.ref("AssetStatus")),
                      "401": {"description": "Not signed in", "content": _ERROR},
                      "403": {"description": "Role may not see uploads", "content": _ERROR},
                      "404": {"description": "No such asset", "content": _ERROR}}}},
}
OPENAPI_SCHEMAS = payloads.schemas(AssetStatus)


def init_app(app: Flask) -> None:
    """Register the upload routes and their job, and document them."""
    app.register_blueprint(bp)
    register_handler(app, INGEST_JOB, ingest_job, on_failed=staged_job_failed)
    register_handler(app, films.FILM_JOB, films.film_job, on_failed=staged_job_failed)
    openapi.add_paths(app, OPENAPI_PATHS, OPENAPI_SCHEMAS)

