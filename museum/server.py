"""The production server: gunicorn with several worker processes, each with a pool of threads.

Threads, not one request per process, so a phone on a slow connection holds one thread of one worker while the
others go on answering; keep-alive connections wait in the worker's poller, not in a thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """Return 2 x CPU cores, at most 8."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


class MuseumServer(BaseApplication):
    """Gunicorn running the museum app (or any WSGI app, for benchmarks)."""

    def __init__(self, app_factory: Any, options: dict[str, Any]) -> None:
        self._factory = app_factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        return self._factory()


def start_job_worker() -> subprocess.Popen[bytes]:
    """Start the job worker as a child process with the same environment."""
    return subprocess.Popen([sys.executable, "-c", "from museum.cli import main; main()", "worker"])


def serve(app_factory: Any, host: str, port: int, workers: int, threads: int, access_log: bool = False,
          job_worker: bool = True, control_socket: str | None = None) -> None:
    """Run gunicorn until interrupted, with a job worker beside it unless told not to.

    Each museum keeps gunicorn's control socket in its own instance folder, so several can run on one machine.
    """
    children: list[subprocess.Popen[bytes]] = []

    def when_ready(_server: Any) -> None:
        if job_worker:
            children.append(start_job_worker())

    def on_exit(_server: Any) -> None:
        for child in children:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": 5,
        "timeout": 120,
        "graceful_timeout": 20,
        "worker_connections": 1000,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "museum",
        "when_ready": when_ready,
        "control_socket": control_socket,
        "control_socket_disable": control_socket is None,
        "on_exit": on_exit,
    }
    MuseumServer(app_factory, options).run()
