"""The `photo.compose` and `photo.purge` jobs: compose a capture into its template, erase expired photos."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from ar_photo.compose import compose
from ar_photo.errors import PhotoRejected
from ar_photo.normalize import load_photo, open_photo, orientation_of
from ar_photo.prop_layer import PropLayer, load_checked_layer
from ar_photo.props import PropPose, PropRenderer
from museum.cockpit.booth import PHOTO_COMPOSED, PHOTO_FAILED, record_booth_event
from museum.core.db import get_db
from museum.core.jobs import JobContext, JobFailed, enqueue, register_handler
from museum.models import Photo, PhotoTemplate
from museum.models.base import utcnow
from museum.photos.localtime import local_time
from museum.photos.props import prop_sources
from museum.photos.service import (
    COMPOSE_JOB,
    PURGE_EVERY,
    PURGE_JOB,
    UNTIL_COMPOSED,
    drop_file,
    is_gone,
    purge_expired,
)
from museum.photos.store import photo_store
from museum.photos.templates import layout_of, published_template

_sources: dict[str, Path] = {}
# One renderer per worker process: its sprite cache is what makes a popular prop at a popular pose cheap.
_renderer = PropRenderer(_sources.get)


@lru_cache(maxsize=1)
def emblem() -> Image.Image:
    """Return the museum's emblem (a white cross on a green disc with a gold ring), RGBA 256 px."""
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, size - 5, size - 5), fill="#1f6b57", outline="#c9a24b", width=12)
    arm, length = 34, 150
    centre = size // 2
    draw.rectangle((centre - arm, centre - length // 2, centre + arm, centre + length // 2), fill="#ffffff")
    draw.rectangle((centre - length // 2, centre - arm, centre + length // 2, centre + arm), fill="#ffffff")
    return img


def _caption(template: PhotoTemplate) -> dict[str, str]:
    text = template.caption or {}
    return {"zh": text.get("zh-Hans") or text.get("zh-Hant") or "", "en": text.get("en", "")}


def _stored(store: Any, sha: str, code: str, what: str) -> bytes:
    """Return the bytes of one of the booth's inputs, or fail the job naming what is no longer stored."""
    path = store.path(sha)
    if path is None:
        raise JobFailed(code, f"{what} is no longer stored.")
    return bytes(path.read_bytes())


def _layer(store: Any, sha: str | None, box: list[int] | None, poses: list[PropPose], photo: bytes,
           layout: Any) -> PropLayer | None:
    """Return the booth's prop layer of a photo (its checked pixels), checked again as it is read back."""
    if sha is None or box is None:
        return None
    data = _stored(store, sha, "layer_missing", "The booth's prop layer")
    img = open_photo(photo)
    upright = (img.height, img.width) if orientation_of(img) >= 5 else img.size
    window = layout.window
    x, y, w, h = (int(v) for v in box)
    return load_checked_layer(data, (x, y, w, h), poses, upright, window.w / window.h)


def _background(store: Any, sha: str | None) -> Image.Image | None:
    """Return the booth's view of the gallery the guests stand in, if they chose one."""
    if sha is None:
        return None
    return load_photo(_stored(store, sha, "background_missing", "The booth's view of the gallery"))


def compose_photo(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Compose a pending photo, store its three sizes and delete the original capture."""
    app = ctx.app
    database, store, files = get_db(app), photo_store(app), app.extensions["museum.storage"]
    with database.read() as session:
        photo = session.get(Photo, payload["photo_id"])
        if photo is None or photo.status != "pending" or photo.capture_sha256 is None or is_gone(photo):
            return {"skipped": True}
        template = (session.get(PhotoTemplate, photo.template_id) if photo.template_id else None) \
            or published_template(session, None)
        if template is None:
            raise JobFailed("template_missing", "No photo template is published.")
        layout = layout_of(template, files)
        caption = _caption(template)
        _sources.clear()
        _sources.update({slug: path for slug in {p["asset"] for p in photo.props}
                         if (path := prop_sources(session, files)(slug)) is not None})
        poses = [PropPose.from_dict(p) for p in photo.props]
        capture, taken = photo.capture_sha256, photo.created_at
        layer_sha, layer_box = photo.layer_sha256, photo.layer_box
        background_sha = photo.background_sha256
        behind_sha, behind_box = photo.behind_sha256, photo.behind_box
    data = _stored(store, capture, "capture_missing", "The captured photo")
    ctx.progress("compose", 0.1)
    try:
        layer = _layer(store, layer_sha, layer_box, poses, data, layout)
        background = _background(store, background_sha)
        behind = _layer(store, behind_sha, behind_box, poses, data, layout)
        # The date printed on the photo is the museum's local date, not the server's UTC one.
        when = local_time(taken, app.config.get("MUSEUM_TIMEZONE")).date()
        result = compose(data, layout, poses, caption, when, emblem(), _renderer, prop_layer=layer,
                         background=background, behind_layer=behind)
    except PhotoRejected as exc:
        raise JobFailed(exc.code, exc.message) from exc  # photo_failed settles the photo
    del data, layer, background, behind
    ctx.progress("store", 0.8)
    shas = {"full_sha256": store.put_bytes(result.full), "phone_sha256": store.put_bytes(result.phone),
            "thumb_sha256": store.put_bytes(result.thumb)}
    with database.write() as session:
        photo = session.get(Photo, payload["photo_id"])
        if photo is None or photo.status != "pending":
            # Deleted while it was composed: the new files must not outlive the guest's wish.
            for sha in shas.values():
                store.delete(sha)
            return {"skipped": True}
        for column, sha in shas.items():
            setattr(photo, column, sha)
        photo.status = "ready"
        for column in UNTIL_COMPOSED:
            drop_file(session, store, photo, column)
        # The cockpit watches the time from the guest's click to a ready photo (queue wait included).
        record_booth_event(session, PHOTO_COMPOSED, int((utcnow() - taken).total_seconds() * 1000))
    return {"photo_id": payload["photo_id"], "width": result.width, "height": result.height}


def photo_failed(app: Flask, session: Session, payload: dict[str, Any], error: dict[str, Any]) -> None:
    """Settle a photo whose composition failed for good: its guest is told, and the booth's inputs are erased."""
    photo = session.get(Photo, payload["photo_id"])
    if photo is None or photo.status != "pending":
        return
    photo.status = "failed"
    store = photo_store(app)
    for column in UNTIL_COMPOSED:
        drop_file(session, store, photo, column)
    record_booth_event(session, PHOTO_FAILED)


def purge_photos(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Erase expired photos, then queue the next purge."""
    with get_db(ctx.app).write() as session:
        count = purge_expired(session, photo_store(ctx.app))
        if payload.get("repeat", True):
            enqueue(session, PURGE_JOB, {}, run_after=utcnow() + PURGE_EVERY)
    return {"purged": count}




def init_app(app: Flask) -> None:
    """Register the booth's jobs."""
    register_handler(app, COMPOSE_JOB, compose_photo, on_failed=photo_failed)
    register_handler(app, PURGE_JOB, purge_photos)
