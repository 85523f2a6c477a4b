"""Photo templates as rows: seeded from the library, listed for the kiosk, turned back into layouts."""

from __future__ import annotations

from flask import Flask
from PIL import ImageChops

from ar_photo.templates import default_templates
from museum.core.db import get_db
from museum.models import Status
from museum.photos.templates import layout_of, published_template, published_templates, template_reply


def test_a_seeded_row_gives_back_the_library_layout(app: Flask, templates: list[str]) -> None:
    store = app.extensions["museum.storage"]
    originals = {t.slug: t for t in default_templates()}
    with app.app_context(), get_db().read() as session:
        for row in published_templates(session):
            layout = layout_of(row, store)
            original = originals[row.slug]
            assert layout.window == original.window and layout.size == original.size
            assert layout.prop_slots == original.prop_slots and layout.caption_zh == original.caption_zh
            assert ImageChops.difference(layout.frame, original.frame).getbbox() is None
            listed = template_reply(row)
            assert listed.frame_url == f"/files/{row.frame_sha256}.png"
        assert published_template(session, None).slug == "heritage-landscape"  # type: ignore[union-attr]
        assert published_template(session, "heritage-portrait") is not None


def test_an_unpublished_template_is_neither_listed_nor_usable(app: Flask, templates: list[str]) -> None:
    with app.app_context(), get_db().write() as session:
        row = published_template(session, "heritage-portrait")
        assert row is not None
        row.status = Status.DRAFT.value
    with app.app_context(), get_db().read() as session:
        assert [r.slug for r in published_templates(session)] == ["heritage-landscape"]
        assert published_template(session, "heritage-portrait") is None
