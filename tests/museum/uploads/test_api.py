"""Model uploads through the API: checked at once, tiered by the job queue, bad input refused with nothing left."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from museum.core.jobs import MAX_DEATHS, run_pending
from tests.museum.conftest import box_glb, make_token
from tests.museum.hardening.dying import worker_died_under


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


def test_repairable_model_is_accepted_with_repair_warnings(app: Flask, client: FlaskClient,
                                                          curator_headers: dict[str, str]) -> None:
    from tests.assets.conftest import glb_bytes
    from tests.assets.test_repair import clearcoat_normal_mapped

    response = _upload(client, curator_headers, glb_bytes(*clearcoat_normal_mapped()), "coated.glb")
    assert response.status_code == 202, response.get_json()
    assert run_pending(app) == 1
    status = client.get(response.get_json()["status_url"], headers=curator_headers).get_json()
    assert status["status"] == "ready", status
    repaired = [p for p in status["problems"] if p.get("repaired")]
    assert repaired and repaired[0]["code"] == "MESH_PRIMITIVE_NO_TANGENT_SPACE"
    assert "MikkTSpace" in repaired[0]["message"]


def test_a_chinese_file_name_is_accepted_and_kept_for_display(app: Flask, client: FlaskClient,
                                                              curator_headers: dict[str, str]) -> None:
    from tests.museum.conftest import box_glb

    response = _upload(client, curator_headers, box_glb(0.42), "模型.glb")
    assert response.status_code in (200, 202), response.get_json()
    assert response.get_json()["original_name"] == "模型.glb"
    picture = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (32, 24), (200, 10, 10)).save(picture, "PNG")
    response = _upload(client, curator_headers, picture.getvalue(), "照片/心脏 图.PNG")
    assert response.status_code in (200, 201), response.get_json()
    assert response.get_json()["original_name"] == "心脏 图.PNG"


def test_phone_pictures_mpo_and_heic_are_accepted_for_the_studio(app: Flask, client: FlaskClient,
                                                                  curator_headers: dict[str, str]) -> None:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    first, second = Image.new("RGB", (80, 60), (20, 200, 20)), Image.new("RGB", (80, 60), (200, 0, 0))
    mpo, heic = io.BytesIO(), io.BytesIO()
    first.save(mpo, "MPO", save_all=True, append_images=[second])
    Image.new("RGB", (80, 60), (20, 20, 200)).save(heic, "HEIF", quality=90)
    for data, name in ((mpo.getvalue(), "相机.jpg"), (heic.getvalue(), "IMG_0001.HEIC")):
        response = _upload(client, curator_headers, data, name)
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["media_type"] == "image/webp"


def test_a_model_whose_triangles_have_no_area_fails_once_as_bad_input(app: Flask, client: FlaskClient,
                                                                      curator_headers: dict[str, str]) -> None:
    # Valid to the Khronos validator, but the tiers dropped every triangle and came out invalid: the job took that
    # for a fault of its own and retried it.
    from tests.assets.conftest import glb_bytes, triangle_gltf

    doc, binary = triangle_gltf()
    doc["accessors"][0]["max"] = [0, 0, 0]
    flat = glb_bytes(doc, b"\0" * 36 + binary[36:])
    response = _upload(client, curator_headers, flat, "flat.glb")
    assert response.status_code == 202, response.get_json()
    assert run_pending(app) == 1
    status = client.get(response.get_json()["status_url"], headers=curator_headers).get_json()
    assert status["status"] == "failed" and status["job"]["attempts"] == 1, status
    assert [p["code"] for p in status["problems"]] == ["NO_GEOMETRY"], status["problems"]
    assert run_pending(app) == 0


def test_an_upload_whose_workers_kept_dying_is_failed_and_its_staging_removed(
        app: Flask, client: FlaskClient, curator_headers: dict[str, str]) -> None:
    response = _upload(client, curator_headers, box_glb(), "box.glb")
    assert response.status_code == 202, response.get_json()
    assert _staged(app)
    for death in range(1, MAX_DEATHS + 1):
        worker_died_under(app, "asset.ingest", death)
    status = client.get(response.get_json()["status_url"], headers=curator_headers).get_json()
    assert status["status"] == "failed", status
    assert [p["code"] for p in status["problems"]] == ["processing_failed"], status["problems"]
    assert "worker" not in status["problems"][0]["message"]  # the curator reads what to do, not our internals
    assert _staged(app) == []
