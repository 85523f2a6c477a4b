"""`museum serve` run for real in a child process (gunicorn, supervised job workers) on the test's database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import JobWorker, Photo
from tests.frontend.browser import PATIENCE_S
from tests.museum.photos.conftest import photo_jpeg
from tests.museum.photos.live import seed_booth

MUSEUM = [sys.executable, "-c", "from museum.cli import main; main()"]


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def museum_env(app: Flask) -> dict[str, str]:
    """Return the environment that points the `museum` command at the app's database and stores."""
    return {**os.environ, "MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"],
            "MUSEUM_INSTANCE_PATH": app.instance_path, "MUSEUM_STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"],
            "MUSEUM_SECRET_KEY": "test-secret", "MUSEUM_SESSION_COOKIE_SECURE": "false"}


def wait_until(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    """Poll a condition every 50 ms until it is truthy (returned) or fail after `seconds`.

    A bound is a promise about a quiet machine; a busy one (a CI run sharing two cores) gets at least the test
    suite's patience (MUSEUM_TEST_PATIENCE_S), so it slows these tests instead of failing them.
    """
    seconds = max(seconds, PATIENCE_S)
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.05)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """Encode form fields and files as multipart/form-data; return the body and its content type."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, media_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {media_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class LiveMuseum:
    """A served museum: its origin, gunicorn's process, the kiosk token, and the app for reading its database."""

    app: Flask
    origin: str
    process: subprocess.Popen[bytes]
    kiosk: str
    log: Path
    log_handle: Any = None
    photos: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, bytes]:
        """GET a path; return the status and body."""
        try:
            with urllib.request.urlopen(self.origin + path, timeout=30) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as exc:
            return int(exc.code), bytes(exc.read())

    def post_photo(self, data: bytes | None = None) -> str:
        """Send a booth photo as the kiosk does; return the photo's public id (201 expected)."""
        body, content_type = multipart({"consent": "true"}, {"photo": ("guest.jpg", data or photo_jpeg(320, 240),
                                                                       "image/jpeg")})
        request = urllib.request.Request(self.origin + "/api/v1/kiosk/photos", data=body, method="POST", headers={
            "Authorization": f"Bearer {self.kiosk}", "Content-Type": content_type, "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 201
            import json

            public_id = str(json.loads(response.read())["id"])
        self.photos.append(public_id)
        return public_id

    def photo_status(self, public_id: str) -> str:
        """Return a photo's status in the database."""
        with get_db(self.app).read() as session:
            return str(session.scalar(select(Photo.status).where(Photo.public_id == public_id)))

    def worker_pids(self) -> dict[str, int]:
        """Return the live job workers' kinds ("" for every kind) and process ids, as their rows say."""
        with get_db(self.app).read() as session:
            rows = session.scalars(select(JobWorker).where(JobWorker.stopped_at.is_(None))).all()
            return {row.kinds: row.pid for row in rows if _alive(row.pid)}

    def stop(self) -> None:
        """Stop gunicorn (and with it the job workers) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log_handle is not None:
            self.log_handle.close()

    def log_tail(self, chars: int = 4000) -> str:
        """Return the end of the server's output (for failure messages)."""
        return self.log.read_text(errors="replace")[-chars:]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start_serve(app: Flask, kiosk: str | None = None, threads: int = 4) -> LiveMuseum:
    """Run `museum serve` (one web worker) on a free port and wait until its health answers and workers beat."""
    kiosk = kiosk or seed_booth(app)
    port = free_port()
    log = Path(app.instance_path) / f"serve-{port}.log"
    handle = log.open("wb")
    process = subprocess.Popen([*MUSEUM, "serve", "--port", str(port), "--workers", "1", "--threads", str(threads)],
                               env=museum_env(app), stdout=handle, stderr=subprocess.STDOUT)
    live = LiveMuseum(app, f"http://127.0.0.1:{port}", process, kiosk, log, handle)

    def ready() -> bool:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            status, _ = live.get("/api/v1/health")
        except OSError:
            return False
        return status == 200 and len(live.worker_pids()) >= 2

    try:
        wait_until(ready, PATIENCE_S, "museum serve to answer with both job workers beating")
    except BaseException:
        live.stop()  # reaped, so no "still running" warning fails a later test
        raise
    return live
