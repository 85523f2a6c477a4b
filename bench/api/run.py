"""Catalogue and file-serving benchmark under `museum serve`, side by side with their peers, as ratios.

1. The exhibit list (50 exhibits, zh-Hans) vs a hello-world Flask route, same server and worker settings:
   requests/s ratio (goal >= 0.8x) and p99 at 32 connections (goal <= 50 ms).
2. A 20 MB GLB fetched by 8 connections vs nginx sending the same file from disk: throughput ratio (goal >= 0.8x).
3. 64 slow clients (50 KB/s) downloading GLBs while a fast client fetches the catalogue: its worst time (< 100 ms).

Run: .venv/bin/python bench/api/run.py [--seconds 10] [--workers 4] [--threads 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.serverctl import (  # noqa: E402
    VENV_BIN,
    free_port,
    hello_serve,
    museum_serve,
    need,
    stop,
    wait_ready,
    wrk,
)


def seed(instance: Path, exhibits: int = 50, glb_mb: int = 20) -> str:
    """Create a museum with published exhibits and one large GLB; return the GLB's URL path."""
    env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance)}
    subprocess.run([str(VENV_BIN / "museum"), "init"], env=env, check=True, capture_output=True)
    os.environ["MUSEUM_INSTANCE_PATH"] = str(instance)
    from museum import create_app
    from museum.core.db import get_db
    from museum.core.http_cache import bump_catalogue
    from museum.core.media_types import file_url
    from museum.models import Era, Exhibit, ExhibitTag
    from museum.uploads.store import record_file

    app = create_app()
    payload = os.urandom(glb_mb * 1024 * 1024)
    with app.app_context(), get_db().write() as s:
        era = Era(slug="smart-hospital", status="published", start_year=2019,
                  title={"zh-Hans": "智慧医院", "zh-Hant": "智慧醫院", "en": "Smart hospital"})
        s.add(era)
        for i in range(exhibits):
            exhibit = Exhibit(
                slug=f"exhibit-{i:03d}", status="published", era=era,
                title={"zh-Hans": f"展品{i}号：医疗无人机", "zh-Hant": f"展品{i}號：醫療無人機",
                       "en": f"Exhibit {i}: UAV"},
                summary={"zh-Hans": "最高时速65公里，最大载重15公斤，运送血液和样本。" * 2,
                         "zh-Hant": "最高時速65公里，最大載重15公斤，運送血液和樣本。" * 2,
                         "en": "Up to 65 km/h and 15 kg, carrying blood and samples. " * 2})
            exhibit.tags = [ExhibitTag(tag="5g"), ExhibitTag(tag="uav")]
            s.add(exhibit)
        stored = record_file(s, app.extensions["museum.storage"], b"glTF" + payload, "model/gltf-binary")
        bump_catalogue(s)
    return file_url(stored.sha256, "model/gltf-binary")


