"""Render views of demo GLBs with three.js in headless Chromium (Debian's chromium, driven by playwright).

A view is a name and a config for page.html: models (url, position, yaw, scale), camera (position, target), fov.
"""

from __future__ import annotations

import functools
import http.server
import json
import math
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scenes.demo.layout import LAYOUT
from scenes.demo.model import DemoModel
from scenes.demo.rooms import DemoRoom

_ROOT = Path(__file__).resolve().parents[3]
_PAGE = Path(__file__).resolve().parent / "page.html"

View = tuple[str, dict[str, Any]]
_DIM = {"hemisphere": 0.55, "directional": 0.35}  # rooms bring their own point lights


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
        pass


def _keep_errors(sink: list[str], message: Any) -> None:
    if message.type == "error":
        sink.append(message.text)


def _keep_page_error(sink: list[str], error: Any) -> None:
    sink.append(str(error))


def exhibit_view(model: DemoModel) -> View:
    """Return a three-quarter view that frames one exhibit."""
    (x0, y0, z0), (x1, y1, z1) = model.bounds
    size = max(x1 - x0, y1 - y0, z1 - z0)
    centre = [(x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2]
    distance = size * 1.6
    camera = {"position": [centre[0] + distance * 0.6, centre[1] + size * 0.25, centre[2] + distance * 0.85],
              "target": centre}
    return model.slug, {"models": [{"url": f"{model.slug}.glb"}], "camera": camera}


def gallery_views(room: DemoRoom) -> list[View]:
    """Return the furnished gallery seen from each spawn point at eye height, and from above."""
    models = [{"url": f"{room.slug}.glb"}]
    for item in LAYOUT[room.slug]:
        models.append({"url": f"{item['exhibit']}.glb", "position": item["position"],
                       "yaw": item["rotation_deg"][1], "scale": item["scale"]})
    views: list[View] = []
    for index, spawn in enumerate(room.spawn):
        yaw = math.radians(spawn["yaw_deg"])
        x, _, z = spawn["position"]
        target = [x - math.sin(yaw) * 4, 1.3, z - math.cos(yaw) * 4]
        views.append((f"{room.slug}-spawn{index}", {"models": models, "fov": 70, "points": room.lights, **_DIM,
                                                    "camera": {"position": [x, 1.6, z], "target": target}}))
    w, h, d = room.size
    views.append((f"{room.slug}-overview", {"models": models, "fov": 60, "points": room.lights, **_DIM, "camera": {
        "position": [w * 0.05, h * 0.92, d * 0.45], "target": [0, 0.5, -d * 0.1]}}))
    return views


def render_views(files: Mapping[str, bytes], views: Sequence[View], out: Path,
                 size: tuple[int, int] = (960, 600)) -> dict[str, list[str]]:
    """Write `<name>.png` for each view into out; return each view's console and loader errors."""
    from playwright.sync_api import sync_playwright

    browser_path = shutil.which("chromium") or "/usr/bin/chromium"
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="demo-preview-") as tmp:
        site = Path(tmp)
        (site / "node_modules").symlink_to(_ROOT / "node_modules")
        shutil.copy(_PAGE, site / "index.html")
        for name, data in files.items():
            (site / name).write_bytes(data)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=browser_path,
                                            args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
                for name, view in views:
                    (site / "config.json").write_text(json.dumps({"width": size[0], "height": size[1], **view}))
                    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
                    console: list[str] = []
                    page.on("console", functools.partial(_keep_errors, console))
                    page.on("pageerror", functools.partial(_keep_page_error, console))
                    page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
                    page.wait_for_function("window.previewDone !== undefined", timeout=180_000)
                    done = page.evaluate("window.previewDone")
                    page.screenshot(path=str(out / f"{name}.png"))
                    page.close()
                    results[name] = list(done["errors"]) + console
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return results
