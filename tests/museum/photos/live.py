"""A museum served for real on 127.0.0.1 (web server and job worker in threads), for browser tests and benches."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import trimesh
from flask import Flask
from werkzeug.serving import make_server

from museum.asset_store import record_file, set_tier
from museum.db import get_db
from museum.http_cache import bump_catalogue
from museum.jobs import work_forever
from museum.kiosks import register_kiosk
from museum.models import Asset, Exhibit
from museum.photos.templates import seed_photo_templates

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist", "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


def _cone_glb() -> bytes:
    mesh = trimesh.creation.cone(radius=0.3, height=0.8, sections=24)
    mesh.visual.vertex_colors = [200, 40, 40, 255]
    buffer = io.BytesIO()
    mesh.export(buffer, file_type="glb")
    return buffer.getvalue()


def seed_booth(app: Flask) -> str:
    """Seed the templates and one prop exhibit (a red cone); register a kiosk; return its token."""
    store = app.extensions["museum.storage"]
    with app.app_context(), get_db().write() as session:
        seed_photo_templates(session, store)
        glb = _cone_glb()
        asset = Asset(sha256="c" * 64, kind="model", media_type="model/gltf-binary", bytes=len(glb))
        session.add(asset)
        session.flush()
        set_tier(session, asset, "original", record_file(session, store, glb, "model/gltf-binary"), 48, 1)
        session.add(Exhibit(slug="red-cone", status="published", title={"zh-Hans": "红色锥体", "en": "Red cone"},
                            model_asset=asset))
        bump_catalogue(session)
        return register_kiosk(session, "test-booth")


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve the app on a free port with a job worker beside it; yield its origin."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    stop = threading.Event()
    web = threading.Thread(target=server.serve_forever, daemon=True)
    worker = threading.Thread(target=work_forever, args=(app, 0.05, stop.is_set), daemon=True)
    web.start()
    worker.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        stop.set()
        server.shutdown()
        web.join(10)
        worker.join(10)
