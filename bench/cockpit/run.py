"""Cockpit benchmark under `museum serve`, on SQLite and PostgreSQL, beside its peers, as ratios.

1. Ingest: POST /api/v1/events with batches of 20 visitor events at 16 connections (wrk): events/s
   (goal >= 2,000/s), beside a hello-world Flask route's requests/s under the same server (requests/s ratio).
2. Queries over ~1 million events in 90 days, rolled up as the worker does: the summary (7, 30 and 90 days), the
   CSV export and the tile layout, p50 and p95 of sequential requests (goal p95 <= 200 ms), beside the peer: one
   plain `SELECT count(*)` of the same 90 days' raw events.
3. The dashboard's first meaningful paint on a tablet profile in Chromium (SQLite): from navigation, signed in, to
   the key figures and the first chart drawn (goal <= 2 s), beside the same page's plain HTML shell load.

Run: .venv/bin/python bench/cockpit/run.py [--events 1000000] [--seconds 10] [--no-postgres] [--only-paint]
PostgreSQL: MUSEUM_BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test), in a schema of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.serverctl import VENV_BIN, free_port, hello_serve, need, start, stop, wrk  # noqa: E402

BATCH = 20
PG_URL = os.environ.get("MUSEUM_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "bench"
wrk.body = '%s'
"""


def batch_body() -> str:
    """Return a plausible batch of visitor events as JSON."""
    kinds = [{"type": "gallery_view", "gallery": "history-hall", "dwell_ms": 52000},
             {"type": "exhibit_view", "exhibit": "cardiac-surgery-heart-model", "gallery": "history-hall",
              "dwell_ms": 31000},
             {"type": "tour_step", "tour": "highlights", "step": 2},
             {"type": "search", "query": "ct scanner", "results": 0}]
    events = [dict(kinds[i % len(kinds)], device="phone", lang="zh-Hans", path="/g/history-hall")
              for i in range(BATCH)]
    return json.dumps({"events": events})


def instance_env(instance: Path, url: str | None) -> dict[str, str]:
    env = {"MUSEUM_INSTANCE_PATH": str(instance), "MUSEUM_SESSION_COOKIE_SECURE": "0"}
    if url:
        env["MUSEUM_DATABASE_URL"] = url
    return env


def pg_schema(name: str) -> str:
    """Create an empty PostgreSQL schema and return a URL that uses it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={name}')}"


def drop_pg_schema(name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


def clean_environ(env: dict[str, str]) -> None:
    """Keep in this process's environment only the museum settings of this instance (an earlier run's database URL
    would otherwise reach the next instance's commands)."""
    for name in [n for n in os.environ if n.startswith("MUSEUM_") and n not in env]:
        del os.environ[name]
    os.environ.update(env)


