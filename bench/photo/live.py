"""Benchmark the booth's live preview: frames per second with the guests standing in a gallery.

    .venv/bin/python bench/photo/live.py                     # 12 MP and 1280x960 cameras, 3 runs of 10 s each
    .venv/bin/python bench/photo/live.py --seconds 5 --runs 1

A museum is served on 127.0.0.1 (web server and job worker in threads) with one gallery as a backdrop. Headless
Chromium, with WebGL on SwiftShader as on a booth without a graphics card, opens the kiosk page with a fake
camera showing a real person (scikit-image's astronaut) at the camera's resolution, starts a session, places a prop
and chooses the gallery. It then counts, over each run, the camera frames drawn in the gallery (`kiosk.standIns`)
and the masks the selfie model made (`kiosk.masks`). The peer is the same page's plain camera preview without a
gallery (three.js frames drawn over the `<video>`, `kiosk.frames`), measured first. "scale" is the share of the
window's pixels the gallery preview settled at (its dynamic resolution, `kiosk.stageScale`; 1.0 on a booth that
keeps up). Goal: >= 15 frames/s in the gallery with the 12 MP camera.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from museum import create_app  # noqa: E402
from museum.core.migrate import upgrade  # noqa: E402
from tests.museum.photos.live import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PUBLIC_ARGS,
    allow_public,
    public_origin,
    seed_backdrop,
    seed_booth,
    serving,
    start_session,
    write_y4m,
)

GOAL_FPS = 15.0
CAMERAS = {"12 MP": (4000, 3000), "1280x960": (1280, 960)}


def camera_file(folder: Path, size: tuple[int, int]) -> Path:
    """Write a fake camera file of the astronaut, framed 4:3, at `size`."""
    from skimage import data

    frame = Image.fromarray(data.astronaut()).crop((0, 0, 512, 384)).resize(size, Image.Resampling.LANCZOS)
    return write_y4m(folder / f"camera-{size[0]}x{size[1]}.y4m", np.asarray(frame))


def rate(page: Page, counter: str, seconds: float) -> float:
    """Return how many times a second `kiosk.<counter>` grows over `seconds`."""
    first, started = page.evaluate(f"kiosk.{counter}"), time.monotonic()
    time.sleep(seconds)  # a measuring window, not a wait for a condition
    return (page.evaluate(f"kiosk.{counter}") - first) / (time.monotonic() - started)


def measure(origin: str, token: str, camera: Path, seconds: float, runs: int) -> dict[str, Any]:
    """Open the booth with `camera`; return the plain preview's and the gallery preview's rates."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS + PUBLIC_ARGS + [f"--use-file-for-fake-video-capture={camera}"])
        try:
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, has_touch=True)
            context.set_default_timeout(300_000)
            allow_public(context)
            page = context.new_page()
            page.add_init_script(f"localStorage.setItem('museum.kioskToken', {json.dumps(token)})")
            page.goto(f"{origin}/kiosk?tick=50&idle=600000&done=600000")
            start_session(page)
            size = page.evaluate("[video.videoWidth, video.videoHeight]")
            page.wait_for_function("() => kiosk.placed.length === 1 && kiosk.placed[0].pivot.children.length")
            page.wait_for_function("() => kiosk.frames > 10")
            plain = [rate(page, "frames", seconds) for _ in range(runs)]
            page.click(".backdrop[data-slug='lobby']")
            # 60 frames: time for the preview's dynamic resolution to settle (it steps every 12 frames).
            page.wait_for_function("() => document.querySelector('main').dataset.backdrop === 'lobby' && "
                                   "kiosk.standIns > 60", timeout=120_000)
            shown, masks, scales = [], [], []
            for _ in range(runs):
                first_masks = page.evaluate("kiosk.masks")
                started = time.monotonic()
                shown.append(rate(page, "standIns", seconds))
                masks.append((page.evaluate("kiosk.masks") - first_masks) / (time.monotonic() - started))
                scales.append(page.evaluate("kiosk.stageScale"))
            preview = page.evaluate("kiosk.previewSize")
            return {"camera": f"{size[0]}x{size[1]}", "preview": f"{preview[0]}x{preview[1]}", "plain_fps": plain,
                    "gallery_fps": shown, "masks_per_s": masks, "stage_scale": scales}
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one measuring run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--camera", choices=sorted(CAMERAS), action="append", help="only these cameras")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "live.json")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = create_app({"INSTANCE_PATH": str(folder / "instance"), "STORAGE_DIR": str(folder / "storage"),
                          "DATABASE_URL": f"sqlite:///{folder / 'museum.db'}", "SECRET_KEY": "bench",
                          "CACHE_CHECK_SECONDS": 0.0, "SESSION_COOKIE_SECURE": False})
        upgrade(app.extensions["museum.db"].engine)
        token = seed_booth(app)
        seed_backdrop(app)
        with serving(app) as origin:
            public_origin(app, origin)
            for name in args.camera or list(CAMERAS):
                camera = camera_file(folder, CAMERAS[name])
                results.append({"name": name, **measure(origin, token, camera, args.seconds, args.runs)})
    print(f"{'camera':<10} {'size':>10} {'preview':>10} {'plain fps':>10} {'gallery fps':>12} {'runs':>20} "
          f"{'masks/s':>8} {'scale':>6} {'ratio':>6} {'goal':>5}")
    for r in results:
        plain, shown = statistics.median(r["plain_fps"]), statistics.median(r["gallery_fps"])
        runs = "/".join(f"{v:.1f}" for v in r["gallery_fps"])
        print(f"{r['name']:<10} {r['camera']:>10} {r['preview']:>10} {plain:>10.1f} {shown:>12.1f} {runs:>20} "
              f"{statistics.median(r['masks_per_s']):>8.1f} {min(r['stage_scale']):>6.1f} "
              f"{shown / plain if plain else 0:>6.2f} "
              f"{'met' if min(r['gallery_fps']) >= GOAL_FPS else 'no':>5}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"seconds": args.seconds, "runs": args.runs, "cameras": results}, indent=2))
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
