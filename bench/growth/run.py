"""Growth benchmark: how the museum's costs grow from 100 to 1,000 to 10,000 exhibits, on SQLite and PostgreSQL.

For each size and database, a museum is seeded (bench/growth/seed.py: N exhibits in N/100 galleries, N/50 tours,
N/5 events, N/10 stored models, 10 N expired guest photos) and measured:

- `museum check`: seconds per stored file (goal: flat from 100 to 1,000 models);
- `museum photos purge` of the 10 N expired photos: seconds and the process's peak memory (one pass, bounded);
- under `museum serve` (its default workers and threads), with wrk at 32 connections: the public exhibit list,
  search in Chinese and in English, and a gallery's phone manifest, each warm (goal p99 <= 50 ms at 10,000),
  then the whole mix in the 10 s after a curator publishes an exhibit through the studio API (goal p99 <= 200 ms);
- the studio's exhibit list, a page at a time, with a curator's token (goal <= 100 ms).

The last columns compare 10,000 exhibits with 100 (the growth: flat is ~1x, linear would be 100x).

Run: .venv/bin/python bench/growth/run.py [--sizes 100,1000,10000] [--seconds 5] [--no-postgres]
PostgreSQL is used when 127.0.0.1:5432 answers (MUSEUM_BENCH_POSTGRES_URL to point elsewhere); a database is
created per size and dropped afterwards. Figures go to bench/out/growth.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.growth.seed import seed  # noqa: E402
from bench.serverctl import VENV_BIN, free_port, pg_database, postgres_ok, start, stop, wrk_paths  # noqa: E402

SEARCHES_ZH = ["心脏", "铜制听诊器", "手术"]
SEARCHES_EN = ["stethoscope", "cardiac surgery", "brass"]
GOALS = {"warm_p99_ms": 50.0, "after_publish_p99_ms": 200.0, "studio_ms": 100.0}


def _peak_rss_of(env: dict[str, str], *args: str) -> tuple[str, float, float]:
    """Run a museum command and return output, seconds and its own peak resident memory in MB."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(VENV_BIN / "museum"), *args], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = proc.stdout.read().decode() if proc.stdout else ""
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"museum {' '.join(args)} failed: {err[-2000:]}")
    return out, seconds, usage.ru_maxrss / 1024


def _check_per_file() -> tuple[int, float]:
    """Time `museum check`'s verification of the seeded store in this process (no start-up); ms per file."""
    from museum import create_app
    from museum.core.db import get_db
    from museum.uploads.check import check_store

    app = create_app()  # the seeded museum: seed() left its settings in the environment
    with app.app_context(), get_db().read() as session:
        started = time.perf_counter()
        report = check_store(session, app.extensions["museum.storage"])
        seconds = time.perf_counter() - started
    app.extensions["museum.db"].dispose()
    return int(report["files"]), seconds * 1000 / max(int(report["files"]), 1)


def _request(base: str, method: str, path: str, token: str, body: dict[str, Any] | None = None) -> tuple[Any, float]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as response:
        payload = json.loads(response.read())
    return payload, (time.perf_counter() - started) * 1000


def _settle(database_url: str | None) -> None:
    """Write the seed's files and database pages out before measuring: 10 N photo files and the rows just
    written would otherwise be flushed by the kernel and PostgreSQL's checkpointer during the serving figures,
    which a live museum, whose photos come a few a minute, never sees at once."""
    os.sync()
    if database_url:
        from sqlalchemy import create_engine, text

        engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))
        engine.dispose()