def museum(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    clean_environ(env)
    done = subprocess.run([str(VENV_BIN / "museum"), *args], env=dict(os.environ), capture_output=True,
                          text=True, input=stdin)
    if done.returncode:
        raise SystemExit(f"museum {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def serve(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    clean_environ(env)
    return start([str(VENV_BIN / "museum"), "serve", "--port", str(port), "--workers", str(workers), "--threads",
                  str(threads), "--no-job-worker"], env, f"http://127.0.0.1:{port}/api/v1")


def ingest(env: dict[str, str], seconds: int, workers: int, threads: int) -> dict[str, float]:
    """Return wrk's figures for POST /api/v1/events and how many events the database holds afterwards."""
    port = free_port()
    proc = serve(env, port, workers, threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % batch_body())
    try:
        result = _wrk_post(port, script.name, seconds)
    finally:
        stop(proc)
        os.unlink(script.name)
    return result


def _wrk_post(port: int, script: str, seconds: int) -> dict[str, float]:
    out = subprocess.run([need("wrk"), "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", script,
                          f"http://127.0.0.1:{port}/api/v1/events"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"rps": rps, "events_per_s": rps * BATCH, "non_2xx": float(errors.group(1)) if errors else 0.0,
            "p99_ms": float(p99.group(1)) * units[p99.group(2)] if p99 else float("nan")}


def seed_events(env: dict[str, str], target: int) -> tuple[int, float, float]:
    """Write ~target events over 90 days (the demo's shape, scaled) and roll them up; return count and seconds."""
    clean_environ(env)  # the app reads its settings from the environment

    from museum import create_app
    from museum.cockpit.tick import run_tick
    from museum.core.db import get_db
    from museum.demo import traffic
    from museum.models.cockpit import VISIT_EVENTS

    app = create_app()
    tz = ZoneInfo(app.config["MUSEUM_COCKPIT_TIMEZONE"])
    # The demo writes ~150,000 events in 90 days at 14 visitors in a busy hour; scale it to the target.
    traffic.BASE_VISITORS = 14.0 * target / 150_000
    now = datetime.now(UTC)
    today = now.astimezone(tz).date()
    started = time.monotonic()
    total = 0
    database = get_db(app)
    for offset in range(traffic.DAYS, -1, -1):
        rows = traffic.day_events(today - timedelta(days=offset), today, tz, now)
        with database.write() as session:
            for chunk in range(0, len(rows), 10_000):
                session.execute(VISIT_EVENTS.insert(), rows[chunk:chunk + 10_000])
        total += len(rows)
    written = time.monotonic() - started
    app.config["MUSEUM_EVENTS_RETENTION_DAYS"] = 365  # keep the raw events, for the peer's count
    started = time.monotonic()
    run_tick(app, now)
    rolled = time.monotonic() - started
    database.dispose()
    return total, written, rolled


def timed(url: str, token: str, runs: int) -> dict[str, float]:
    """Return p50 and p95 in ms of sequential GETs of a URL (after one warm-up)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    urllib.request.urlopen(request).read()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[max(0, int(round(0.95 * len(times))) - 1)]}


def raw_count(env: dict[str, str], runs: int) -> dict[str, float]:
    """Time the peer: a plain count of the last 90 days' raw events."""
    from sqlalchemy import func, select

    from museum.core.db import make_engine
    from museum.models import VisitEvent

    url = env.get("MUSEUM_DATABASE_URL") or f"sqlite:///{env['MUSEUM_INSTANCE_PATH']}/museum.db"
    engine = make_engine(url)
    since = datetime.now(UTC) - timedelta(days=90)
    stmt = select(func.count()).select_from(VisitEvent).where(VisitEvent.at >= since)
    times = []
    with engine.connect() as conn:
        conn.execute(stmt).scalar()
        for _ in range(runs):
            began = time.perf_counter()
            conn.execute(stmt).scalar()
            times.append((time.perf_counter() - began) * 1000)
    engine.dispose()
    times.sort()
    return {"p50": statistics.median(times), "p95": times[max(0, int(round(0.95 * len(times))) - 1)]}


def queries(env: dict[str, str], token: str, runs: int, workers: int, threads: int) -> dict[str, dict[str, float]]:
    port = free_port()
    proc = serve(env, port, workers, threads)
    base = f"http://127.0.0.1:{port}"
    today = datetime.now(UTC).date()
    try:
        out = {}
        for days in (7, 30, 90):
            first = today - timedelta(days=days - 1)
            out[f"summary {days} days"] = timed(f"{base}/api/v1/cockpit/summary?from={first}&to={today}", token, runs)
        first = today - timedelta(days=89)
        out["export.csv 90 days"] = timed(f"{base}/api/v1/cockpit/export.csv?from={first}&to={today}", token, runs)
        out["layout"] = timed(f"{base}/api/v1/cockpit/layout", token, runs)
    finally:
        stop(proc)
    return out


def paint(url: str, user: str, password: str, runs: int = 5) -> dict[str, float]:
    """Return the median ms to the dashboard's first chart (signed in, tablet profile) and to the HTML shell's load."""
    from tests.frontend.browser import chromium

    tablet = {"viewport": {"width": 1180, "height": 820}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True}
    painted, shell = [], []
    with chromium() as browser:
        context = browser.new_context(**tablet)
        signed = context.request.post(url + "/api/v1/session", data={"name": user, "password": password},
                                      headers={"Origin": url})
        assert signed.ok, signed.text()
        page = context.new_page()
        for _ in range(runs):
            page.goto(url + "/cockpit")
            page.wait_for_selector("[data-tile=key_figures] .figure .value")
            page.wait_for_function("() => { const c = document.querySelector('[data-tile=visitors_by_day] canvas');"
                                   " return c && c.width > 0; }")
            painted.append(page.evaluate("performance.now()"))
            shell.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        context.close()
    return {"paint_ms": statistics.median(painted), "shell_ms": statistics.median(shell)}


def run_paint(args: argparse.Namespace) -> None:
    """Seed the demo's 90 days into a fresh SQLite instance and time the dashboard's first paint."""
    with tempfile.TemporaryDirectory() as tmp:
        env = instance_env(Path(tmp), None)
        museum(env, "init")
        museum(env, "user", "create", "bench-manager", "--role", "manager", stdin="bench manager password\n")
        total, _, _ = seed_events(env, args.paint_events)
        port = free_port()
        proc = serve(env, port, args.workers, args.threads)
        try:
            got = paint(f"http://127.0.0.1:{port}", "bench-manager", "bench manager password")
        finally:
            stop(proc)
    verdict = "met" if got["paint_ms"] <= 2000 else "NOT met"
    print(f"paint    tablet, {total:,} events: first chart at {got['paint_ms']:.0f} ms (median of 5), "
          f"HTML shell loaded at {got['shell_ms']:.0f} ms: x{got['paint_ms'] / max(got['shell_ms'], 1):.1f}; "
          f"goal <= 2,000 ms: {verdict}")


def run_database(name: str, url: str | None, args: argparse.Namespace, hello_rps: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        env = instance_env(instance, url)
        museum(env, "init")
        print(f"\n== {name} ==")
        got = ingest(env, args.seconds, args.workers, args.threads)
        print(f"ingest   POST /api/v1/events ({BATCH} a batch, 16 connections): {got['events_per_s']:,.0f} events/s "
              f"({got['rps']:,.0f} req/s, p99 {got['p99_ms']:.1f} ms, non-2xx {got['non_2xx']:.0f}); "
              f"goal >= 2,000/s: {'met' if got['events_per_s'] >= 2000 and not got['non_2xx'] else 'NOT met'}")
        print(f"         beside hello-world GET {hello_rps:,.0f} req/s: ratio {got['rps'] / hello_rps:.2f}x")
        museum(env, "user", "create", "bench-manager", "--role", "manager", stdin="bench manager password\n")
        token = museum(env, "token", "create", "bench", "--user", "bench-manager").strip().splitlines()[-1]
        total, written, rolled = seed_events(env, args.events)
        print(f"seeded   {total:,} events over 90 days in {written:.0f} s; first roll-up {rolled:.0f} s")
        peer = raw_count(env, args.runs)
        print(f"peer     SELECT count(*) of 90 days' raw events: p50 {peer['p50']:.1f} ms, p95 {peer['p95']:.1f} ms")
        for label, figures in queries(env, token, args.runs, args.workers, args.threads).items():
            verdict = "met" if figures["p95"] <= 200 else "NOT met"
            print(f"query    {label:20} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
                  f"(x{figures['p95'] / max(peer['p95'], 0.001):.2f} the peer's p95; goal <= 200 ms: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--only-paint", action="store_true", help="Only time the dashboard's first paint.")
    parser.add_argument("--paint-events", type=int, default=150_000)
    args = parser.parse_args()
    if args.only_paint:
        run_paint(args)
        return
    print(f"cockpit benchmark: {os.cpu_count()} cores, {args.workers} workers x {args.threads} threads")
    port = free_port()
    hello = hello_serve(port, args.workers, args.threads)
    try:
        hello_rps = wrk(f"http://127.0.0.1:{port}/hello", 16, args.seconds)["rps"]
    finally:
        stop(hello)
    run_database("SQLite", None, args, hello_rps)
    if not args.no_postgres:
        schema = f"cockpit_bench_{os.getpid()}"
        try:
            run_database("PostgreSQL", pg_schema(schema), args, hello_rps)
        finally:
            drop_pg_schema(schema)
    run_paint(args)


if __name__ == "__main__":
    main()
