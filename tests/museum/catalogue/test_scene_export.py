"""A gallery's layout problems from the database, and the gallery composed into one GLB over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

import museum.catalogue.scene_export as gallery_export
from assets.gltfio import read_glb
from assets.validator import validate_bytes
from museum.catalogue.scene_export import gallery_problems
from museum.core.db import get_db
from museum.models import Asset, Gallery, Setting
from tests.museum.conftest import Catalogue
from tests.museum.demo.test_demo import demo_app, demo_instance  # noqa: F401  (fixtures: the demo seeded once)

REPO = Path(__file__).resolve().parents[3]


def fetch(client: FlaskClient, url: str, **kw: Any) -> TestResponse:
    """GET a URL and close the response (a file it streams from is closed too)."""
    response = client.get(url, **kw)
    response.get_data()
    response.close()
    return response


def _gallery(session: Any, slug: str) -> Gallery:
    found = session.scalar(select(Gallery).where(Gallery.slug == slug))
    assert found is not None
    return found


def test_problems_name_the_placement_at_fault(app: Flask, catalogue: Catalogue) -> None:
    with app.app_context(), get_db().write() as s:
        for asset in s.scalars(select(Asset)):
            asset.inspection = {"bounds": {"min": [-0.3, 0.0, -0.3], "max": [0.3, 0.6, 0.3]}}
    with app.app_context(), get_db().read() as s:
        problems = gallery_problems(s, _gallery(s, "history-hall"))
    # The heart stands clear on its pedestal; the draft exhibit has no model, so it cannot be checked.
    found = [(p["exhibit"], p["code"], p["pointer"]) for p in problems]
    assert found == [("secret-draft", "NO_BOUNDS", "/placements/1")]
    with app.app_context(), get_db().write() as s:
        hall = _gallery(s, "history-hall")
        hall.placements[0].translation = [4.9, 0.0, -2.0]
        hall.placements[0].scale = 8.0
        problems = gallery_problems(s, hall)
    codes = {(p["exhibit"], p["code"]) for p in problems}
    assert {("heart-model", "OUTSIDE_ROOM"), ("heart-model", "ABOVE_CEILING")} <= codes
    assert all(p["pointer"] == "/placements/0" for p in problems if p["exhibit"] == "heart-model")
    assert "heart-model" in next(p["message"] for p in problems if p["code"] == "OUTSIDE_ROOM")


def test_scene_glb_is_valid_built_once_and_revalidates(
    client: FlaskClient, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    compose = gallery_export.compose_gallery

    def counting(room: bytes, placed: Any, names: Any = None) -> bytes:
        calls.append(len(placed))
        return compose(room, placed, names)

    monkeypatch.setattr(gallery_export, "compose_gallery", counting)
    first = fetch(client, "/api/v1/galleries/history-hall/scene.glb?tier=phone")
    assert first.status_code == 200 and first.mimetype == "model/gltf-binary"
    assert first.headers["ETag"].startswith('"') and not first.headers["ETag"].startswith("W/")
    assert validate_bytes(first.data).errors == 0
    doc = read_glb(first.data).doc
    # The room and the one published exhibit with a model; the draft exhibit stays out.
    assert [doc["nodes"][i]["name"] for i in doc["scenes"][0]["nodes"]] == ["room", "placement-1"]
    again = fetch(client, "/api/v1/galleries/history-hall/scene.glb?tier=phone")
    assert again.data == first.data and calls == [1]
    revalidated = fetch(client, "/api/v1/galleries/history-hall/scene.glb?tier=phone",
                             headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.headers["ETag"] == first.headers["ETag"]
    desktop = fetch(client, "/api/v1/galleries/history-hall/scene.glb")
    assert desktop.status_code == 200 and desktop.headers["ETag"] != first.headers["ETag"] and calls == [1, 1]
    with client.application.app_context(), get_db().read() as s:
        cached = s.scalar(select(func.count()).select_from(Setting).where(Setting.key.like("scene.glb:%")))
    assert cached == 2


def _node_origin(doc: dict[str, Any], name: str) -> list[float]:
    node = next(n for n in doc["nodes"] if n.get("name") == name)
    return [round(v, 4) for v in node["matrix"][12:15]]


def test_a_placements_plinth_is_composed_under_it_and_moves_with_it(app: Flask, client: FlaskClient,
                                                                    catalogue: Catalogue) -> None:
    plinth = {"width_m": 0.5, "depth_m": 0.5, "height_m": 0.9, "case_height_m": 0.4, "finish": "walnut"}
    with app.app_context(), get_db().write() as s:
        _gallery(s, "history-hall").placements[0].plinth = plinth
    first = fetch(client, "/api/v1/galleries/history-hall/scene.glb?tier=phone")
    assert first.status_code == 200
    report = validate_bytes(first.data)
    assert report.errors == 0, report.summary()
    doc = read_glb(first.data).doc
    assert [doc["nodes"][i]["name"] for i in doc["scenes"][0]["nodes"]] == ["room", "plinth-1", "placement-1"]
    assert _node_origin(doc, "plinth-1") == _node_origin(doc, "placement-1") == [1.0, 0.9, -2.0]
    assert "glass" in {m.get("name") for m in doc["materials"]}
    manifest = client.get("/api/v1/galleries/history-hall/manifest").get_json()
    carried = manifest["exhibits"][0]["plinth"]
    assert carried["height_m"] == 0.9 and carried["label_plate"]["size_m"] == [0.22, 0.12]
    with app.app_context(), get_db().write() as s:
        _gallery(s, "history-hall").placements[0].translation = [-2.0, 0.9, 1.0]
    moved = read_glb(fetch(client, "/api/v1/galleries/history-hall/scene.glb?tier=phone").data).doc
    assert _node_origin(moved, "plinth-1") == _node_origin(moved, "placement-1") == [-2.0, 0.9, 1.0]


def test_scene_glb_hides_drafts_and_checks_its_tier(
    client: FlaskClient, catalogue: Catalogue, curator_headers: dict[str, str]
) -> None:
    hidden = fetch(client, "/api/v1/galleries/draft-gallery/scene.glb")
    assert hidden.status_code == 404 and hidden.get_json()["error"]["code"] == "galleries_not_found"
    # A curator sees the draft; it has no room model yet, which is said plainly.
    staff = fetch(client, "/api/v1/galleries/draft-gallery/scene.glb", headers=curator_headers)
    assert staff.status_code == 404 and staff.get_json()["error"]["code"] == "gallery_room_missing"
    bad = fetch(client, "/api/v1/galleries/history-hall/scene.glb?tier=watch")
    assert bad.status_code == 400 and bad.get_json()["error"]["pointer"] == "/query/tier"
    spec = client.get("/api/openapi.json").get_json()
    assert "model/gltf-binary" in str(spec["paths"]["/api/v1/galleries/{slug}/scene.glb"]["get"]["responses"])


@pytest.mark.slow
def test_demo_galleries_have_no_layout_problems(demo_app: Flask) -> None:  # noqa: F811
    with demo_app.app_context(), get_db().read() as s:
        galleries = list(s.scalars(select(Gallery)))
        assert len(galleries) >= 3
        for gallery in galleries:
            assert gallery_problems(s, gallery) == [], gallery.slug


@pytest.fixture
def composed_lobby(demo_app: Flask) -> bytes:  # noqa: F811
    response = fetch(demo_app.test_client(), "/api/v1/galleries/lobby/scene.glb?tier=phone")
    assert response.status_code == 200
    return bytes(response.data)


@pytest.mark.slow
def test_demo_history_hall_composes_valid_with_its_showcases(demo_app: Flask) -> None:  # noqa: F811
    response = fetch(demo_app.test_client(), "/api/v1/galleries/history-hall/scene.glb?tier=phone")
    assert response.status_code == 200
    report = validate_bytes(response.data)
    assert report.errors == 0, report.summary()
    names = [n.get("name") for n in read_glb(response.data).doc["nodes"]]
    assert sum(1 for n in names if n and n.startswith("plinth-")) == 3  # the three showcases


@pytest.mark.slow
def test_demo_lobby_composes_valid(composed_lobby: bytes) -> None:
    report = validate_bytes(composed_lobby)
    assert report.errors == 0, report.summary()
    doc = read_glb(composed_lobby).doc
    assert len(doc["scenes"][0]["nodes"]) == 1 + 3  # the room and the lobby's three exhibits
    assert not any("meshopt" in e.lower() for e in doc.get("extensionsUsed", []))


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>scene</title>
<script type="importmap">{"imports": {"three": "/three/build/three.module.js", "three/addons/": "/three/examples/jsm/"}}
</script></head><body style="margin:0"><script type="module">
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
renderer.setSize(320, 240);
document.body.appendChild(renderer.domElement);
const scene = new THREE.Scene();
scene.background = new THREE.Color('#000000');
scene.add(new THREE.HemisphereLight('#ffffff', '#444444', 2.0));
window.addEventListener('error', (e) => { window.result = { error: String(e.message) }; });
let gltf;
try {
  gltf = await new GLTFLoader().loadAsync('/scene.glb');
} catch (e) {
  window.result = { error: String(e && e.message || e) };
  throw e;
}
scene.add(gltf.scene);
let meshes = 0;
gltf.scene.traverse((o) => { if (o.isMesh) meshes += 1; });
const box = new THREE.Box3().setFromObject(gltf.scene);
const centre = box.getCenter(new THREE.Vector3());
const camera = new THREE.PerspectiveCamera(60, 320 / 240, 0.05, 200);
camera.position.set(centre.x, 1.6, centre.z + 4.0);
camera.lookAt(centre.x, 1.2, centre.z - 2.0);
renderer.render(scene, camera);
const pixels = new Uint8Array(320 * 240 * 4);
const gl = renderer.getContext();
gl.readPixels(0, 0, 320, 240, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
const colours = new Set();
for (let i = 0; i < pixels.length; i += 4 * 97) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
window.result = { meshes, colours: colours.size, names: gltf.scene.children.map((c) => c.name) };
</script></body></html>"""


