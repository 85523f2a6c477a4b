"""Curators' model uploads: checked at once, tiered in the job queue, followed through a status URL."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, request, url_for
from sqlalchemy import select
from werkzeug.utils import secure_filename

from museum import db
from museum.api import openapi
from museum.asset_store import record_file
from museum.auth import CAN_EDIT, current_principal, require_role
from museum.catalogue.serialize import models_json, poster_url
from museum.errors import BadRequest, NotFound, UnsupportedMedia
from museum.ingest import (
    UPLOAD_SUFFIXES,
    check_staged,
    record_pipeline_result,
    staging_root,
)
from museum.jobs import JobContext, JobFailed, enqueue, job_json, register_handler
from museum.media import file_url
from museum.media_uploads import MEDIA_SUFFIXES, check_media
from museum.models import Asset, AuditEvent, Job

bp = Blueprint("assets_api", __name__, url_prefix="/api/v1/assets")


def asset_json(asset: Asset, job: Job | None) -> dict[str, Any]:
    """Describe an asset and the state of its processing."""
    return {
        "id": asset.id,
        "sha256": asset.sha256,
        "kind": asset.kind,
        "url": file_url(asset.sha256, asset.media_type) if asset.kind != "model" else None,
        "status": asset.status,
        "original_name": asset.original_name,
        "media_type": asset.media_type,
        "bytes": asset.bytes,
        "tiers": models_json(asset),
        "poster_url": poster_url(asset),
        "inspection": asset.inspection or None,
        "validator": asset.validator or None,
        "problems": asset.problems,
        "job": job_json(job) if job is not None else None,
        "status_url": f"/api/v1/assets/{asset.id}",
    }


def _latest_job(session: Any, asset_id: int) -> Job | None:
    jobs = session.scalars(select(Job).where(Job.kind == "asset.ingest").order_by(Job.id.desc())).all()
    return next((j for j in jobs if j.payload.get("asset_id") == asset_id), None)


@bp.post("")
@require_role(CAN_EDIT)
def upload_asset() -> Any:
    """Accept a model upload (multipart field `file`): 202 with a status URL, or a 4xx naming the problem."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("Send the model as the multipart field `file`.", code="file_missing", pointer="/file")
    name = secure_filename(upload.filename) or "upload"
    suffix = Path(name).suffix.lower()
    if suffix in MEDIA_SUFFIXES:
        return _store_media(upload.read(), suffix, upload.filename)
    if suffix not in UPLOAD_SUFFIXES:
        raise UnsupportedMedia("Upload a model (.glb, .gltf, or a .zip of a .gltf with its files), an image "
                               "(.png, .jpg, .webp), audio (.mp3, .ogg, .m4a, .wav) or captions (.vtt).",
                               code="UNSUPPORTED_FILE_TYPE", pointer="/file")
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=staging_root(current_app)))
    try:
        source = staging / name
        upload.save(source)
        checked = check_staged(source)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    session = db.session()
    principal = current_principal()
    existing = session.scalar(select(Asset).where(Asset.sha256 == checked.sha256))
    if existing is not None and existing.status in ("ready", "queued", "processing"):
        shutil.rmtree(staging, ignore_errors=True)
        return asset_json(existing, _latest_job(session, existing.id)), 200
    asset = existing or Asset(sha256=checked.sha256, kind="model", media_type=checked.media_type,
                              bytes=source.stat().st_size, original_name=upload.filename[:300],
                              uploaded_by_id=principal.user_id if principal else None)
    asset.status = "queued"
    session.add(asset)
    session.flush()
    job = enqueue(session, "asset.ingest", {"asset_id": asset.id, "staging": str(staging), "name": name})
    session.add(AuditEvent(actor_user_id=principal.user_id if principal else None,
                           actor=principal.name if principal else "", action="upload", target_type="asset",
                           target_id=str(asset.id), detail={"name": name, "sha256": asset.sha256},
                           ip=request.remote_addr or ""))
    session.commit()
    body = asset_json(asset, job)
    return body, 202, {"Location": url_for("assets_api.get_asset", asset_id=asset.id)}


