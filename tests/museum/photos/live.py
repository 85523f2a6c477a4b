"""A museum served for real on 127.0.0.1 (web server and job worker in threads), for browser tests and benches."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import trimesh
from flask import Flask
from playwright.sync_api import BrowserContext, Page
from werkzeug.serving import make_server

from museum.core.db import get_db
from museum.core.http_cache import bump_catalogue
from museum.core.jobs import work_forever
from museum.models import Asset, Exhibit, Gallery
from museum.photos.kiosks import register_kiosk
from museum.photos.templates import seed_photo_templates
from museum.uploads.store import record_file, set_tier

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist", "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


# Share links must name an address a phone can reach, so the booth refuses loopback ones: the tests give the
# museum a public-looking name that Chromium resolves to the local test server.
PUBLIC_HOST = "museum.test"
PUBLIC_ARGS = [f"--host-resolver-rules=MAP {PUBLIC_HOST} 127.0.0.1"]


def public_origin(app: Flask, origin: str) -> str:
    """Set MUSEUM_BASE_URL to the museum's public name on the test server's port; return that origin."""
    public = origin.replace("127.0.0.1", PUBLIC_HOST)
    app.config["MUSEUM_BASE_URL"] = public
    return public


def allow_public(context: BrowserContext) -> None:
    """Let requests to the public name through a context whose other non-local requests are blocked."""
    context.route(f"http://{PUBLIC_HOST}:*/**", lambda route: route.continue_())


def start_session(page: Page) -> None:
    """At the booth's consent screen: agree to a photo kept for the museum's days, start, and wait for the camera."""
    page.wait_for_selector("main[data-state=consent]")
    page.click("#opt-photo")
    page.click("#opt-keep")
    page.click("#consent-start")
    page.wait_for_selector("main[data-state=camera]")
    page.wait_for_function("() => document.getElementById('video').videoWidth > 0")


def local_url(url: str) -> str:
    """Return a public test URL as the test process reaches it (it has no resolver rule)."""
    return url.replace(PUBLIC_HOST, "127.0.0.1")


def write_y4m(path: Path, rgb: np.ndarray) -> Path:
    """Write one RGB (H, W, 3) uint8 frame as a Y4M video, the format of Chromium's fake camera file."""
    h, w = rgb.shape[:2]
    f = rgb.astype(np.float32)
    # Full-range BT.601 (JPEG) YCbCr, chroma averaged over 2x2 blocks: "C420jpeg".
    y = 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]
    cb = 128 - 0.168736 * f[..., 0] - 0.331264 * f[..., 1] + 0.5 * f[..., 2]
    cr = 128 + 0.5 * f[..., 0] - 0.418688 * f[..., 1] - 0.081312 * f[..., 2]
    planes = [y] + [c.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)) for c in (cb, cr)]
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F30:1 Ip A1:1 C420jpeg\n".encode())
        out.write(b"FRAME\n")
        for plane in planes:
            out.write(np.clip(np.rint(plane), 0, 255).astype(np.uint8).tobytes())
    return path


def _cone_glb() -> bytes:
    mesh = trimesh.creation.cone(radius=0.3, height=0.8, sections=24)
    mesh.visual.vertex_colors = [200, 40, 40, 255]
    buffer = io.BytesIO()
    mesh.export(buffer, file_type="glb")
    return buffer.getvalue()


def seed_booth(app: Flask, models: dict[str, bytes] | None = None) -> str:
    """Seed the templates and prop exhibits (by default one, a red cone; else slug -> GLB); register a kiosk;
    return its token."""
    store = app.extensions["museum.storage"]
    models = models if models is not None else {"red-cone": _cone_glb()}
    with app.app_context(), get_db().write() as session:
        seed_photo_templates(session, store)
        for index, (slug, glb) in enumerate(sorted(models.items())):
            asset = Asset(sha256=f"{index:064x}", kind="model", media_type="model/gltf-binary", bytes=len(glb))
            session.add(asset)
            session.flush()
            set_tier(session, asset, "original", record_file(session, store, glb, "model/gltf-binary"), 48, 1)
            title = {"zh-Hans": "红色锥体", "en": "Red cone"} if slug == "red-cone" else {"zh-Hans": slug, "en": slug}
            session.add(Exhibit(slug=slug, status="published", title=title, model_asset=asset))
        bump_catalogue(session)
        return register_kiosk(session, "test-booth")[1]


BACKDROP_WALL = (30, 150, 140)  # the test gallery's far wall: a teal no booth photo's backdrop has


def _room_glb() -> bytes:
    """A room 8 m wide, 3 m high, 8 m deep seen from inside: a teal far wall, warm side walls, a grey floor."""
    parts = []
    for extents, centre, colour in (
            ((8.0, 3.0, 0.1), (0.0, 1.5, -4.0), BACKDROP_WALL),
            ((0.1, 3.0, 8.0), (-4.0, 1.5, 0.0), (200, 170, 120)),
            ((0.1, 3.0, 8.0), (4.0, 1.5, 0.0), (200, 170, 120)),
            ((8.0, 0.1, 8.0), (0.0, -0.05, 0.0), (120, 120, 120))):
        box = trimesh.creation.box(extents=extents)
        box.apply_translation(centre)
        box.visual.vertex_colors = [*colour, 255]
        parts.append(box)
    buffer = io.BytesIO()
    trimesh.util.concatenate(parts).export(buffer, file_type="glb")
    return buffer.getvalue()


def seed_backdrop(app: Flask, slug: str = "lobby") -> None:
    """Seed a published gallery with a room (BACKDROP_WALL ahead of its spawn point) for the booth's backdrops."""
    store = app.extensions["museum.storage"]
    glb = _room_glb()
    with app.app_context(), get_db().write() as session:
        asset = Asset(sha256="b" * 64, kind="model", media_type="model/gltf-binary", bytes=len(glb))
        session.add(asset)
        session.flush()
        stored = record_file(session, store, glb, "model/gltf-binary")
        for tier in ("original", "desktop", "phone"):
            set_tier(session, asset, tier, stored, 48, 1)
        session.add(Gallery(slug=slug, status="published", title={"zh-Hans": "序厅", "en": "Lobby"},
                            lighting="gallery", room_asset=asset, size_m=[8, 3, 8],
                            floor=[[-4, -4], [4, -4], [4, 4], [-4, 4]],
                            spawns=[{"position": [0, 0, 2.5], "yaw_deg": 0}], position=0))
        bump_catalogue(session)


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
