"""An exhibit's SMS link on a slow phone: when its title, its own 3D model and the room around it appear.

A Pixel-class phone (touch, 412x915, DPR 2.6) on slow 4G (1.6 Mbit/s down, 150 ms latency, via CDP
Network.emulateNetworkConditions), empty cache, opens `/e/<exhibit>`. Figures, from navigation start:
- title: the exhibit's title painted (Element Timing of the title in the first HTML; goal <= 1.5 s);
- exhibit 3D: the first frame that draws the exhibit's own model (goal <= 2.5 s);
- room: the gallery's room loaded (after the exhibit);
- peer: the same phone opening the exhibit's gallery page `/g/<gallery>`, which shows nothing of the exhibit until
  the room has loaded (how an exhibit link behaved before it brought its exhibit first); printed as ratios.

WebGL runs on SwiftShader (the CPU), so 3D times include software drawing on a shared machine.
Run: .venv/bin/python bench/frontend/exhibit_link.py [--runs 3] [--url http://127.0.0.1:8000]
     [--exhibit cardiac-surgery-heart-model]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.frontend.museum_at import museum_at  # noqa: E402
from tests.frontend.browser import chromium, watch  # noqa: E402
from tests.frontend.test_museum import PIXEL_7  # noqa: E402

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}

FIGURES = """async () => {
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const title = await new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const entry = list.getEntries().find((e) => e.identifier === 'exhibit-title');
      if (entry) resolve(entry.renderTime || entry.loadTime);
    }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(null), 2000);
  });
  return { title_ms: title, fcp_ms: at('first-contentful-paint'), exhibit_3d_ms: at('museum:exhibit-3d'),
           room_ms: at('museum:room'), loaded_ms: at('museum:loaded'), first_frame_ms: at('museum:first-frame') };
}"""


def throttled_page(browser: Any) -> tuple[Any, Any]:
    """Return a new phone context and page on slow 4G with the cache disabled."""
    context = browser.new_context(**PIXEL_7)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    return context, page


def link_run(browser: Any, url: str) -> dict[str, Any]:
    """Open an exhibit's link once; return when its title, its model and the room appeared."""
    context, page = throttled_page(browser)
    try:
        seen = watch(context, page)
        page.goto(url)
        page.wait_for_function("() => window.museum && museum.ready && museum.focused", timeout=300_000, polling=100)
        result: dict[str, Any] = page.evaluate(FIGURES)
        result["errors"] = len(seen.console_errors) + len(seen.blocked)
        return result
    finally:
        context.close()


def gallery_run(browser: Any, url: str) -> dict[str, Any]:
    """Open the exhibit's gallery page once; return when the room and everything were loaded."""
    context, page = throttled_page(browser)
    try:
        page.goto(url)
        page.wait_for_function("() => window.museum && museum.ready", timeout=300_000, polling=100)
        return page.evaluate(FIGURES)  # type: ignore[no-any-return]
    finally:
        context.close()


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="a running museum (default: start one seeded with the demo)")
    parser.add_argument("--exhibit", default="cardiac-surgery-heart-model")
    args = parser.parse_args()
    with museum_at(args.url, "bench-exhibit-link-") as base:
        with urllib.request.urlopen(f"{base}/api/v1/exhibits/{args.exhibit}") as response:
            gallery = json.load(response)["galleries"][0]["slug"]
        with chromium() as browser:
            link_run(browser, f"{base}/e/{args.exhibit}")  # warm the server's caches
            links = [link_run(browser, f"{base}/e/{args.exhibit}") for _ in range(args.runs)]
            peers = [gallery_run(browser, f"{base}/g/{gallery}") for _ in range(args.runs)]

    def p50(runs: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median((r[key] if r[key] is not None else float("nan")) for r in runs))

    title, model, room = p50(links, "title_ms"), p50(links, "exhibit_3d_ms"), p50(links, "room_ms")
    peer = p50(peers, "loaded_ms")
    figures = {"exhibit": args.exhibit, "gallery": gallery, "network": "1.6 Mbit/s, 150 ms", "runs": links,
               "peer_runs": peers, "title_ms_p50": round(title), "exhibit_3d_ms_p50": round(model),
               "room_ms_p50": round(room), "peer_gallery_loaded_ms_p50": round(peer)}
    print(json.dumps(figures, indent=2))
    print(f"/e/{args.exhibit} on a Pixel phone, 1.6 Mbit/s 150 ms, empty cache (median of {args.runs}):")
    print(f"  title    {title / 1000:.2f} s (goal <= 1.5)   {peer / title:.1f}x sooner than the gallery page's "
          f"{peer / 1000:.2f} s")
    print(f"  exhibit  {model / 1000:.2f} s (goal <= 2.5)   {peer / model:.1f}x sooner")
    print(f"  room     {room / 1000:.2f} s (after the exhibit)")
    out = Path(__file__).resolve().parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "exhibit_link.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
