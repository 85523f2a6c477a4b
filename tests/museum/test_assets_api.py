"""Model uploads through the API: checked at once, tiered by the job queue, bad input refused with nothing left."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from museum.jobs import run_pending
from tests.museum.conftest import box_glb, make_token


def _files(app: Flask) -> set[str]:
    return set(app.extensions["museum.storage"].hashes())


def _staged(app: Flask) -> list[Path]:
    root = Path(app.instance_path) / "uploads"
    return list(root.iterdir()) if root.exists() else []


def _upload(client: FlaskClient, headers: dict[str, str], data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/assets", headers=headers, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_is_processed_into_tiers(app: Flask, client: FlaskClient, curator_headers: dict[str, str]) -> None:
    response = _upload(client, curator_headers, box_glb(), "box.glb")
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["status"] == "queued" and body["status_url"] == f"/api/v1/assets/{body['id']}"
    assert run_pending(app) == 1
    status = client.get(body["status_url"], headers=curator_headers).get_json()
    assert status["status"] == "ready", status
    assert set(status["tiers"]) == {"original", "phone", "desktop", "vr"}
    assert status["job"]["status"] == "done" and status["job"]["progress"] == 1.0
    assert status["inspection"]["triangles"] == 12
    assert status["poster_url"].endswith(".webp")
    with client.get(status["tiers"]["phone"]["url"]) as phone:
        assert phone.status_code == 200 and phone.headers["Content-Type"] == "model/gltf-binary"
        assert phone.data[:4] == b"glTF"
    assert _staged(app) == []
    again = _upload(client, curator_headers, box_glb(), "same-bytes.glb")
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]


def _bad_glb() -> bytes:
    doc = json.dumps({"asset": {"version": "2.0"}, "buffers": [{"byteLength": 1000}]}).encode()
    doc += b" " * (-len(doc) % 4)
    body = struct.pack("<II", len(doc), 0x4E4F534A) + doc
    return struct.pack("<III", 0x46546C67, 2, 12 + len(body) + 100) + body


def test_bad_uploads_get_a_4xx_and_leave_nothing(app: Flask, client: FlaskClient,
                                                 curator_headers: dict[str, str]) -> None:
    before = _files(app)
    cases = [
        (b"hello", "notes.txt", 415),
        (b"not a glb at all", "model.glb", 422),
        (_bad_glb(), "lying-length.glb", 422),
        (b'{"asset": {"version": "2.0"}, "scene": NaN}', "nan.gltf", 422),
        (b'{"asset": {"version": "2.0"}, "buffers": [{"uri": "../../etc/passwd", "byteLength": 4}]}',
         "escape.gltf", 422),
    ]
    for data, name, status in cases:
        response = _upload(client, curator_headers, data, name)
        assert response.status_code == status, (name, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] and error["message"], name
    assert _upload(client, curator_headers, b"", "").status_code == 400
    assert _files(app) == before
    assert _staged(app) == []
    assert run_pending(app) == 0


def test_uploads_need_a_curator(app: Flask, client: FlaskClient) -> None:
    assert _upload(client, {"Accept": "application/json"}, box_glb(), "box.glb").status_code == 401
    reviewer = {"Authorization": f"Bearer {make_token(app, 'rev', 'reviewer')}"}
    assert _upload(client, reviewer, box_glb(), "box.glb").status_code == 403
    assert _upload(client, {"Authorization": "Bearer mus_wrong"}, box_glb(), "box.glb").status_code == 401