def nginx_serve(root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start nginx serving a folder, with sendfile, as the file-serving peer."""
    conf = root.parent / "nginx.conf"
    conf.write_text(f"""
daemon off; worker_processes {workers}; pid {root.parent}/nginx.pid; error_log {root.parent}/nginx.err;
user root;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_timeout 30;
  types {{ model/gltf-binary glb; }}
  server {{ listen 127.0.0.1:{port}; root {root}; location / {{ }} }}
}}
""")
    proc = subprocess.Popen([need("nginx"), "-c", str(conf)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc


async def _slow_download(port: int, path: str, rate: int, stop_at: float, got: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    total = 0
    chunk = rate // 10
    while time.monotonic() < stop_at:
        data = await reader.read(chunk)
        if not data:
            break
        total += len(data)
        await asyncio.sleep(0.1)
    got.append(total)
    writer.close()


async def _fast_client(port: int, path: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        body = await reader.read()
        times.append((time.perf_counter() - started) * 1000)
        assert body.startswith(b"HTTP/1.1 200"), body[:100]
        writer.close()
        await asyncio.sleep(0.2)
    return times


async def slow_clients(port: int, glb: str, catalogue: str, clients: int, seconds: float) -> dict[str, float]:
    """Hold `clients` slow GLB downloads open while a fast client fetches the catalogue."""
    stop_at = time.monotonic() + seconds
    got: list[int] = []
    slow = [asyncio.create_task(_slow_download(port, glb, 50 * 1024, stop_at, got)) for _ in range(clients)]
    await asyncio.sleep(1.0)
    times = await _fast_client(port, catalogue, 20)
    await asyncio.gather(*slow)
    return {"fast_max_ms": max(times), "fast_p50_ms": statistics.median(times),
            "slow_kbps_each": statistics.mean(got) / seconds / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        instance = Path(tmp) / "instance"
        glb = seed(instance)
        catalogue = "/api/v1/exhibits?per_page=50&lang=zh-Hans"
        port, hello_port, nginx_port = free_port(), free_port(), free_port()
        museum = museum_serve(instance, port, args.workers, args.threads)
        hello = hello_serve(hello_port, args.workers, args.threads)
        try:
            wrk(f"http://127.0.0.1:{port}{catalogue}", 32, 2)  # warm every worker's cache
            wrk(f"http://127.0.0.1:{hello_port}/hello", 32, 2)
            ours = wrk(f"http://127.0.0.1:{port}{catalogue}", 32, args.seconds)
            peer = wrk(f"http://127.0.0.1:{hello_port}/hello", 32, args.seconds)
            print("catalogue: exhibit list of 50 (zh-Hans) vs hello-world Flask, 32 connections, "
                  f"{args.workers} workers x {args.threads} threads")
            print(f"  museum   {ours['rps']:9.0f} req/s  p50 {ours['p50_ms']:6.2f} ms  p99 {ours['p99_ms']:6.2f} ms")
            print(f"  hello    {peer['rps']:9.0f} req/s  p50 {peer['p50_ms']:6.2f} ms  p99 {peer['p99_ms']:6.2f} ms")
            print(f"  ratio    {ours['rps'] / peer['rps']:.2f}x  (goal >= 0.80x; p99 goal <= 50 ms)")
        finally:
            stop(hello)
        storage = instance / "storage"
        sha = glb.rsplit("/", 1)[1].split(".")[0]
        nginx = nginx_serve(storage, nginx_port, args.workers)
        nginx_path = f"/{sha[:2]}/{sha[2:4]}/{sha}"
        try:
            wait_ready(f"http://127.0.0.1:{nginx_port}{nginx_path}")
            ours_file = wrk(f"http://127.0.0.1:{port}{glb}", 8, args.seconds)
            peer_file = wrk(f"http://127.0.0.1:{nginx_port}{nginx_path}", 8, args.seconds)
            mb = 1024 * 1024
            print("files: 20 MB GLB, 8 connections, museum vs nginx from disk")
            print(f"  museum   {ours_file['bytes_per_s'] / mb:9.0f} MB/s")
            print(f"  nginx    {peer_file['bytes_per_s'] / mb:9.0f} MB/s")
            print(f"  ratio    {ours_file['bytes_per_s'] / peer_file['bytes_per_s']:.2f}x  (goal >= 0.80x)")
        finally:
            stop(nginx)
        try:
            slow = asyncio.run(slow_clients(port, glb, catalogue, 64, 10.0))
            print("slow clients: 64 phones downloading GLBs at 50 KB/s, one fast client fetching the catalogue")
            print(f"  fast client worst {slow['fast_max_ms']:.1f} ms, median {slow['fast_p50_ms']:.1f} ms "
                  f"(goal < 100 ms); slow clients got {slow['slow_kbps_each']:.0f} KB/s each")
        finally:
            stop(museum)


if __name__ == "__main__":
    main()