def _store_media(data: bytes, suffix: str, original_name: str) -> Any:
    """Store a checked image, audio or captions file at once: 201 (200 when the same file exists)."""
    checked = check_media(data, suffix)
    session = db.session()
    principal = current_principal()
    stored = record_file(session, current_app.extensions["museum.storage"], checked.data, checked.media_type)
    existing = session.scalar(select(Asset).where(Asset.sha256 == stored.sha256))
    if existing is not None:
        session.commit()
        return asset_json(existing, None), 200
    asset = Asset(sha256=stored.sha256, kind=checked.kind, media_type=checked.media_type, bytes=stored.bytes,
                  original_name=original_name[:300], status="ready",
                  uploaded_by_id=principal.user_id if principal else None)
    session.add(asset)
    session.flush()
    session.add(AuditEvent(actor_user_id=principal.user_id if principal else None,
                           actor=principal.name if principal else "", action="upload", target_type="asset",
                           target_id=str(asset.id), detail={"name": original_name[:300], "sha256": asset.sha256,
                                                            "kind": asset.kind},
                           ip=request.remote_addr or ""))
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
    from assets.errors import AssetRejected
    from assets.pipeline import ingest

    app = ctx.app
    staging = Path(payload["staging"])
    database = db.get_db(app)
    with database.write() as session:
        asset = session.get(Asset, payload["asset_id"])
        if asset is None:
            shutil.rmtree(staging, ignore_errors=True)
            raise JobFailed("asset_missing", "The asset was deleted before it was processed.")
        asset.status = "processing"
    try:
        workdir = staging / "work"
        try:
            result = ingest(staging / payload["name"], workdir, progress=ctx.progress)
        except AssetRejected as exc:
            with database.write() as session:
                failed = session.get(Asset, payload["asset_id"])
                if failed is not None:
                    failed.status = "failed"
                    failed.problems = [{"code": exc.code, "message": exc.message, "pointer": exc.pointer}]
                    failed.validator = {"issues": getattr(exc, "issues", [])[:50]}
            raise JobFailed(exc.code, exc.message, exc.pointer) from exc
        with database.write() as session:
            asset = record_pipeline_result(session, app.extensions["museum.storage"], result,
                                           payload["name"], None)
            summary = {"asset_id": asset.id, "tiers": sorted(result.tiers)}
    except JobFailed:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except BaseException:
        # A fault of ours (a tool crashed, a disk filled): the queue retries, so the upload stays staged
        # until the last attempt.
        if ctx.last_attempt:
            shutil.rmtree(staging, ignore_errors=True)
            with database.write() as session:
                broken = session.get(Asset, payload["asset_id"])
                if broken is not None:
                    broken.status = "failed"
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return summary


register_handler("asset.ingest", ingest_job)

_ERROR = {"application/json": {"schema": openapi.ref("Error")}}
OPENAPI_PATHS = {
    "/api/v1/assets": {"post": {
        "summary": "Upload a model (checked at once, tiered in the job queue: 202) or an image, audio or WebVTT "
                   "captions (checked and stored at once: 201) (curator)",
        "security": [{"bearer": []}],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": openapi.obj(
            {"file": {"type": "string", "format": "binary"}})}}},
        "responses": {
            "202": openapi.json_response(openapi.ref("AssetStatus"), "Model accepted; follow status_url"),
            "201": openapi.json_response(openapi.ref("AssetStatus"), "Image, audio or captions stored"),
            "200": openapi.json_response(openapi.ref("AssetStatus"), "Identical bytes were uploaded before"),
            **{code: {"description": text, "content": _ERROR} for code, text in (
                ("400", "No file"), ("401", "Not signed in"), ("403", "Role may not upload"),
                ("413", "Too large"), ("415", "Not a glTF upload"),
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
OPENAPI_SCHEMAS = {
    "AssetStatus": openapi.obj({
        "id": openapi.INT, "sha256": openapi.STR, "kind": {"enum": ["model", "image", "audio", "captions"]},
        "url": openapi.NSTR, "status": {"enum": ["queued", "processing", "ready", "failed"]},
        "original_name": openapi.STR, "media_type": openapi.STR, "bytes": openapi.INT,
        "tiers": openapi.ref("Models"), "poster_url": openapi.NSTR,
        "inspection": openapi.nullable({"type": "object"}), "validator": openapi.nullable({"type": "object"}),
        "problems": {"type": "array", "items": {"type": "object"}},
        "job": openapi.nullable({"type": "object"}), "status_url": openapi.STR}),
}


def init_app(app: Flask) -> None:
    """Register the upload routes and document them."""
    app.register_blueprint(bp)
    openapi.add_paths(app, OPENAPI_PATHS, OPENAPI_SCHEMAS)

