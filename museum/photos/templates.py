"""Photo templates as curated content: rows holding an ar_photo template's layout, frames in the file store."""

from __future__ import annotations

import io
from collections import OrderedDict
from threading import Lock

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from ar_photo.templates import PhotoTemplate as Layout
from ar_photo.templates import default_templates
from museum.core.http_cache import bump_catalogue, subjects_of
from museum.core.media_types import file_url
from museum.core.storage import LocalFileStore
from museum.models import PhotoTemplate, Status
from museum.models.base import utcnow
from museum.photos.payloads import KioskTemplate
from museum.uploads.store import record_file

DEFAULT_CAPTION = {
    "zh-Hans": "医院历史博物馆 · 留影纪念",
    "zh-Hant": "醫院歷史博物館 · 留影紀念",
    "en": "A visit to the Hospital History Museum",
}
_LAYOUTS: OrderedDict[tuple[int, int, str], Layout] = OrderedDict()
_LAYOUTS_LOCK = Lock()


def _titles(title: dict[str, str]) -> dict[str, str]:
    zh = title.get("zh-Hans") or title.get("zh") or ""
    return {"zh-Hans": zh, "zh-Hant": title.get("zh-Hant") or zh, "en": title.get("en", "")}


def save_layout(session: Session, store: LocalFileStore, layout: Layout, caption: dict[str, str],
                publish: bool = True) -> PhotoTemplate:
    """Create or update the PhotoTemplate row of a layout (matched by slug); its frame goes to the store."""
    frame = record_file(session, store, layout.frame_png, "image/png")
    row = session.scalar(select(PhotoTemplate).where(PhotoTemplate.slug == layout.slug))
    if row is None:
        row = PhotoTemplate(slug=layout.slug)
        session.add(row)
    elif row.frame_sha256 != frame.sha256 or row.spec != layout.to_dict(embed_frame=False):
        row.version += 1
    row.title = _titles(layout.title)
    row.caption = dict(caption)
    row.frame_sha256 = frame.sha256
    row.spec = layout.to_dict(embed_frame=False)
    if publish and row.status != Status.PUBLISHED.value:
        row.status, row.published_at = Status.PUBLISHED.value, utcnow()
    session.flush()
    return row


def seed_photo_templates(session: Session, store: LocalFileStore) -> list[str]:
    """Seed the library's default templates as published PhotoTemplate rows (idempotent); return their slugs."""
    slugs = [save_layout(session, store, layout, DEFAULT_CAPTION).slug for layout in default_templates()]
    bump_catalogue(session, subjects_of("template", *slugs))
    return slugs


def published_templates(session: Session) -> list[PhotoTemplate]:
    """Return the published templates, oldest first (the first is the booth's default)."""
    stmt = select(PhotoTemplate).where(PhotoTemplate.status == Status.PUBLISHED.value).order_by(PhotoTemplate.id)
    return list(session.scalars(stmt))


def published_template(session: Session, slug: str | None) -> PhotoTemplate | None:
    """Return the published template with `slug`, or the default one when `slug` is empty."""
    stmt = select(PhotoTemplate).where(PhotoTemplate.status == Status.PUBLISHED.value)
    if slug:
        return session.scalar(stmt.where(PhotoTemplate.slug == slug))
    return session.scalar(stmt.order_by(PhotoTemplate.id).limit(1))


def template_reply(row: PhotoTemplate, frame_media_type: str = "image/png") -> KioskTemplate:
    """Describe a template for the kiosk: titles, canvas, window, frame image and prop slots."""
    spec = row.spec
    return KioskTemplate(
        slug=row.slug, title=row.title, caption=row.caption, size=spec.get("size"), window=spec.get("window"),
        frame_url=file_url(row.frame_sha256, frame_media_type) if row.frame_sha256 else None,
        prop_slots=spec.get("prop_slots", []), max_props=spec.get("max_props", 6))


def layout_of(row: PhotoTemplate, store: LocalFileStore) -> Layout:
    """Return the ar_photo layout of a template row (decoded frames are kept for the next composition)."""
    key = (row.id, row.version, row.frame_sha256 or "")
    with _LAYOUTS_LOCK:
        cached = _LAYOUTS.get(key)
        if cached is not None:
            _LAYOUTS.move_to_end(key)
            return cached
    path = store.path(row.frame_sha256) if row.frame_sha256 else None
    if path is None:
        raise LookupError(f"The frame of template {row.slug!r} is missing from the store.")
    with Image.open(io.BytesIO(path.read_bytes())) as frame:
        layout = Layout.from_dict(row.spec, frame=frame.convert("RGBA"))
    with _LAYOUTS_LOCK:
        _LAYOUTS[key] = layout
        while len(_LAYOUTS) > 8:
            _LAYOUTS.popitem(last=False)
    return layout
