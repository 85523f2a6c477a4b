"""Several machines: model files through nginx and two `museum serve` instances, beside nginx alone, as ratios.

nginx runs deploy/nginx/museum.conf (the README's configuration; addresses, ports and the store's path replaced)
in front of two `museum serve` instances with their own instance folders on one database and one file store, with
MUSEUM_ACCEL_REDIRECT set, so the app checks the file's name and nginx sends it from the shared store.

1. A 20 MB model at 8 connections: through the museum (X-Accel-Redirect) vs nginx sending the same file from
   disk itself (goal >= 0.95x), in interleaved rounds of 2 s (--seconds of each in all); the median ratio.
2. The exhibit list through nginx at 32 connections, and the same while one instance is stopped (SIGTERM) halfway:
   requests that failed (goal 0: nginx retries them on the other instance).

Run: .venv/bin/python bench/cluster/run.py [--seconds 10] [--sqlite]  (needs nginx and wrk: bash bench/setup.sh)
The instances share PostgreSQL (127.0.0.1:5432, a database of its own made for the run) and Redis's job queue
when both answer, as a deployment of several machines would; otherwise, or with --sqlite, one SQLite file. The CI
test (tests/museum/cluster) runs the same shape, shorter.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.api.run import seed  # noqa: E402
from bench.serverctl import (  # noqa: E402
    VENV_BIN,
    free_port,
    need,
    pg_database,
    postgres_ok,
    stop,
    wait_ready,
    wrk,
    wrk_paths,
)

CONF = ROOT / "deploy" / "nginx" / "museum.conf"
REDIS = "redis://127.0.0.1:6379/0"
ROUND_S = 2  # seconds of each interleaved round of the file comparison


def _redis_ok() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def nginx_front(tmp: Path, port: int, a: int, b: int, storage: Path) -> subprocess.Popen[bytes]:
    """Start nginx with the deploy configuration, plus a /disk/ location sending the store's files directly."""
    site = CONF.read_text()
    for old, new in (("127.0.0.1:8001", f"127.0.0.1:{a}"), ("127.0.0.1:8002", f"127.0.0.1:{b}"),
                     ("listen 8080;", f"listen 127.0.0.1:{port};"), ("/srv/museum/storage/", f"{storage}/"),
                     ("/var/lib/nginx/museum-files", f"{tmp}/files-cache"),
                     ("/run/nginx-museum-files.sock", f"{tmp}/files.sock")):
        site = site.replace(old, new)
    # The peer: the same nginx, the same file, straight from disk with no app in between.
    site = site.replace("    location / {", f"    location /disk/ {{ alias {storage}/; sendfile on; tcp_nopush on; }}\n"
                                            "    location / {", 1)
    (tmp / "museum.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(f"""{user} daemon off; worker_processes 2; pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log; events {{ worker_connections 1024; }}
http {{ include /etc/nginx/mime.types; types {{ model/gltf-binary glb; }} access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  include {tmp}/museum.conf; }}
""")
    proc = subprocess.Popen([need("nginx"), "-c", str(tmp / "nginx.conf")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    wait_ready(f"http://127.0.0.1:{port}/api/v1")
    return proc


def main() -> None:
    """Measure and print the figures beside their peers."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--sqlite", action="store_true", help="share one SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    shared = "sqlite" if args.sqlite or not (postgres_ok() and _redis_ok()) else "postgresql"
    database = f"museum_cluster_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="museum-cluster-") as tmp_name:
        tmp = Path(tmp_name)
        env = {"MUSEUM_STORAGE_DIR": str(tmp / "instance-a" / "storage"), "MUSEUM_SECRET_KEY": "bench-secret",
               "MUSEUM_TRUSTED_PROXIES": "1", "MUSEUM_ACCEL_REDIRECT": "/_museum_files/",
               "MUSEUM_DATABASE_URL": f"sqlite:///{tmp / 'instance-a' / 'museum.db'}"}
        if shared == "postgresql":
            env.update(MUSEUM_DATABASE_URL=pg_database(database, create=True), MUSEUM_JOB_QUEUE="redis",
                       MUSEUM_REDIS_URL=REDIS)
        os.environ.update(env)
        glb = seed(tmp / "instance-a")
        storage = tmp / "instance-a" / "storage"
        ports = {"a": free_port(), "b": free_port()}
        procs: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name, port in ports.items():
                procs[name] = subprocess.Popen(
                    [str(VENV_BIN / "museum"), "serve", "--port", str(port), "--workers", "2", "--no-job-worker"],
                    env={**os.environ, **env, "MUSEUM_INSTANCE_PATH": str(tmp / f"instance-{name}")},
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                wait_ready(f"http://127.0.0.1:{port}/api/v1")
            front = free_port()
            procs["nginx"] = nginx_front(tmp, front, ports["a"], ports["b"], storage)
            base = f"http://127.0.0.1:{front}"
            sha = glb.rsplit("/", 1)[1].split(".")[0]
            disk = f"/disk/{sha[:2]}/{sha[2:4]}/{sha}"
            # Both warmed (the file in the page cache, nginx's and the workers' first requests made), then
            # interleaved in rounds, so neither gains from going second and a drift of the machine hits both.
            wrk(base + glb, 8, 1)
            wrk(base + disk, 8, 1)
            rounds = [(wrk(base + glb, 8, ROUND_S), wrk(base + disk, 8, ROUND_S))
                      for _ in range(max(1, args.seconds // ROUND_S))]
            ratios = sorted(o["bytes_per_s"] / p["bytes_per_s"] for o, p in rounds)
            ratio = statistics.median(ratios)
            ours = {"bytes_per_s": statistics.median(o["bytes_per_s"] for o, _ in rounds)}
            peer = {"bytes_per_s": statistics.median(p["bytes_per_s"] for _, p in rounds)}

            catalogue = wrk_paths(base, ["/api/v1/exhibits", "/api/v1/exhibits?lang=en"], 32, args.seconds)
            failures: dict[str, float] = {}

            def stop_one() -> None:
                time.sleep(args.seconds / 2)
                os.killpg(procs["a"].pid, signal.SIGTERM)

            stopper = threading.Thread(target=stop_one)
            stopper.start()
            during = wrk_paths(base, ["/api/v1/exhibits", glb + "?"], 32, args.seconds)
            stopper.join()
            failures = {"non_2xx": during["non_2xx"], "socket_errors": during["socket_errors"]}
        finally:
            for proc in procs.values():
                stop(proc)
            if shared == "postgresql":
                pg_database(database, create=False)
    print(f"two instances sharing {shared}" + (" and Redis's job queue" if shared == "postgresql" else ""))
    print(f"20 MB model, 8 connections: through museum + X-Accel-Redirect {ours['bytes_per_s'] / 1e6:.0f} MB/s, "
          f"nginx from disk {peer['bytes_per_s'] / 1e6:.0f} MB/s: {ratio:.2f}x (goal >= 0.95x; medians of "
          f"{len(ratios)} interleaved rounds of {ROUND_S} s, ratios {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"exhibit list through nginx, 2 instances, 32 connections: {catalogue['rps']:.0f} req/s, "
          f"p99 {catalogue['p99_ms']:.1f} ms")
    print(f"one instance stopped halfway through {args.seconds} s of load: {during['rps']:.0f} req/s, "
          f"failed responses {failures['non_2xx']:.0f}, socket errors {failures['socket_errors']:.0f} (goal 0)")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "cluster.json").write_text(json.dumps({"file_ratio": ratio, "ours": ours, "peer": peer, "shared": shared,
                                                  "catalogue": catalogue, "stop_one": during}, indent=2))


if __name__ == "__main__":
    main()
