"""Films: how long a curator's upload takes to become its renditions, and how soon a phone shows its first frame.

1. Renditions: a 1-minute 1080p film (ffmpeg's moving test picture with a tone, 30 fps; a hard picture to encode:
   fine detail moving everywhere) through `assets.video.make_renditions`, against the peer: the same two sizes made
   by two plain ffmpeg runs (libx264's default preset, one decode each), as many tools do. Goal: our renditions in
   <= 1x the film's duration on this machine.
2. First frame: a Pixel-class phone on 9 Mbit/s with 165 ms latency (CDP Network.emulateNetworkConditions), empty
   cache, starts the demo film's `small` rendition (muted, as a test can) and waits for its first frame
   (requestVideoFrameCallback); the peer is the same film's `large` rendition, what a site with one size would
   send. Goal: <= 2 s.

Run: .venv/bin/python bench/films/run.py [--seconds 60] [--runs 3] [--url http://127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assets.video import make_renditions  # noqa: E402
from bench.frontend.museum_at import museum_at  # noqa: E402
from tests.frontend.browser import chromium  # noqa: E402
from tests.frontend.test_museum import PIXEL_7  # noqa: E402

PHONE_NETWORK = {"offline": False, "latency": 165, "downloadThroughput": 9_000_000 / 8,
                 "uploadThroughput": 2_000_000 / 8}
FILM = "hospital-culture-film"

FIRST_FRAME = """async (src) => {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  document.body.append(video);
  const started = performance.now();
  const shown = new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now())));
  video.src = src;
  await video.play();
  return (await shown) - started;
}"""


def make_source(path: Path, seconds: int) -> None:
    """Write a 1080p, 30 fps film of `seconds` with a tone."""
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size=1920x1080:rate=30:duration={seconds}", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)], check=True, timeout=1200)


def peer_renditions(source: Path, workdir: Path) -> float:
    """Make the two sizes with two plain ffmpeg runs; return the seconds it took."""
    started = time.monotonic()
    for name, lines in (("small", 360), ("large", 1080)):
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source), "-vf", f"scale=-2:{lines}",
                        "-c:v", "libx264", "-c:a", "aac", "-movflags", "+faststart", str(workdir / f"{name}.mp4")],
                       check=True, timeout=3600)
    return time.monotonic() - started


def renditions(seconds: int) -> dict[str, Any]:
    """Time our renditions and the peer's of a made film."""
    with tempfile.TemporaryDirectory(prefix="bench-films-") as tmp:
        source = Path(tmp) / "upload.mp4"
        make_source(source, seconds)
        started = time.monotonic()
        result = make_renditions(source, ".mp4", Path(tmp) / "ours")
        ours = time.monotonic() - started
        (Path(tmp) / "peer").mkdir()
        peer = peer_renditions(source, Path(tmp) / "peer")
        sizes = {r.name: r.bytes for r in result.renditions}
        peer_sizes = {p.stem: p.stat().st_size for p in (Path(tmp) / "peer").iterdir()}
    return {"film_seconds": seconds, "ours_s": round(ours, 1), "peer_s": round(peer, 1),
            "ours_per_film_second": round(ours / seconds, 2), "bytes": sizes, "peer_bytes": peer_sizes}


def first_frames(base: str, runs: int) -> dict[str, Any]:
    """Time the first frame of the demo film's small and large renditions on a throttled phone."""
    with urllib.request.urlopen(f"{base}/api/v1/exhibits/{FILM}") as response:
        film = json.load(response)["film"]
    urls = {s["size"]: base + s["url"] for s in film["sources"]}
    times: dict[str, list[float]] = {"small": [], "large": []}
    with chromium() as browser:
        for _ in range(runs):
            for size in ("small", "large"):
                context = browser.new_context(**PIXEL_7)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                page.goto(f"{base}/api/v1")
                cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
                times[size].append(float(page.evaluate(FIRST_FRAME, urls[size])))
                context.close()
    return {"small_ms": [round(t) for t in times["small"]], "large_ms": [round(t) for t in times["large"]],
            "small_ms_p50": round(statistics.median(times["small"])),
            "large_ms_p50": round(statistics.median(times["large"]))}


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="a running demo museum (default: start one)")
    args = parser.parse_args()
    made = renditions(args.seconds)
    with museum_at(args.url, "bench-films-") as base:
        frames = first_frames(base, args.runs)
    figures = {"renditions": made, "first_frame": frames, "network": "9 Mbit/s, 165 ms"}
    print(json.dumps(figures, indent=2))
    print(f"renditions of a {args.seconds} s 1080p film: ours {made['ours_s']} s "
          f"({made['ours_per_film_second']}x its duration, goal <= 1x), peer {made['peer_s']} s "
          f"= {made['ours_s'] / made['peer_s']:.2f}x the peer's time")
    print(f"first frame on a phone, 9 Mbit/s 165 ms (median of {args.runs}): small {frames['small_ms_p50']} ms "
          f"(goal <= 2000), large {frames['large_ms_p50']} ms = "
          f"{frames['small_ms_p50'] / frames['large_ms_p50']:.2f}x")
    out = Path(__file__).resolve().parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "films.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
