"""Start and stop the servers a benchmark compares, and run wrk against them."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = REPO / ".venv" / "bin"
POSTGRES = os.environ.get("MUSEUM_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 60.0) -> None:
    """Wait until a URL answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start(cmd: list[str], env: dict[str, str], url: str) -> subprocess.Popen[bytes]:
    """Start a server process and wait until it answers."""
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_ready(url)
    except BaseException:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server process and its children."""
    try:
        os.killpg(proc.pid, 15)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)


def museum_serve(instance: Path, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """Start `museum serve` on an instance folder."""
    return start([str(VENV_BIN / "museum"), "serve", "--port", str(port), "--workers", str(workers),
                  "--threads", str(threads), "--no-job-worker"],
                 {"MUSEUM_INSTANCE_PATH": str(instance)}, f"http://127.0.0.1:{port}/api/v1")


def hello_serve(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """Start a hello-world Flask app under the same server and settings as the museum."""
    return start([sys.executable, str(REPO / "bench" / "hello_app.py"), str(port), str(workers), str(threads)], {},
                 f"http://127.0.0.1:{port}/hello")


def need(tool: str) -> str:
    """Return a tool's path or stop with a clear message."""
    found = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None)
    if not found:
        raise SystemExit(f"{tool} is not installed: run `bash bench/setup.sh`")
    return found


def wrk(url: str, connections: int, seconds: int, threads: int = 2) -> dict[str, float]:
    """Run wrk and return requests/s, transfer bytes/s and latency percentiles in ms."""
    out = subprocess.run([need("wrk"), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """Return requests/s, transfer bytes/s, latency percentiles (ms) and non-2xx/3xx count from wrk's output."""
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    result: dict[str, float] = {}
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        if match:
            result[f"p{pct}_ms"] = float(match.group(1)) * units[match.group(2)]
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
    if transfer:
        result["bytes_per_s"] = float(transfer.group(1)) * scale.get(transfer.group(2), 1)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    return result


_ROTATE = """
local paths = {%s}
local headers = {%s}
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], headers)
end
"""


def wrk_paths(base: str, paths: list[str], connections: int, seconds: int, threads: int = 2,
              headers: dict[str, str] | None = None) -> dict[str, float]:
    """Run wrk over several paths of one server in turn; return what `wrk` returns, plus socket errors."""
    import tempfile

    quoted = ", ".join(f'"{p}"' for p in paths)
    sent = ", ".join(f'["{k}"] = "{v}"' for k, v in (headers or {"Accept-Encoding": "gzip"}).items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_ROTATE % (quoted, sent))
    try:
        # A 10 s timeout: on a busy machine a slow answer counts in the percentiles instead of vanishing.
        out = subprocess.run([need("wrk"), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                              "--timeout", "10s", "-s", script.name, base],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    result = parse_wrk(out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = float(sum(int(x) for x in socket.groups())) if socket else 0.0
    return result


def postgres_ok() -> bool:
    """Return whether the benches' PostgreSQL (MUSEUM_BENCH_POSTGRES_URL, default 127.0.0.1:5432) answers."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def pg_database(name: str, create: bool) -> str:
    """Drop the bench database `name` (and create it again when `create`); return its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return POSTGRES.rsplit("/", 1)[0] + "/" + name
