"""Two `museum serve` instances, each its own instance folder, on one PostgreSQL, one Redis and one file store,
behind nginx running deploy/nginx/museum.conf (only addresses, ports and paths replaced)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from museum.core.db import get_db
from museum.core.http_cache import bump_catalogue, subjects_of
from museum.identity.accounts import create_user
from museum.models import Exhibit, Job
from tests.museum.conftest import Catalogue
from tests.museum.hardening.live import MUSEUM, free_port, wait_until
from tests.museum.photos.live import seed_booth

REPO = Path(__file__).resolve().parents[3]
NGINX_CONF = REPO / "deploy" / "nginx" / "museum.conf"
CHECK_SECONDS = 1.0
LOOKUPS_PER_MINUTE = 6

pytestmark = pytest.mark.slow


def _nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _call(url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None,
          opener: urllib.request.OpenerDirector | None = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    origin = "/".join(url.split("/")[:3])  # the studio's own pages send their origin with every write
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", "Accept": "application/json",
        **({"Origin": origin} if method != "GET" else {}), **(headers or {})})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return int(response.status), dict(response.headers), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), dict(exc.headers), bytes(exc.read())


@dataclass
class Cluster:
    """The two instances' origins, nginx's origin, and the processes to stop."""

    a: str
    b: str
    front: str
    serving: dict[str, subprocess.Popen[bytes]]
    logs: Path
    kiosk: str

    def tail(self) -> str:
        """Return the end of every log (for failure messages)."""
        logs = sorted(self.logs.glob("*.log"))
        return "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-2500:]}" for p in logs)


def _nginx_config(tmp: Path, port: int, a: int, b: int, storage: str) -> Path:
    site = NGINX_CONF.read_text()
    for old, new in (("127.0.0.1:8001", f"127.0.0.1:{a}"), ("127.0.0.1:8002", f"127.0.0.1:{b}"),
                     ("listen 8080;", f"listen 127.0.0.1:{port};"),
                     ("/srv/museum/storage/", storage.rstrip("/") + "/"),
                     ("/var/lib/nginx/museum-files", f"{tmp}/files-cache"),
                     ("/run/nginx-museum-files.sock", f"{tmp}/files.sock")):
        assert old in site, f"{old} is no longer in {NGINX_CONF}"
        site = site.replace(old, new)
    (tmp / "museum.conf").write_text(site)
    main = tmp / "nginx.conf"
    # As root, nginx's workers would drop to nobody, who cannot read the test's private temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    main.write_text(f"""{user} daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log;
