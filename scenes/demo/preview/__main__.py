"""Write PNG previews of the demo's exhibits, rooms and furnished galleries (developer tool)."""

from __future__ import annotations

import functools
import http.server
import json
import math
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from scenes.demo.exhibits import build_exhibit_models
from scenes.demo.layout import LAYOUT
from scenes.demo.rooms import build_rooms

_ROOT = Path(__file__).resolve().parents[3]
_PAGE = Path(__file__).resolve().parent / "page.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass


def _keep_errors(sink: list[str], message: Any) -> None:
    if message.type == "error":
        sink.append(message.text)


def _exhibit_view(bounds: tuple[tuple[float, float, float], tuple[float, float, float]]) -> dict[str, Any]:
    (x0, y0, z0), (x1, y1, z1) = bounds
    size = max(x1 - x0, y1 - y0, z1 - z0)
    centre = [(x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2]
    distance = size * 1.6
    return {"position": [centre[0] + distance * 0.6, centre[1] + size * 0.25, centre[2] + distance * 0.85],
            "target": centre}


def _views() -> list[tuple[str, dict[str, Any]]]:
    exhibits = build_exhibit_models()
    rooms = build_rooms()
    views: list[tuple[str, dict[str, Any]]] = []
    for slug, model in exhibits.items():
        views.append((slug, {"models": [{"url": f"{slug}.glb"}], "camera": _exhibit_view(model.bounds)}))
    for slug, room in rooms.items():
        models = [{"url": f"{slug}.glb"}]
        for item in LAYOUT[slug]:
            models.append({"url": f"{item['exhibit']}.glb", "position": item["position"],
                           "yaw": item["rotation_deg"][1], "scale": item["scale"]})
        for index, spawn in enumerate(room.spawn):
            yaw = math.radians(spawn["yaw_deg"])
            x, _, z = spawn["position"]
            eye = [x, 1.6, z]
            target = [x - math.sin(yaw) * 4, 1.3, z - math.cos(yaw) * 4]
            views.append((f"{slug}-spawn{index}", {"models": models, "camera": {"position": eye, "target": target},
                                                   "fov": 70}))
        w, h, d = room.size
        views.append((f"{slug}-overview", {"models": models, "fov": 60, "camera": {
            "position": [w * 0.05, h * 0.92, d * 0.45], "target": [0, 0.5, -d * 0.1]}}))
    return views


def main(argv: list[str]) -> int:
    """Render every view (or those whose names start with the given prefixes) into the output folder."""
    from playwright.sync_api import sync_playwright

    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    wanted = argv[1:]
    with tempfile.TemporaryDirectory(prefix="demo-preview-") as tmp:
        site = Path(tmp)
        (site / "node_modules").symlink_to(_ROOT / "node_modules")
        shutil.copy(_PAGE, site / "index.html")
        for slug, model in build_exhibit_models().items():
            (site / f"{slug}.glb").write_bytes(model.glb)
        for slug, room in build_rooms().items():
            (site / f"{slug}.glb").write_bytes(room.glb)
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
                for name, view in _views():
                    if wanted and not any(name.startswith(w) for w in wanted):
                        continue
                    config = {"width": 960, "height": 600, **view}
                    (site / "config.json").write_text(json.dumps(config))
                    page = browser.new_page(viewport={"width": 960, "height": 600})
                    console: list[str] = []
                    page.on("console", functools.partial(_keep_errors, console))
                    page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
                    page.wait_for_function("window.previewDone !== undefined", timeout=120_000)
                    done = page.evaluate("window.previewDone")
                    page.screenshot(path=str(out / f"{name}.png"))
                    page.close()
                    print(name, "errors:", done["errors"] + console)
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
