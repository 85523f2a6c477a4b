"""A busy weekend: the visitor mix at 200 connections for 60 s while 4 curators upload models; slow phones; cost.

The museum (bench/growth/seed.py at 1,000 exhibits, plus 50 guests' photos ready to share) runs under
`museum serve` (default workers and threads, job workers on) behind nginx with deploy/nginx/museum.conf.

1. Visitors, each kind its own wrk at once (200 connections in all): catalogue (exhibit lists, exhibit pages,
   search), gallery manifests, model files, share pages, timeline events; meanwhile 4 curators upload models in a
   loop through the API. Per kind: requests/s, p99 and errors (goal: 0 errors).
2. 64 slow phones (50 KB/s each) downloading models while a fast client reads the catalogue: its p99
   (goal < 100 ms).
3. Cost of one phone visit (the lobby page with its scripts, the museum, one gallery's phone manifest, its room and
   models): the server's CPU-seconds and the bytes sent, from 20 visits, and what that makes per app core.

Run: .venv/bin/python bench/load/run.py [--seconds 60]  (needs wrk and nginx: bash bench/setup.sh)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.growth.seed import box_glb, seed  # noqa: E402
from bench.serverctl import VENV_BIN, free_port, stop, wait_ready, wrk_paths  # noqa: E402

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
MIX = {"catalogue": 80, "manifest": 40, "model": 30, "share": 30, "events": 20}


def _share_photos(instance: Path, count: int) -> list[str]:
    """Add guests' photos ready to share; return their share tokens."""
    os.environ["MUSEUM_INSTANCE_PATH"] = str(instance)
    from museum import create_app
    from museum.core.db import get_db
    from museum.models import Photo
    from museum.models.base import utcnow
    from museum.photos.service import share_token_hash
    from museum.photos.store import photo_store

    app = create_app()
    store = photo_store(app)
    tokens = [f"weekend-guest-{i:04d}-" + hashlib.sha256(b"%d" % i).hexdigest()[:20] for i in range(count)]
    with app.app_context(), get_db().write() as session:
        for i, token in enumerate(tokens):
            sha = store.put_bytes(b"\xff\xd8\xff guest photo %d" % i)
            session.add(Photo(public_id=f"guest{i:08d}", share_token_hash=share_token_hash(token), status="ready",
                              phone_sha256=sha, full_sha256=sha, thumb_sha256=sha,
                              expires_at=utcnow() + timedelta(days=7)))
    app.extensions["museum.db"].dispose()
    return tokens


