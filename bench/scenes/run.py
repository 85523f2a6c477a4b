"""Scene benchmark on the demo museum under `museum serve`.

1. The scene manifest of the demo's largest gallery (most placements): latency over sequential requests on one
   kept-alive connection (p50 goal <= 20 ms, p99 reported), requests/s from wrk, and 304 on revalidation; also
   the latency of answers built from the database (a cache miss each, by an ignored query parameter).
2. The phone tier of the demo lobby: the manifest and every file it lists, fetched and counted (goal <= 3 MB).
3. The lobby composed into one GLB (phone tier): first build and cached answer times, and its size.

Run: .venv/bin/python bench/scenes/run.py [--requests 400] [--workers 2] [--threads 8] [--instance DIR]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.serverctl import VENV_BIN, free_port, museum_serve, stop, wrk  # noqa: E402

PLACEMENT_CHECK_MS = 50.0  # the studio checks a layout on every save
MANIFEST_P50_MS = 20.0
PHONE_LOBBY_BYTES = 3_000_000


def seed(instance: Path) -> float:
    """Create the demo museum in an instance folder with `museum init` and `museum demo`; return seconds taken."""
    env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance)}
    start = time.perf_counter()
    for command in (["init"], ["demo"]):
        subprocess.run([str(VENV_BIN / "museum"), *command], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    """GET a path on a kept-alive connection; return status, headers and body."""
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    return response.status, response.headers, body


def percentile(values: list[float], pct: float) -> float:
    """Return a percentile of a list by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def file_urls(value: Any) -> set[str]:
    """Return every content-hashed file URL (/files/...) anywhere in a manifest."""
    if isinstance(value, dict):
        return set().union(*(file_urls(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(file_urls(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) and value.startswith("/files/") else set()


def largest_gallery(conn: http.client.HTTPConnection) -> str:
    """Return the slug of the gallery with the most placed exhibits (then the most bytes)."""
    _, _, body = get(conn, "/api/v1/galleries?per_page=100")
    sizes = []
    for item in json.loads(body)["items"]:
        _, _, manifest = get(conn, f"/api/v1/galleries/{item['slug']}/manifest?tier=vr")
        data = json.loads(manifest)
        sizes.append((len(data["exhibits"]), data["totals"]["bytes"], item["slug"]))
    return max(sizes)[2]


def bench_manifest(port: int, slug: str, requests: int) -> dict[str, Any]:
    """Time the manifest over sequential requests and check revalidation."""
    path = f"/api/v1/galleries/{slug}/manifest?tier=vr&lang=zh-Hans"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(20):  # warm every worker's cache and connection
        get(conn, path)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        status, headers, body = get(conn, path)
        timings.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    etag = headers["ETag"]
    revalidated, _, _ = get(conn, path, {"If-None-Match": etag})
    # A query parameter the view ignores still makes a new cache key: these answers are built from the database.
    built = []
    for n in range(100):
        start = time.perf_counter()
        status, _, _ = get(conn, f"{path}&bench={n}")
        built.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    conn.close()
    loaded = wrk(f"http://127.0.0.1:{port}{path}", connections=8, seconds=5)
    return {"gallery": slug, "requests": requests, "bytes": len(body), "p50_ms": statistics.median(timings),
            "p99_ms": percentile(timings, 99), "max_ms": max(timings), "revalidation_status": revalidated,
            "uncached_p50_ms": statistics.median(built), "uncached_p99_ms": percentile(built, 99),
            "wrk_c8_rps": loaded["rps"], "wrk_c8_p50_ms": loaded.get("p50_ms"), "wrk_c8_p99_ms": loaded.get("p99_ms"),
            "wrk_non_2xx": loaded["non_2xx"]}


def bench_phone_lobby(port: int) -> dict[str, Any]:
    """Fetch the lobby's phone manifest and every file it lists; return the bytes counted."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _, _, body = get(conn, "/api/v1/galleries/lobby/manifest?tier=phone")
    manifest = json.loads(body)
    files = {}
    for url in sorted(file_urls(manifest)):
        status, _, data = get(conn, url)
        assert status == 200, (url, status)
        files[url] = len(data)
    conn.close()
    total = len(body) + sum(files.values())
    return {"manifest_bytes": len(body), "files": len(files), "file_bytes": sum(files.values()),
            "total_bytes": total, "manifest_totals_bytes": manifest["totals"]["bytes"],
            "within_budget": manifest["within_budget"], "fallbacks": len(manifest["fallbacks"])}


def bench_composed(port: int) -> dict[str, Any]:
    """Time the lobby's composed GLB: the first answer builds it, later ones read it from the store."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    path = "/api/v1/galleries/lobby/scene.glb?tier=phone"
    start = time.perf_counter()
    status, headers, body = get(conn, path)
    first = (time.perf_counter() - start) * 1000
    cached = []
    for _ in range(20):
        start = time.perf_counter()
        get(conn, path)
        cached.append((time.perf_counter() - start) * 1000)
    revalidated, _, _ = get(conn, path, {"If-None-Match": headers["ETag"]})
    conn.close()
    return {"status": status, "bytes": len(body), "first_ms": first, "cached_p50_ms": statistics.median(cached),
            "revalidation_status": revalidated}


def bench_placement_checks(repeat: int = 20) -> dict[str, Any]:
    """Time scenes.placement's checks of fifty rotated exhibits in a 24 x 20 m room (best and median of runs)."""
    from scenes.placement import PlacementSpec, RoomSpec, validate_gallery

    room = RoomSpec(floor=[[-12, -10], [12, -10], [12, 10], [-12, 10]], height_m=5.0, spawns=[[0.0, 0.0, 9.0]])
    bounds = {"min": [-0.5, 0.0, -0.5], "max": [0.5, 1.0, 0.5]}  # a 1 m cube standing on its origin
    specs = [PlacementSpec(i, f"exhibit-{i}", [-10.0 + 2.2 * (i % 10), 0.0, -8.0 + 3.5 * (i // 10)],
                           [0.0, 7.0 * i, 0.0], bounds=bounds) for i in range(50)]
    problems = validate_gallery(room, specs)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        validate_gallery(room, specs)
        timings.append((time.perf_counter() - start) * 1000)
    return {"placements": len(specs), "problems": len(problems), "best_ms": min(timings),
            "median_ms": statistics.median(timings)}


def rounded(value: Any) -> Any:
    """Return the figures with floats to two decimals."""
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return round(value, 2) if isinstance(value, float) else value


def main() -> int:
    """Seed the demo, serve it, measure, print the figures as JSON and a verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--instance", type=Path, help="an instance folder already holding the demo")
    args = parser.parse_args()
    scratch = None if args.instance else Path(tempfile.mkdtemp(prefix="bench-scenes-"))
    instance: Path = args.instance if scratch is None else scratch / "instance"
    seconds = 0.0 if scratch is None else seed(instance)
    port = free_port()
    server = museum_serve(instance, port, args.workers, args.threads)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        slug = largest_gallery(conn)
        conn.close()
        figures = {"seed_s": round(seconds, 1), "workers": args.workers, "threads": args.threads,
                   "manifest": bench_manifest(port, slug, args.requests), "phone_lobby": bench_phone_lobby(port),
                   "composed_lobby": bench_composed(port), "placement_checks": bench_placement_checks()}
    finally:
        stop(server)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(rounded(figures), indent=2))
    manifest, lobby, placing = figures["manifest"], figures["phone_lobby"], figures["placement_checks"]
    checks = {
        f"manifest p50 {manifest['p50_ms']:.2f} ms <= {MANIFEST_P50_MS:.0f} ms": manifest["p50_ms"] <= MANIFEST_P50_MS,
        f"manifest revalidation answers {manifest['revalidation_status']}": manifest["revalidation_status"] == 304,
        f"phone lobby {lobby['total_bytes']:,} bytes <= {PHONE_LOBBY_BYTES:,}": lobby["total_bytes"]
        <= PHONE_LOBBY_BYTES,
        f"50 placements checked in {placing['best_ms']:.1f} ms <= {PLACEMENT_CHECK_MS:.0f} ms": placing["best_ms"]
        <= PLACEMENT_CHECK_MS and placing["problems"] == 0,
    }
    for text, ok in checks.items():
        print(("PASS " if ok else "FAIL ") + text)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
