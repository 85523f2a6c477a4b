"""The visitor's museum in headless Chromium: load times on a throttled phone, JavaScript shipped, VR frame times.

1. Pixel-class phone (touch, 412x915, DPR 2.6) on a throttled network (9 Mbit/s down, 165 ms latency, via CDP
   Network.emulateNetworkConditions), empty cache: first rendered frame of the demo lobby after navigation
   (goal <= 3 s) and everything loaded (goal <= 6 s), from the page's own Performance marks.
2. JavaScript the museum view loads, gzip as sent (Resource Timing encodedBodySize; goal <= 250 KB).
3. An emulated headset (iwer, Quest 3) in immersive-vr: frame interval and CPU time per frame.

WebGL runs on SwiftShader (the CPU), so frame times are an upper bound of what a GPU gives.
Run: .venv/bin/python bench/frontend/run.py [--runs 3] [--url http://127.0.0.1:8000] [--gallery lobby]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.frontend.museum_at import museum_at  # noqa: E402
from tests.frontend.browser import chromium, watch, with_headset  # noqa: E402
from tests.frontend.test_museum import PIXEL_7  # noqa: E402

MARKS = """() => {
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const js = performance.getEntriesByType('resource').filter((r) => r.name.split('?')[0].endsWith('.js'));
  return {first_frame_ms: at('museum:first-frame'), room_ms: at('museum:room'), loaded_ms: at('museum:loaded'),
          manifest_ms: at('museum:manifest'), tier: museum.tier, bytes: museum.totalBytes,
          js_gzip_bytes: js.reduce((s, r) => s + r.encodedBodySize, 0),
          js_bytes: js.reduce((s, r) => s + r.decodedBodySize, 0), js_files: js.map((r) => r.name)};
}"""


def phone_run(browser: Any, url: str) -> dict[str, Any]:
    """Load a gallery once on a throttled phone with an empty cache; return the page's timings."""
    context = browser.new_context(**PIXEL_7)
    try:
        page = context.new_page()
        seen = watch(context, page)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 165, "downloadThroughput": 9_000_000 / 8,
            "uploadThroughput": 9_000_000 / 8})
        page.goto(url)
        page.wait_for_function("() => window.museum && museum.ready && museum.framesRendered > 3", timeout=120_000)
        result: dict[str, Any] = page.evaluate(MARKS)
        result["blocked_requests"] = len(seen.blocked)
        result["console_errors"] = len(seen.console_errors)
        return result
    finally:
        context.close()


def vr_run(browser: Any, url: str, frames: int = 240) -> dict[str, Any]:
    """Enter immersive-vr on an emulated headset and measure frame intervals and CPU time per frame."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        with_headset(context)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.museum && museum.ready && museum.xr", timeout=120_000)
        page.locator(".vr-button").click()
        page.wait_for_function(f"() => museum.xr.presenting && museum.xr.frames > {frames + 30}", timeout=300_000)
        intervals = page.evaluate(f"museum.xr.frameTimes.slice(-{frames})")
        cpu = page.evaluate(f"museum.cpuTimes.slice(-{frames})")
        return {"frames": len(intervals), "interval_p50_ms": statistics.median(intervals),
                "interval_p95_ms": sorted(intervals)[int(0.95 * len(intervals)) - 1],
                "cpu_p50_ms": statistics.median(cpu), "cpu_p95_ms": sorted(cpu)[int(0.95 * len(cpu)) - 1]}
    finally:
        context.close()


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="a running museum (default: start one seeded with the demo)")
    parser.add_argument("--gallery", default="lobby")
    args = parser.parse_args()
    with museum_at(args.url, "bench-frontend-") as base:
        url = f"{base}/g/{args.gallery}"
        with chromium() as browser:
            phone_run(browser, url)  # warm the server's caches; the browser cache is disabled per run
            runs = [phone_run(browser, url) for _ in range(args.runs)]
            vr = vr_run(browser, url)
    first = statistics.median(r["first_frame_ms"] for r in runs)
    loaded = statistics.median(r["loaded_ms"] for r in runs)
    js_gzip = runs[-1]["js_gzip_bytes"]
    figures = {
        "gallery": args.gallery, "tier": runs[-1]["tier"], "gallery_bytes": runs[-1]["bytes"],
        "phone_first_frame_ms_p50": round(first), "phone_loaded_ms_p50": round(loaded),
        "phone_runs": [{k: r[k] for k in ("first_frame_ms", "room_ms", "loaded_ms", "manifest_ms")} for r in runs],
        "js_gzip_kb": round(js_gzip / 1000, 1), "js_raw_kb": round(runs[-1]["js_bytes"] / 1000, 1),
        "js_files": len(runs[-1]["js_files"]), "blocked_requests": sum(r["blocked_requests"] for r in runs),
        "console_errors": sum(r["console_errors"] for r in runs), "vr": vr,
    }
    print(json.dumps(figures, indent=2))
    print(f"phone 9 Mbit/s 165 ms, {args.gallery} ({figures['tier']} tier, {figures['gallery_bytes'] / 1e6:.2f} MB): "
          f"first frame {first / 1000:.2f} s (goal <= 3), everything loaded {loaded / 1000:.2f} s (goal <= 6)")
    print(f"JavaScript for the museum view: {js_gzip / 1000:.1f} KB gzip in {figures['js_files']} files "
          f"(goal <= 250)")
    print(f"emulated VR (SwiftShader): frame interval p50 {vr['interval_p50_ms']:.1f} ms, p95 "
          f"{vr['interval_p95_ms']:.1f} ms; CPU per frame p50 {vr['cpu_p50_ms']:.1f} ms, p95 {vr['cpu_p95_ms']:.1f} ms")
    out = Path(__file__).resolve().parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "frontend.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
