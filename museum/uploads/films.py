"""Curators' films: checked when uploaded, made into renditions and a poster in the job queue.

The upload is written to staging (never held in memory) and probed at once, so a file that is not a film, or one
too long or too large, is a 4xx before anything is queued. The `film.renditions` job makes the phone and desktop
renditions and the poster (`assets.video`) and records them as the asset's tiers `small` and `large`; the upload
itself is kept as tier `original`. A job that fails for bad input marks the asset failed with its problem.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from museum.core import db
from museum.core.errors import library_error
from museum.core.jobs import JobContext, JobFailed, enqueue
from museum.core.storage import sha256_file
from museum.identity import audit
from museum.identity.principal import current_principal
from museum.models import Asset, Job
from museum.uploads.ingest import processing_staged, staging_root
from museum.uploads.store import asset_by_sha, record_file, set_tier

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from assets.video import FilmResult
    from museum.core.storage import LocalFileStore

FILM_JOB = "film.renditions"


def store_film_upload(upload: FileStorage, suffix: str, original: str,
                      describe: Any) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Stage and probe a film upload; queue its renditions (202), or answer the asset it already is (200)."""
    from assets.errors import AssetRejected
    from assets.video import MEDIA_TYPES, probe

    staging = Path(tempfile.mkdtemp(prefix="film-", dir=staging_root(current_app)))
    name = f"upload{suffix}"
    try:
        source = staging / name
        upload.save(source)
        try:
            info = probe(source, suffix)
        except AssetRejected as exc:
            raise library_error(exc) from exc
        sha256 = sha256_file(source)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    session = db.session()
    principal = current_principal()
    existing = asset_by_sha(session, sha256)
    if existing is not None and existing.status in ("ready", "queued", "processing"):
        shutil.rmtree(staging, ignore_errors=True)
        return describe(existing, latest_job(session, existing.id)), 200, {}
    asset = existing or Asset(sha256=sha256, kind="video", media_type=MEDIA_TYPES[suffix],
                              bytes=source.stat().st_size, original_name=original,
                              uploaded_by_id=principal.user_id if principal else None)
    asset.status, asset.problems = "queued", []
    asset.inspection = {"width": info.upright_size[0], "height": info.upright_size[1],
                        "seconds": round(info.seconds, 3), "video_codec": info.video_codec,
                        "audio_codec": info.audio_codec}
    session.add(asset)
    session.flush()
    job = enqueue(session, FILM_JOB, {"asset_id": asset.id, "staging": str(staging), "name": name,
                                      "suffix": suffix}, subject=f"asset:{asset.id}")
    audit.record(session, "upload", principal, target_type="asset", target_id=asset.id,
                 detail={"name": original[:300], "sha256": sha256, "kind": "video"})
    session.commit()
    return describe(asset, job), 202, {"Location": url_for("assets_api.get_asset", asset_id=asset.id)}


def latest_job(session: Any, asset_id: int) -> Job | None:
    """Return the newest renditions job of a film asset."""
    stmt = select(Job).where(Job.subject == f"asset:{asset_id}", Job.kind == FILM_JOB)
    return session.scalars(stmt.order_by(Job.id.desc()).limit(1)).first()


def record_film(session: Session, store: LocalFileStore, asset: Asset, source: Path, result: FilmResult) -> None:
    """Store a film's upload (tier `original`), renditions and poster, and mark the asset ready."""
    upright = result.probe.upright_size
    asset.inspection = {**(asset.inspection or {}), "width": upright[0], "height": upright[1],
                        "seconds": round(result.probe.seconds, 3), "video_codec": result.probe.video_codec,
                        "audio_codec": result.probe.audio_codec, **result.stats}
    original = record_file(session, store, source, asset.media_type)
    set_tier(session, asset, "original", original, 0, 0,
             {"width": upright[0], "height": upright[1], "seconds": round(result.probe.seconds, 3)})
    for rendition in result.renditions:
        stored = record_file(session, store, rendition.path, "video/mp4")
        set_tier(session, asset, rendition.name, stored, 0, 0,
                 {"width": rendition.width, "height": rendition.height, "seconds": round(rendition.seconds, 3)})
    asset.poster_sha256 = record_file(session, store, result.poster_webp, "image/webp").sha256
    asset.status, asset.problems = "ready", []
    session.flush()


def film_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Make a staged film's renditions and poster and record them (the `film.renditions` job)."""
    from assets.video import make_renditions

    with processing_staged(ctx, payload) as staging:
        result = make_renditions(staging / payload["name"], payload["suffix"], staging / "work",
                                 lambda done: ctx.progress("renditions", 0.9 * done))
        ctx.progress("storing", 0.95)
        with db.get_db(ctx.app).write() as session:
            asset = session.get(Asset, payload["asset_id"])
            if asset is None:
                raise JobFailed("asset_missing", "The asset was deleted while it was processed.")
            record_film(session, ctx.app.extensions["museum.storage"], asset, staging / payload["name"], result)
            return {"asset_id": asset.id, "renditions": [r.name for r in result.renditions],
                    "seconds_taken": result.stats["seconds_taken"]}