def _paths(n: int) -> dict[str, list[str]]:
    galleries = max(1, n // 100)
    return {
        "list": [f"/api/v1/exhibits?page={p}" for p in range(1, min(5, max(1, n // 20)) + 1)],
        "search_zh": ["/api/v1/search?q=" + urllib.parse.quote(q) for q in SEARCHES_ZH],
        "search_en": ["/api/v1/search?lang=en&q=" + urllib.parse.quote(q) for q in SEARCHES_EN],
        "manifest": [f"/api/v1/galleries/gallery-{g}/manifest?tier=phone" for g in range(1, min(5, galleries) + 1)],
    }


def measure(backend: str, n: int, seconds: int, workdir: Path, photos_per_exhibit: int = 10) -> dict[str, Any]:
    """Seed a museum of n exhibits on a backend and measure it."""
    instance = workdir / f"{backend}-{n}"
    database_url = None
    if backend == "postgresql":
        database_url = pg_database(f"museum_growth_{os.getpid()}_{n}", create=True)
    result: dict[str, Any] = {"backend": backend, "exhibits": n}
    seeded = seed(instance, database_url, n, photos=n * photos_per_exhibit)
    result["seed_s"] = seeded["seconds"]
    _settle(database_url)
    env = {"MUSEUM_INSTANCE_PATH": str(instance), "MUSEUM_CACHE_CHECK_SECONDS": "1",
           "MUSEUM_SESSION_COOKIE_SECURE": "false"}
    if database_url:
        env["MUSEUM_DATABASE_URL"] = database_url

    subprocess.run([str(VENV_BIN / "museum"), "user", "create", "bench", "--role", "admin"], input="bench-password-1\n",
                   text=True, env={**os.environ, **env}, check=True, capture_output=True)
    token = subprocess.run([str(VENV_BIN / "museum"), "token", "create", "growth", "--user", "bench"], text=True,
                           env={**os.environ, **env}, check=True, capture_output=True).stdout.strip().splitlines()[-1]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start([str(VENV_BIN / "museum"), "serve", "--port", str(port), "--no-job-worker"], env,
                   f"{base}/api/v1")
    try:
        paths = _paths(n)
        everything = [p for group in paths.values() for p in group]
        started = time.perf_counter()
        # Warm every worker's cache: each request on a new connection, so the kernel hands them to all the
        # workers (a keep-alive connection stays with the worker that accepted it, which may leave one cold).
        wrk_paths(base, everything, connections=32, seconds=3, headers={"Accept-Encoding": "gzip",
                                                                        "Connection": "close"})
        result["warm_up_s"] = round(time.perf_counter() - started, 1)
        for kind, group in paths.items():
            figures = wrk_paths(base, group, connections=32, seconds=seconds)
            result[f"{kind}_p99_ms"] = round(figures["p99_ms"], 1)
            result[f"{kind}_rps"] = round(figures["rps"])
            result.setdefault("errors", 0)
            result["errors"] += int(figures["non_2xx"] + figures.get("socket_errors", 0))

        studio = [_request(base, "GET", f"/api/v1/studio/exhibits?per_page=50&page={p}", token)[1]
                  for p in (1, 2, 3, 1, 2, 3, 1, 2, 3, 1)]
        result["studio_list_max_ms"] = round(max(studio), 1)

        draft = _request(base, "GET", "/api/v1/studio/exhibits?status=draft&per_page=1", token)[0]["items"][0]
        _, publish_ms = _request(base, "POST", f"/api/v1/studio/exhibits/{draft['id']}/status", token,
                                 {"status": "published", "version": draft["version"]})
        result["publish_ms"] = round(publish_ms, 1)
        after = wrk_paths(base, everything, connections=32, seconds=10)
        result["after_publish_p99_ms"] = round(after["p99_ms"], 1)
        result["errors"] += int(after["non_2xx"] + after.get("socket_errors", 0))
        listed = json.loads(urllib.request.urlopen(f"{base}/api/v1/exhibits/{draft['slug']}", timeout=10).read())
        result["published_visible"] = listed["slug"] == draft["slug"]
    finally:
        stop(server)
    try:
        # After the serving figures: deleting 10 N photo files and their rows leaves the disk and the database
        # busy writing for a while, which a live museum (expiring an hour's photos at a time) never sees.
        out, purge_s, purge_mb = _peak_rss_of(env, "photos", "purge")
        result.update(purged=int(out.split()[1]), purge_s=round(purge_s, 1), purge_peak_mb=round(purge_mb, 1))
        # After the purge, so the check reads the stored models (the expired photos' files are gone).
        files, per_file = _check_per_file()
        result.update(check_files=files, check_ms_per_file=round(per_file, 2))
    finally:
        if database_url:
            pg_database(f"museum_growth_{os.getpid()}_{n}", create=False)
    return result


def _table(rows: list[dict[str, Any]]) -> str:
    columns = ["backend", "exhibits", "list_p99_ms", "search_zh_p99_ms", "search_en_p99_ms", "manifest_p99_ms",
               "after_publish_p99_ms", "studio_list_max_ms", "check_ms_per_file", "purged", "purge_s",
               "purge_peak_mb", "errors"]
    lines = [" | ".join(columns), " | ".join("---" for _ in columns)]
    lines += [" | ".join(str(r.get(c, "")) for c in columns) for r in rows]
    by = {(r["backend"], r["exhibits"]): r for r in rows}
    for backend in sorted({r["backend"] for r in rows}):
        sizes = sorted(n for b, n in by if b == backend)
        if len(sizes) < 2:
            continue
        small, large = by[(backend, sizes[0])], by[(backend, sizes[-1])]
        ratios = ", ".join(
            f"{c} {large[c] / small[c]:.2f}x" for c in columns[2:9] if small.get(c) and large.get(c) is not None)
        lines.append(f"\n{backend}: {sizes[-1]} vs {sizes[0]} exhibits (flat ~1x, linear {sizes[-1] // sizes[0]}x): "
                     + ratios)
    return "\n".join(lines)


def main() -> None:
    """Seed and measure each size on each database; print the table and the growth ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--photos-per-exhibit", type=int, default=10,
                        help="expired guest photos seeded per exhibit (the issue asks for 10)")
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if not args.no_postgres and postgres_ok() else [])
    rows = []
    with tempfile.TemporaryDirectory(prefix="museum-growth-") as tmp:
        for backend in backends:
            for n in (int(s) for s in args.sizes.split(",")):
                row = measure(backend, n, args.seconds, Path(tmp), args.photos_per_exhibit)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
    print()
    print(_table(rows))
    print(f"\ngoals: warm p99 <= {GOALS['warm_p99_ms']:.0f} ms at 10,000; after a publish <= "
          f"{GOALS['after_publish_p99_ms']:.0f} ms; studio list <= {GOALS['studio_ms']:.0f} ms; check per file flat")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "growth.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