events {{ worker_connections 512; }}
http {{
  include /etc/nginx/mime.types; default_type application/octet-stream;
  access_log {tmp}/nginx-access.log;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  include {tmp}/museum.conf;
}}
""")
    return main


@pytest.fixture
def cluster(app: Flask, catalogue: Catalogue, tmp_path: Path) -> Iterator[Cluster]:
    """Start two instances and nginx in front of them on the test's PostgreSQL database."""
    if not app.config["MUSEUM_DATABASE_URL"].startswith("postgresql"):
        pytest.skip("two instances share one PostgreSQL: set MUSEUM_TEST_DATABASE_URL (CI does)")
    redis = os.environ.get("MUSEUM_TEST_REDIS_URL")
    if not redis:
        pytest.skip("two instances share one Redis job queue: set MUSEUM_TEST_REDIS_URL (CI does)")
    nginx = _nginx()
    if nginx is None:
        pytest.skip("nginx is not installed: scripts/setup.sh installs Debian's nginx package")
    with app.app_context(), get_db().write() as session:
        create_user(session, "admin", "admin", "cluster-password-1")
    kiosk = seed_booth(app)
    storage = app.config["MUSEUM_STORAGE_DIR"]
    env = {**os.environ, "MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"], "MUSEUM_STORAGE_DIR": storage,
           "MUSEUM_SECRET_KEY": "one-secret-for-every-machine", "MUSEUM_SESSION_COOKIE_SECURE": "false",
           "MUSEUM_JOB_QUEUE": "redis", "MUSEUM_REDIS_URL": re.sub(r"/\d+$", "", redis) + "/13",
           "MUSEUM_TRUSTED_PROXIES": "1", "MUSEUM_CACHE_CHECK_SECONDS": str(CHECK_SECONDS),
           "MUSEUM_PHOTO_LOOKUPS_PER_MINUTE": str(LOOKUPS_PER_MINUTE), "MUSEUM_ACCEL_REDIRECT": "/_museum_files/"}
    ports = {"a": free_port(), "b": free_port()}
    serving: dict[str, subprocess.Popen[bytes]] = {}
    cluster = None
    try:
        for name, port in ports.items():
            with (tmp_path / f"serve-{name}.log").open("wb") as log:
                serving[name] = subprocess.Popen(
                    [*MUSEUM, "serve", "--port", str(port), "--workers", "1", "--threads", "8"],
                    env={**env, "MUSEUM_INSTANCE_PATH": str(tmp_path / f"instance-{name}")}, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)
        front_port = free_port()
        conf = _nginx_config(tmp_path, front_port, ports["a"], ports["b"], storage)
        with (tmp_path / "nginx.log").open("wb") as log:
            serving["nginx"] = subprocess.Popen([nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=log,
                                                start_new_session=True)
        cluster = Cluster(f"http://127.0.0.1:{ports['a']}", f"http://127.0.0.1:{ports['b']}",
                          f"http://127.0.0.1:{front_port}", serving, tmp_path, kiosk)
        for origin in (cluster.a, cluster.b, cluster.front):
            wait_until(lambda o=origin: _up(o), 120, f"{origin} to answer")
        yield cluster
    finally:
        for process in serving.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in serving.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _up(origin: str) -> bool:
    try:
        return _call(origin + "/api/v1/health")[0] == 200
    except OSError:
        return False


def _publish(app: Flask, slug: str) -> None:
    with app.app_context(), get_db().write() as session:
        row = session.scalar(select(Exhibit).where(Exhibit.slug == slug))
        assert row is not None
        row.status = "published"
        bump_catalogue(session, subjects_of("exhibit", slug))


def test_two_instances_behind_nginx(app: Flask, cluster: Cluster, catalogue: Catalogue) -> None:
    try:
        _check_two_instances(app, cluster, catalogue)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{cluster.tail()}") from failure


def _check_two_instances(app: Flask, cluster: Cluster, catalogue: Catalogue) -> None:
    # A publish on one instance is visible through the other within MUSEUM_CACHE_CHECK_SECONDS.
    listed = json.loads(_call(cluster.b + "/api/v1/exhibits")[2])["total"]  # now in B's cache
    jar = http.cookiejar.CookieJar()
    a_session = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, _, body = _call(cluster.a + "/api/v1/session", "POST",
                            {"name": "admin", "password": "cluster-password-1"}, opener=a_session)
    assert status == 201, body
    csrf = json.loads(body)["csrf_token"]
    draft = json.loads(_call(cluster.a + "/api/v1/studio/exhibits?status=draft", opener=a_session)[2])["items"][0]
    published_at = time.monotonic()
    status, _, body = _call(cluster.a + f"/api/v1/studio/exhibits/{draft['id']}/status", "POST",
                            {"status": "published", "version": draft["version"]}, {"X-CSRF-Token": csrf}, a_session)
    assert status == 200, body
    wait_until(lambda: json.loads(_call(cluster.b + "/api/v1/exhibits")[2])["total"] == listed + 1,
               CHECK_SECONDS + 1.5, "the publish on A to show through B")
    assert time.monotonic() - published_at <= CHECK_SECONDS + 1.5

    # The session made on A, with its CSRF token, works on B; without the token B refuses the write.
    who = json.loads(_call(cluster.b + "/api/v1/session", opener=a_session)[2])
    assert who["signed_in"] and who["user"]["name"] == "admin" and who["csrf_token"] == csrf
    moved = {"status": "draft", "version": draft["version"] + 1}
    refused = _call(cluster.b + f"/api/v1/studio/exhibits/{draft['id']}/status", "POST", moved, opener=a_session)
    assert refused[0] == 403, refused[2]
    status, _, body = _call(cluster.b + f"/api/v1/studio/exhibits/{draft['id']}/status", "POST", moved,
                            {"X-CSRF-Token": csrf}, a_session)
    assert status == 200, body

    # Rate limits are shared: unknown share links tried through nginx count once whichever instance answers.
    codes = [_call(cluster.front + f"/p/{'x' * 20}{i:04d}", headers={"X-Forwarded-For": "203.0.113.9"})[0]
             for i in range(LOOKUPS_PER_MINUTE + 2)]
    assert codes[:LOOKUPS_PER_MINUTE] == [404] * LOOKUPS_PER_MINUTE and codes[-1] == 429, codes

    # Every job runs exactly once though both instances run job workers on the one queue.
    origins = (cluster.a, cluster.b, cluster.front, cluster.a, cluster.b)
    photos = [_post_photo(origin, cluster.kiosk) for origin in origins]

    def composed() -> bool:
        with app.app_context(), get_db().read() as session:
            jobs = session.scalars(select(Job).where(Job.kind == "photo.compose")).all()
            return len(jobs) == len(photos) and all(j.status == "done" for j in jobs)

    wait_until(composed, 120, "every photo composed")
    with app.app_context(), get_db().read() as session:
        assert [j.attempts for j in session.scalars(select(Job).where(Job.kind == "photo.compose"))] == [1] * 5

    # Model files go out through nginx from the shared store (X-Accel-Redirect), Range requests included.
    url = f"/files/{catalogue.phone_sha}.glb"
    direct = _call(cluster.a + url)
    assert direct[1]["X-Accel-Redirect"].endswith(catalogue.phone_sha) and direct[2] == b""
    status, headers, data = _call(cluster.front + url)
    assert status == 200 and data[:4] == b"glTF" and headers["Content-Type"] == "model/gltf-binary"
    part = _call(cluster.front + url, headers={"Range": "bytes=0-3"})
    assert part[0] == 206 and part[2] == b"glTF"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = _call(cluster.front + url, headers={"If-None-Match": headers["ETag"]})
    assert again[0] == 304
    # nginx keeps the app's answer for a file a few seconds; a file gone from the store meanwhile gets the app's
    # own 404, which nothing may keep.
    gone = f"/files/{catalogue.desktop_sha}.glb"
    assert _call(cluster.front + gone)[0] == 200
    stored = app.extensions["museum.storage"].path(catalogue.desktop_sha)
    assert stored is not None
    stored.unlink()
    status, headers, data = _call(cluster.front + gone)
    assert status == 404 and json.loads(data)["error"]["code"] == "file_not_found"
    assert headers["Cache-Control"] == "no-store"

    # Stopping one instance under load loses no request nginx can retry.
    paths = ["/api/v1/exhibits", "/api/v1/exhibits/heart-model", url, "/api/v1/galleries/history-hall/manifest"]
    results: list[int] = []
    stop = threading.Event()

    def visitor(offset: int) -> None:
        i = offset
        while not stop.is_set():
            results.append(_call(cluster.front + paths[i % len(paths)])[0])
            i += 1

    visitors = [threading.Thread(target=visitor, args=(k,)) for k in range(6)]
    for thread in visitors:
        thread.start()
    time.sleep(1.0)
    os.killpg(cluster.serving["a"].pid, signal.SIGTERM)
    cluster.serving["a"].wait(timeout=60)
    time.sleep(1.5)
    stop.set()
    for thread in visitors:
        thread.join()
    assert len(results) > 20 and set(results) == {200}, sorted(set(results))


def _post_photo(origin: str, kiosk: str) -> str:
    from tests.museum.hardening.live import multipart
    from tests.museum.photos.conftest import photo_jpeg

    body, content_type = multipart({"consent": "true"}, {"photo": ("guest.jpg", photo_jpeg(320, 240), "image/jpeg")})
    request = urllib.request.Request(origin + "/api/v1/kiosk/photos", data=body, method="POST", headers={
        "Authorization": f"Bearer {kiosk}", "Content-Type": content_type, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 201
        return str(json.loads(response.read())["id"])
