"""Curators' films: checked when uploaded, made into renditions and a poster in the job queue.

The upload view writes the upload to staging (never holding it in memory) and probes it at once (`film_intake`),
so a file that is not a film, or one too long or too large, is a 4xx before anything is queued. The
`film.renditions` job makes the phone and desktop renditions and the poster (`assets.video`) and records them as the
asset's tiers `small` and `large`; the upload itself is kept as tier `original`. A job that fails for bad input
marks the asset failed with its problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from museum.core import db
from museum.core.errors import library_error
from museum.core.jobs import JobContext, JobFailed
from museum.core.storage import sha256_file
from museum.models import Asset
from museum.uploads.ingest import Intake, processing_staged
from museum.uploads.store import record_file, set_tier

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from assets.video import FilmResult
    from museum.core.storage import LocalFileStore

FILM_JOB = "film.renditions"


def film_intake(source: Path, suffix: str) -> Intake:
    """Probe a staged film upload at once (a 4xx for what is no film browsers can be given); return its asset."""
    from assets.errors import AssetRejected
    from assets.video import MEDIA_TYPES, probe

    try:
        info = probe(source, suffix)
    except AssetRejected as exc:
        raise library_error(exc) from exc
    return Intake(sha256_file(source), "video", MEDIA_TYPES[suffix],
                  {"width": info.upright_size[0], "height": info.upright_size[1], "seconds": round(info.seconds, 3),
                   "video_codec": info.video_codec, "audio_codec": info.audio_codec})


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