@pytest.fixture
def scene_server(composed_lobby: bytes) -> Iterator[str]:
    three = REPO / "node_modules" / "three"
    assert (three / "build" / "three.module.js").is_file(), f"three.js is not installed under {three}"
    files = {"/": (PAGE.encode(), "text/html"), "/scene.glb": (composed_lobby, "model/gltf-binary")}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path in files:
                body, media = files[self.path]
            elif self.path.startswith("/three/") and ".." not in self.path:
                target = three / self.path.removeprefix("/three/")
                if not target.is_file():
                    self.send_error(404)
                    return
                body, media = target.read_bytes(), "text/javascript"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.browser
def test_demo_lobby_loads_in_three_js(composed_lobby: bytes, scene_server: str) -> None:
    from tests.frontend.browser import PATIENCE_MS, chromium, watch

    doc = read_glb(composed_lobby).doc
    expected = sum(len(doc["meshes"][n["mesh"]]["primitives"]) for n in doc["nodes"] if "mesh" in n)
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        seen = watch(context, page)
        page.goto(scene_server + "/")
        page.wait_for_function("() => window.result !== undefined", timeout=PATIENCE_MS)
        result = page.evaluate("window.result")
        context.close()
    assert "error" not in result, result
    assert seen.console_errors == [] and seen.blocked == []
    assert result["meshes"] == expected and expected > 10
    assert result["names"] == ["room", "placement-1", "placement-2", "placement-3"]
    assert result["colours"] > 20  # a room with walls, floor and exhibits, not a blank frame