def _proc_cpu(root_pid: int) -> float:
    """Return the CPU-seconds used so far by a process and all its descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        stats[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def _get(base: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(response.status), bytes(response.read())


def phone_visit(base: str, gallery: str) -> int:
    """Walk a phone visitor through the lobby and one gallery; return the bytes received."""
    headers = {"User-Agent": PHONE, "Accept-Encoding": "gzip", "Accept-Language": "zh-CN"}
    total = 0
    _, page = _get(base, "/", headers)
    total += len(page)
    for asset in sorted(set(re.findall(rb'(?:src|href)="(/static/[^"]+)"', page))):
        total += len(_get(base, asset.decode(), headers)[1])
    for path in ("/api/v1", "/api/v1/galleries", f"/api/v1/galleries/{gallery}/manifest"):
        total += len(_get(base, path, headers)[1])
    plain = {**headers, "Accept-Encoding": "identity"}
    manifest = json.loads(_get(base, f"/api/v1/galleries/{gallery}/manifest", plain)[1])
    files = {manifest["room"]["url"]} if manifest.get("room") else set()
    files |= {e["model"]["url"] for e in manifest["exhibits"] if e.get("model")}
    for url in sorted(files):
        total += len(_get(base, url, headers)[1])
    return total


async def _slow(port: int, path: str, rate: int, until: float, got: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    total = 0
    while time.monotonic() < until:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: museum\r\n\r\n".encode())
        await writer.drain()
        while time.monotonic() < until:
            data = await reader.read(rate // 10)
            if not data:
                break
            total += len(data)
            await asyncio.sleep(0.1)
        break
    got.append(total)
    writer.close()


def _curators(base: str, token: str, stop_at: float, results: list[int]) -> list[threading.Thread]:
    def upload(k: int) -> None:
        i = 0
        while time.monotonic() < stop_at:
            data = box_glb(0.3 + k * 0.01 + i * 0.0001)
            boundary = f"curator{k}{i}"
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m{k}-{i}.glb\"\r\n"
                    f"Content-Type: model/gltf-binary\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
            request = urllib.request.Request(base + "/api/v1/assets", data=body, method="POST", headers={
                "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    results.append(int(response.status))
            except urllib.error.HTTPError as exc:
                results.append(int(exc.code))
            i += 1
            time.sleep(1.0)

    threads = [threading.Thread(target=upload, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    return threads


def main() -> None:
    """Run the three measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="museum-load-") as tmp_name:
        tmp = Path(tmp_name)
        instance = tmp / "instance"
        seed(instance, None, 1000, photos=0)
        tokens = _share_photos(instance, 50)
        env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance), "MUSEUM_TRUSTED_PROXIES": "1",
               "MUSEUM_ACCEL_REDIRECT": "/_museum_files/", "MUSEUM_SESSION_COOKIE_SECURE": "false"}
        subprocess.run([str(VENV_BIN / "museum"), "user", "create", "curator", "--role", "curator"],
                       input="curator-password-1\n", text=True, env=env, check=True, capture_output=True)
        token = subprocess.run([str(VENV_BIN / "museum"), "token", "create", "weekend", "--user", "curator"],
                               text=True, env=env, check=True, capture_output=True).stdout.strip().splitlines()[-1]
        app_port, front = free_port(), free_port()
        server = subprocess.Popen([str(VENV_BIN / "museum"), "serve", "--port", str(app_port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        nginx = None
        try:
            wait_ready(f"http://127.0.0.1:{app_port}/api/v1", 180)
            from bench.cluster.run import nginx_front

            nginx = nginx_front(tmp, front, app_port, app_port, instance / "storage")
            base = f"http://127.0.0.1:{front}"
            manifest = json.loads(_get(base, "/api/v1/galleries/gallery-1/manifest?tier=phone", {})[1])
            models = sorted({e["model"]["url"] for e in manifest["exhibits"] if e.get("model")})[:20]
            paths = {
                "catalogue": [f"/api/v1/exhibits?page={p}" for p in range(1, 6)]
                + [f"/api/v1/exhibits/exhibit-{i}" for i in range(1, 40, 3)]
                + ["/api/v1/search?q=" + urllib.parse.quote("心脏"), "/api/v1/search?lang=en&q=stethoscope"],
                "manifest": [f"/api/v1/galleries/gallery-{g}/manifest?tier=phone" for g in range(1, 11)],
                "model": models,
                "share": [f"/p/{t}" for t in tokens],
                "events": ["/api/v1/timeline", "/api/v1/timeline?lang=en"],
            }
            for kind in paths:  # warm the caches
                wrk_paths(base, paths[kind], 4, 2)
            uploads: list[int] = []
            curators = _curators(base, token, time.monotonic() + args.seconds, uploads)
            results: dict[str, dict[str, float]] = {}

            def run(kind: str) -> None:
                results[kind] = wrk_paths(base, paths[kind], MIX[kind], args.seconds, threads=1)

            runners = [threading.Thread(target=run, args=(kind,)) for kind in MIX]
            for thread in runners:
                thread.start()
            for thread in runners + curators:
                thread.join()

            # Slow phones beside a fast client.
            got: list[int] = []
            until = time.monotonic() + 30

            async def phones() -> None:
                await asyncio.gather(*(_slow(front, models[i % len(models)], 50_000, until, got) for i in range(64)))

            phone_thread = threading.Thread(target=lambda: asyncio.run(phones()))
            phone_thread.start()
            time.sleep(2)
            fast = wrk_paths(base, paths["catalogue"], 4, 20, threads=1)
            phone_thread.join()

            # Cost per phone visit.
            before_cpu = _proc_cpu(server.pid) + _proc_cpu(nginx.pid)
            sent = sum(phone_visit(base, f"gallery-{1 + v % 10}") for v in range(20))
            cpu = (_proc_cpu(server.pid) + _proc_cpu(nginx.pid) - before_cpu) / 20
        finally:
            if nginx is not None:
                stop(nginx)
            stop(server)
    print(f"visitor mix, {sum(MIX.values())} connections for {args.seconds} s, 4 curators uploading "
          f"({len(uploads)} uploads, statuses {sorted(set(uploads))}):")
    for kind, figures in results.items():
        errors = figures["non_2xx"] + figures["socket_errors"]
        print(f"  {kind:9s} {MIX[kind]:3d} conns  {figures['rps']:7.0f} req/s  p99 {figures['p99_ms']:7.1f} ms  "
              f"errors {errors:.0f} (goal 0)")
    print(f"64 slow phones at 50 KB/s ({sum(got) / 1e6:.1f} MB received): fast catalogue p99 {fast['p99_ms']:.1f} ms "
          f"(goal < 100 ms), {fast['rps']:.0f} req/s")
    cores = os.cpu_count() or 1
    print(f"phone visit (lobby + one gallery, phone tier): {cpu:.3f} CPU-s, {sent / 20 / 1e6:.2f} MB sent; "
          f"~{3600 / max(cpu, 1e-6):.0f} visits per app core per hour ({cores} cores here)")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps({"mix": results, "uploads": uploads, "fast_with_slow_phones": fast,
                                               "phone_visit_cpu_s": cpu, "phone_visit_bytes": sent / 20}, indent=2))


if __name__ == "__main__":
    main()
