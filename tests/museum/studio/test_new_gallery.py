"""A curator builds a brand-new gallery from uploaded models, a reviewer publishes it, visitors can walk it."""

from __future__ import annotations

import io
from collections.abc import Callable

import trimesh
from flask import Flask

from museum.core.jobs import run_pending
from tests.museum.studio.conftest import Studio

Staff = Callable[[str], Studio]


def _glb(mesh: trimesh.Trimesh) -> bytes:
    buffer = io.BytesIO()
    mesh.export(buffer, file_type="glb")
    return buffer.getvalue()


def _room() -> bytes:
    move = trimesh.transformations.translation_matrix
    floor = trimesh.creation.box(extents=[8, 0.1, 6], transform=move([0, -0.05, 0]))
    wall = trimesh.creation.box(extents=[8, 3, 0.1], transform=move([0, 1.5, -3]))
    return _glb(trimesh.util.concatenate([floor, wall]))


def _model(curator: Studio, app: Flask, data: bytes, name: str) -> int:
    response = curator.send("POST", "/api/v1/assets", None, data={"file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    run_pending(app)
    status = curator.get(response.get_json()["status_url"]).get_json()
    assert status["status"] == "ready", status
    return int(status["id"])


def test_a_new_gallery_from_new_models_to_visitors(app: Flask, staff: Staff) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    room = _model(curator, app, _room(), "annex-room.glb")
    lamp = _model(curator, app, _glb(trimesh.creation.cylinder(radius=0.2, height=1.2, sections=24,
                                                                transform=trimesh.transformations.translation_matrix(
                                                                    [0, 0.6, 0]))), "lamp.glb")
    exhibit = curator.send("POST", "/api/v1/studio/exhibits", {
        "slug": "reading-lamp", "title": {"zh-Hans": "台灯", "zh-Hant": "檯燈", "en": "Reading lamp"},
        "summary": {"zh-Hans": "示例", "zh-Hant": "範例", "en": "Sample"}, "model_asset_id": lamp})
    assert exhibit.status_code == 201, exhibit.get_json()
    gallery = curator.send("POST", "/api/v1/studio/galleries", {
        "slug": "annex", "title": {"zh-Hans": "新馆", "zh-Hant": "新館", "en": "Annex"}, "room_asset_id": room,
        "size_m": [8, 3, 6], "spawns": [{"position": [0, 0, 2], "yaw_deg": 180}],
        "placements": [{"exhibit_id": exhibit.get_json()["id"], "translation": [0, 0, -1.5], "mount": "floor"}]})
    assert gallery.status_code == 201, gallery.get_json()
    for kind, ident in (("exhibits", exhibit.get_json()["id"]), ("galleries", gallery.get_json()["id"])):
        assert curator.send("POST", f"/api/v1/studio/{kind}/{ident}/status", {"status": "review"}).status_code == 200
        published = reviewer.send("POST", f"/api/v1/studio/{kind}/{ident}/status", {"status": "published"})
        assert published.status_code == 200, published.get_json()
    visitor = app.test_client()
    manifest = visitor.get("/api/v1/galleries/annex/manifest?tier=phone&lang=en").get_json()
    assert manifest["gallery"]["title"] == "Annex" and manifest["within_budget"]
    assert [e["slug"] for e in manifest["exhibits"]] == ["reading-lamp"]
    assert manifest["room"]["tier"] == "phone" and manifest["exhibits"][0]["model"]["tier"] == "phone"
