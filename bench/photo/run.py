"""Benchmark AR photo composition against Pillow's plain decode + encode of the same 12-megapixel photos.

    .venv/bin/python bench/photo/run.py          # figures printed and written to bench/out/photo.json
    .venv/bin/python bench/photo/run.py --quick  # fewer repetitions and smaller photos (a smoke test)

Every case times Pillow's `Image.open(...).load()` + `save(JPEG, quality=88)` and `ar_photo.compose` on the
same bytes, interleaved, and reports medians and their ratio. Peak memory is measured per composition in a
fresh subprocess from VmHWM (reset through /proc/self/clear_refs), because Pillow allocates its image buffers
outside tracemalloc's view and ru_maxrss carries the parent's peak. The photos are synthesised in code
(gradients, edges, sensor noise).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ar_photo.compose import Composition, compose, keep_image_memory, prepare_worker
from ar_photo.normalize import load_photo
from ar_photo.prop_layer import PROP_BASE_FRACTION, checked_pixels, crop_of, load_checked_layer, load_prop_layer
from ar_photo.props import PropPose, PropRenderer, PropSource
from ar_photo.templates import Box, PhotoTemplate, TextStyle, default_templates, draw_frame

QUALITY = 88
CAPTION = {"zh": "医院历史博物馆 · 合影留念", "en": "Hospital History Museum - a group photo"}
WHEN = date(2026, 11, 28)
ROOT = Path(__file__).resolve().parents[2]
CORPUS_DUCK = ROOT.parent / "shared" / "corpus" / "gltf" / "Duck" / "glTF-Binary" / "Duck.glb"


def camera_photo(width: int, height: int, seed: int = 0, orientation: int = 1) -> bytes:
    """Return a camera-like JPEG (q92, EXIF with GPS) of smooth light, hard edges and sensor noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)  # (H, W)
    light = np.stack(
        [
            128 + 90 * np.sin(x / 310) * np.cos(y / 270),
            120 + 80 * np.sin((x + y) / 420),
            110 + 70 * np.cos(x / 530 - y / 190),
        ],
        axis=-1,
    )  # (H, W, 3)
    del x, y
    light += rng.normal(0, 6, light.shape).astype(np.float32)
    img = Image.fromarray(np.clip(light, 0, 255).astype(np.uint8))
    del light
    draw = ImageDraw.Draw(img)
    for _ in range(60):  # people and furniture stand-ins: hard edges JPEG must spend bits on
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(width // 40, width // 6)), int(rng.integers(height // 30, height // 4))
        draw.rectangle((x0, y0, x0 + w, y0 + h), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "BenchCam"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def full_size_template(photo_size: tuple[int, int]) -> PhotoTemplate:
    """Return a template whose window is as large as the photo: no decode-time reduction is possible."""
    pw, ph = photo_size
    window = Box(200, 150, pw, ph)
    size = (pw + 400, ph + 500)
    land = default_templates()[0]
    return PhotoTemplate(
        slug="full-size",
        title={"en": "Full size"},
        frame=draw_frame(size, window, "#1f3b34", "#c9a24b", 40),
        window=window,
        caption_zh=TextStyle(Box(200, ph + 180, pw - 600, 110), 80, "#f4ecd8", bold=True),
        caption_en=TextStyle(Box(200, ph + 300, pw - 600, 80), 56, "#f4ecd8"),
        date=TextStyle(Box(pw - 400, ph + 300, 400, 80), 48, "#c9a24b", "right"),
        logo=Box(pw, ph + 180, 200, 200),
        prop_slots=land.prop_slots,
    )


def logo_image() -> Image.Image:
    """Return a simple round RGBA emblem."""
    logo = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse(
        (8, 8, 248, 248), fill=(180, 30, 40, 255), outline=(240, 220, 160, 255), width=12
    )
    return logo


def poster(color: tuple[int, int, int]) -> Image.Image:
    """Return an RGBA poster of a round prop."""
    img = Image.new("RGBA", (512, 512), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((40, 40, 472, 472), fill=(*color, 255))
    return img


@dataclass
class Case:
    """One benchmark case: a photo and how to compose it."""

    name: str
    photo: bytes
    template: PhotoTemplate
    props: list[PropPose]
    renderer: PropRenderer | None
    layer: tuple[bytes, tuple[int, int, int, int]] | None = None
    background: bytes | None = None

    def compose(self, photo: bytes | None = None) -> Composition:
        """Compose this case's photo (or `photo`); a booth layer (its checked pixels, as the upload keeps them) and
        a gallery view are read and checked as the job does."""
        background = load_photo(self.background) if self.background is not None else None
        layer = None
        if self.layer is not None:
            with Image.open(io.BytesIO(photo or self.photo)) as img:
                size = img.size
            window = self.template.window
            layer = load_checked_layer(self.layer[0], self.layer[1], self.props, size, window.w / window.h)
        return compose(
            photo or self.photo,
            self.template,
            self.props,
            CAPTION,
            WHEN,
            LOGO,
            self.renderer,
            quality=QUALITY,
            prop_layer=layer,
            background=background,
        )


LOGO = logo_image()


# (name, photo, template, props: none, drawn here, or the booth's layer); "land" is 4:3 upright, "turned" 4:3
# stored with EXIF orientation 6.
CASES: list[tuple[str, str, str, bool | str]] = [
    ("4:3 photo, landscape template", "land", "heritage-landscape", False),
    ("portrait (EXIF 6), portrait template", "turned", "heritage-portrait", False),
    ("4:3 photo cropped into portrait template", "land", "heritage-portrait", False),
    ("4:3 photo + 3 props (warm cache)", "land", "heritage-landscape", True),
    ("4:3 photo + 2 props drawn by the booth (layer)", "land", "heritage-landscape", "layer"),
    ("4:3 photo stood in a gallery (segmented) + layer", "land", "heritage-landscape", "gallery"),
    ("4:3 photo, full-size template (no reduction)", "land", "full-size", False),
]


def photo_size(scale: float) -> tuple[int, int]:
    """Return the benchmark photo size: 4000x3000 (12 MP) scaled per side."""
    return int(4000 * scale), int(3000 * scale)


def make_photos(scale: float) -> dict[str, bytes]:
    """Return the benchmark photos by name."""
    w, h = photo_size(scale)
    return {"land": camera_photo(w, h, seed=1), "turned": camera_photo(w, h, seed=2, orientation=6)}


def booth_layer(photo: tuple[int, int], poses: list[PropPose], aspect: float) -> tuple[
        bytes, tuple[int, int, int, int]]:
    """Return a booth's prop layer for `poses` (PNG, box): discs of noise (the worst texture for PNG) on
    transparent black."""
    _, _, cw, ch = crop_of(photo, aspect)
    rng = np.random.default_rng(7)
    sides = [p.scale * PROP_BASE_FRACTION * min(cw, ch) for p in poses]
    x0 = int(min(p.x * photo[0] - s / 2 for p, s in zip(poses, sides, strict=True)))
    y0 = int(min(p.y * photo[1] - s / 2 for p, s in zip(poses, sides, strict=True)))
    x1 = int(max(p.x * photo[0] + s / 2 for p, s in zip(poses, sides, strict=True)))
    y1 = int(max(p.y * photo[1] + s / 2 for p, s in zip(poses, sides, strict=True)))
    noise = rng.integers(0, 255, (y1 - y0, x1 - x0, 3), dtype=np.uint8)
    alpha = Image.new("L", (x1 - x0, y1 - y0), 0)
    draw = ImageDraw.Draw(alpha)
    for pose, side in zip(poses, sides, strict=True):
        cx, cy = pose.x * photo[0] - x0, pose.y * photo[1] - y0
        draw.ellipse((cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2), fill=255)
    # A canvas's PNG holds (0, 0, 0, 0) where nothing was drawn (three.js clears to transparent black): noise
    # only inside the props, the worst case for PNG there.
    noise[np.asarray(alpha) == 0] = 0
    layer = Image.fromarray(noise)
    layer.putalpha(alpha)
    buf = io.BytesIO()
    layer.save(buf, "PNG")
    return buf.getvalue(), (x0, y0, x1 - x0, y1 - y0)


def gallery_view(photo: tuple[int, int], aspect: float) -> bytes:
    """Return a booth's view of a gallery for a photo: the window's part of it, at most 2560 px long (as the booth
    sends it), as a JPEG: walls, floor and a few lit shapes."""
    _, _, cw, ch = crop_of(photo, aspect)
    k = min(1.0, 2560 / max(cw, ch))
    w, h = round(cw * k), round(ch * k)
    view = Image.new("RGB", (w, h), (40, 150, 140))
    draw = ImageDraw.Draw(view)
    draw.polygon([(0, h), (w, h), (int(0.8 * w), int(0.65 * h)), (int(0.2 * w), int(0.65 * h))], fill=(120, 120, 120))
    draw.polygon([(0, 0), (int(0.2 * w), int(0.15 * h)), (int(0.2 * w), int(0.65 * h)), (0, h)], fill=(200, 170, 120))
    for i in range(5):
        x = int((0.25 + 0.12 * i) * w)
        draw.rectangle((x, int(0.3 * h), x + w // 20, int(0.6 * h)), fill=(230 - 30 * i, 90 + 25 * i, 60))
    buf = io.BytesIO()
    view.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def make_case(index: int, photos: dict[str, bytes], scale: float) -> Case:
    """Build case `index` of CASES on `photos`."""
    name, photo, template_slug, with_props = CASES[index]
    if template_slug == "full-size":
        template = full_size_template(photo_size(scale))
    else:
        template = next(t for t in default_templates() if t.slug == template_slug)
    if not with_props:
        return Case(name, photos[photo], template, [], None)
    if with_props in ("layer", "gallery"):
        poses = [PropPose("vase", 0.25, 0.35, 1.0), PropPose("lamp", 0.7, 0.4, 0.8)]
        window = template.window
        png, box = booth_layer(photo_size(scale), poses, window.w / window.h)
        # As the booth's upload keeps it: decoded and checked once, its pixels kept for the job.
        kept = checked_pixels(load_prop_layer(png, box, poses, photo_size(scale), window.w / window.h))
        layer = (kept, box)
        view = gallery_view(photo_size(scale), window.w / window.h) if with_props == "gallery" else None
        return Case(name, photos[photo], template, poses, None, layer, view)
    sources: dict[str, PropSource] = {"vase": poster((30, 110, 200)), "lamp": poster((220, 170, 40))}
    if CORPUS_DUCK.is_file():
        sources["duck"] = CORPUS_DUCK
    props = [PropPose(asset, 0.2 + 0.3 * i, 0.35, 0.8, 10.0 * i) for i, asset in enumerate(sorted(sources))]
    return Case(name, photos[photo], template, props, PropRenderer(sources))


def baseline(data: bytes) -> None:
    """Pillow's plain decode + encode of `data`: the floor composition is measured against."""
    img = Image.open(io.BytesIO(data))
    img.load()
    img.save(io.BytesIO(), "JPEG", quality=QUALITY)


def timed(fn: Callable[[], object]) -> float:
    """Return the seconds one call of `fn` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} is not in /proc/self/status")


def _release_free_memory() -> None:
    """Hand freed memory back to the OS so RSS counts only what is live (else reuse hides a run's cost)."""
    gc.collect()
    Image.core.clear_cache()  # Pillow's own pool of freed image blocks
    ctypes.CDLL("libc.so.6").malloc_trim(0)


def child_memory(case_index: int, photo_path: str, scale: float) -> None:
    """In a fresh process, print the memory one composition takes: cold (first) and warm (caches filled).

    Peaks come from VmHWM, reset through /proc/self/clear_refs: ru_maxrss would carry the parent's peak."""
    prepare_worker()  # as a job worker that composes photos is at its start
    data = Path(photo_path).read_bytes()
    case = make_case(case_index, {"land": data, "turned": data}, scale)
    peaks = []
    for _ in range(2):
        _release_free_memory()
        before = _status_kib("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux >= 4.0)
        case.compose()
        peaks.append((_status_kib("VmHWM"), before))
    (cold_peak, cold_before), (warm_peak, warm_before) = peaks
    print(
        json.dumps(
            {
                "cold_growth_kib": cold_peak - cold_before,
                "warm_growth_kib": warm_peak - warm_before,
                "peak_kib": max(cold_peak, warm_peak),
            }
        )
    )


def measure_memory(index: int, case: Case, scale: float) -> dict[str, int]:
    """Run one composition of `case` in a subprocess and return its memory figures."""
    with tempfile.NamedTemporaryFile(suffix=".jpg") as tmp:
        tmp.write(case.photo)
        tmp.flush()
        out = subprocess.run(
            [sys.executable, __file__, "--child-memory", str(index), tmp.name, "--scale", str(scale)],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run(reps: int, scale: float) -> dict[str, object]:
    """Run every case and return the figures."""
    keep_image_memory()  # as the job worker does
    photos = make_photos(scale)
    cases = [make_case(i, photos, scale) for i in range(len(CASES))]
    results = []
    cold_props = None
    for index, case in enumerate(cases):
        if case.renderer is not None:
            cold_props = timed(case.compose)  # first composition draws the sprites
        for _ in range(2):
            baseline(case.photo)
            composed = case.compose()
        base_times, ours_times = [], []
        for _ in range(reps):  # interleaved, so drifts of the machine hit both alike
            base_times.append(timed(partial(baseline, case.photo)))
            ours_times.append(timed(case.compose))
        base, ours = statistics.median(base_times), statistics.median(ours_times)
        best_ratio = min(ours_times) / min(base_times)
        memory = measure_memory(index, case, scale)
        with Image.open(io.BytesIO(case.photo)) as img:
            stored = img.size
        results.append(
            {
                "case": case.name,
                "photo": f"{stored[0]}x{stored[1]}",
                "photo_bytes": len(case.photo),
                "output": f"{composed.width}x{composed.height}",
                "baseline_ms": round(base * 1000, 1),
                "compose_ms": round(ours * 1000, 1),
                "ratio": round(ours / base, 2),
                "ratio_of_best": round(best_ratio, 2),
                "compositions_per_s_per_core": round(1 / ours, 2),
                "peak_mb_per_composition": round(memory["warm_growth_kib"] / 1024, 1),
                "peak_mb_first_composition": round(memory["cold_growth_kib"] / 1024, 1),
                "process_peak_mb": round(memory["peak_kib"] / 1024, 1),
            }
        )
    return {
        "reps": reps,
        "scale": scale,
        "cpu": os.cpu_count(),
        "cold_props_compose_ms": round(cold_props * 1000, 1) if cold_props is not None else None,
        "cases": results,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmark, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="3 repetitions on 3 MP photos (a smoke test)")
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "photo.json")
    parser.add_argument("--child-memory", nargs=2, metavar=("CASE", "PHOTO"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_memory:
        child_memory(int(args.child_memory[0]), args.child_memory[1], args.scale)
        return 0
    reps, scale = (3, 0.5) if args.quick else (args.reps, args.scale)
    figures = run(reps, scale)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    cases = figures["cases"]
    assert isinstance(cases, list)
    print(
        f"{'case':48} {'photo':>10} {'output':>10} {'Pillow ms':>9} {'ours ms':>8} {'ratio':>6} {'best':>6} "
        f"{'per s':>6} {'peak MB':>8} {'1st MB':>8}"
    )
    for row in cases:
        print(
            f"{row['case']:48} {row['photo']:>10} {row['output']:>10} {row['baseline_ms']:>9} "
            f"{row['compose_ms']:>8} {row['ratio']:>6} {row['ratio_of_best']:>6} "
            f"{row['compositions_per_s_per_core']:>6} "
            f"{row['peak_mb_per_composition']:>8} {row['peak_mb_first_composition']:>8}"
        )
    print(f"first composition with props (sprites drawn cold): {figures['cold_props_compose_ms']} ms")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
