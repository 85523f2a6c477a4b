"""A template frame uploaded as a picture (stored as WebP) is linked by its own media type for the kiosk."""

from __future__ import annotations

import io

from flask import Flask
from PIL import Image
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import PhotoTemplate
from museum.photos.templates import seed_photo_templates
from tests.museum.conftest import make_token


def test_uploaded_frame_is_served_as_webp(app: Flask) -> None:
    with app.app_context(), get_db().write() as s:
        seed_photo_templates(s, app.extensions["museum.storage"])
    client = app.test_client()
    frame = io.BytesIO()
    Image.new("RGBA", (1600, 1200), (120, 20, 20, 255)).save(frame, "PNG")
    upload = client.post("/api/v1/assets", headers={"Authorization": f"Bearer {make_token(app)}"},
                         data={"file": (io.BytesIO(frame.getvalue()), "frame.png")}, content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_json()
    with app.app_context(), get_db().write() as s:
        row = s.scalars(select(PhotoTemplate).order_by(PhotoTemplate.id)).first()
        assert row is not None
        row.frame_sha256 = upload.get_json()["sha256"]
        row.version += 1
    templates = client.get("/api/v1/kiosk/templates").get_json()["items"]
    url = templates[0]["frame_url"]
    assert url.endswith(".webp")
    with client.get(url) as served:
        assert served.status_code == 200 and served.headers["Content-Type"] == "image/webp"
    assert all(t["frame_url"].endswith(".png") for t in templates[1:])
