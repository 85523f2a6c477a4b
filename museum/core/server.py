"""The production server: gunicorn with several worker processes, each with a pool of threads.

Threads, not one request per process, so a phone on a slow connection holds one thread of one worker while the
others go on answering; keep-alive connections wait in the worker's poller, not in a thread.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """Return one worker process per CPU core (2 to 8).

    Each process answers with a pool of threads, so a process per core keeps every core busy; more processes
    than cores only take turns on them, and a request whose process is waiting for a core waits too: on two
    cores, four processes gave the catalogue a p99 of 21-51 ms at 32 connections, two gave 18-42 ms."""
    return max(2, min(8, os.cpu_count() or 1))


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
        self.loaded = self._factory()
        return self.loaded


log = logging.getLogger(__name__)

# Starting a child with subprocess opens a pipe and waits until the child has exec'd and its end closed. A fork of
# this process meanwhile (gunicorn forking a web worker in its master) would copy that end into the fork, which
# keeps it open for as long as the web worker lives, and the start would wait for ever. Forks wait for starts.
_STARTING = threading.Lock()


def _release_after_fork() -> None:
    _STARTING.release()


os.register_at_fork(before=_STARTING.acquire, after_in_parent=_release_after_fork,
                    after_in_child=_release_after_fork)


def museum_command(*args: str) -> list[str]:
    """Return the command line of `museum ARGS` run by this Python."""
    return [sys.executable, "-c", "from museum.cli import main; main()", *args]


def job_worker_command(*args: str) -> list[str]:
    """Return the command line of a job worker child that ends when its parent does."""
    return museum_command("worker", "--exit-with-parent", *args)


class Supervisor:
    """Keep a child process running: restart it when it dies (kill -9, out of memory), backing off when it keeps dying.

    The wait before a restart doubles from `min_backoff` up to `max_backoff` while the child keeps dying young,
    and falls back to `min_backoff` once it has run for `healthy_after` seconds.
    """

    def __init__(self, name: str, argv: Sequence[str], min_backoff: float = 1.0, max_backoff: float = 30.0,
                 healthy_after: float = 60.0) -> None:
        self.name, self.argv = name, list(argv)
        self.min_backoff, self.max_backoff, self.healthy_after = min_backoff, max_backoff, healthy_after
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"supervise-{name}", daemon=True)

    def start(self) -> None:
        """Start the child and watch it."""
        self._thread.start()

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        with self._lock:
            if self._stop.is_set():
                return None
            with _STARTING:
                self.process = subprocess.Popen(self.argv)
            return self.process

    def _run(self) -> None:
        backoff = self.min_backoff
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                process = self._spawn()
            except OSError:
                log.exception("could not start %s", self.name)
                process = None
            if process is None and self._stop.is_set():
                return
            code = self._wait(process) if process is not None else None
            if self._stop.is_set():
                return
            backoff = self.min_backoff if time.monotonic() - started >= self.healthy_after else backoff
            log.error("%s (pid %s) exited with %s; restarting in %.0f s", self.name,
                      process.pid if process else "-", code, backoff)
            if self._stop.wait(backoff):
                return
            self.restarts += 1
            backoff = min(self.max_backoff, backoff * 2)

    def _wait(self, process: subprocess.Popen[bytes]) -> int | None:
        # Poll rather than block in waitpid: gunicorn's arbiter reaps every child of the master (waitpid(-1)), and
        # a thread blocked on a child the arbiter reaped can miss its end.
        while not self._stop.wait(0.2):
            code = process.poll()
            if code is not None:
                return code
        return process.poll()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching and end the child (terminate, then kill after `timeout` seconds)."""
        with self._lock:
            self._stop.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        self._thread.join(timeout=timeout)


def job_supervisors(photo_lane: bool = True) -> list[Supervisor]:
    """Return supervisors of the job workers: one for every kind and, unless told not to, one for guests' photos."""
    from museum.core.jobs import PHOTO_KINDS

    # With a photo lane, the worker for every kind runs niced: a model ingest takes every core it can get, and a
    # guest's photo composed beside it must not wait for CPU.
    supervisors = [Supervisor("job worker", job_worker_command(*(["--nice", "10"] if photo_lane else [])))]
    if photo_lane:
        # Polled five times a second: a guest is standing at the booth, and the query is one indexed look-up.
        supervisors.append(Supervisor("photo worker", job_worker_command(
            "--poll", "0.2", "--kinds", ",".join(sorted(PHOTO_KINDS)))))
    return supervisors


def supervise_job_workers(stop: Callable[[], bool], photo_lane: bool = True) -> None:
    """Run the job workers, restarting each when it dies, until `stop()` or SIGTERM; then end them."""
    finished = threading.Event()

    def _terminate(_signum: int, _frame: Any) -> None:
        finished.set()

    signal.signal(signal.SIGTERM, _terminate)
    supervisors = job_supervisors(photo_lane)
    for supervisor in supervisors:
        supervisor.start()
    try:
        while not finished.wait(0.5) and not stop():
            pass
    finally:
        for supervisor in supervisors:
            supervisor.stop()


def serve(app_factory: Any, host: str, port: int, workers: int, threads: int, access_log: bool = False,
          job_worker: bool = True, control_socket: str | None = None, preload: bool = False) -> None:
    """Run gunicorn until interrupted, with supervised job workers beside it unless told not to.

    Each museum keeps gunicorn's control socket in its own instance folder, so several can run on one machine.
    With preload the app is made once, before the workers fork: what it built at start (the search index) is
    shared by all of them, and each closes the database connections it inherited instead of using them.
    """
    keepers: list[Supervisor] = []

    def pre_fork(_server: Any, _worker: Any) -> None:
        # What the app built before forking (with preload: the search index, some 10^5 objects for 10,000
        # exhibits) lives as long as the worker. Frozen, the cyclic garbage collector never walks it again: a full
        # collection over it took ~100 ms holding the GIL, a stall of every request in the worker, and walking it
        # would also copy the shared pages into each worker.
        gc.freeze()

    def post_fork(server: Any, _worker: Any) -> None:
        database = getattr(getattr(server.app, "loaded", None), "extensions", {}).get("museum.db")
        if database is not None:
            database.engine.dispose(close=False)

    def post_worker_init(worker: Any) -> None:
        # What a web process does once at its start, beside serving: the features' `museum.at_start` callables
        # (the cockpit folds its live figures), each in a thread of its own.
        from assets.memory import give_back_large_blocks

        give_back_large_blocks()  # a decoded picture's memory goes back to the system once it is stored
        app = worker.wsgi
        for job in getattr(app, "extensions", {}).get("museum.at_start", ()):
            threading.Thread(target=job, args=(app,), name=f"at-start-{job.__module__}", daemon=True).start()

    def when_ready(_server: Any) -> None:
        # The job workers' supervisor is a process of its own (`museum workers`), and it is itself kept running
        # from here: killed (kill -9, out of memory), it is started again, and its orphaned workers stop after
        # their current job. The child is exec'd with every inherited descriptor closed, so it holds no pipe of a
        # web worker being forked meanwhile, and forks wait while it starts (`_STARTING`); the keeper polls, so
        # gunicorn reaping the child cannot hide its end.
        if job_worker:
            keeper = Supervisor("job supervisor", museum_command("workers", "--exit-with-parent"))
            keepers.append(keeper)
            keeper.start()

    def on_exit(_server: Any) -> None:
        for keeper in keepers:
            keeper.stop(timeout=30)

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
        "preload_app": preload,
        "pre_fork": pre_fork,
        "post_fork": post_fork,
        "post_worker_init": post_worker_init,
    }
    MuseumServer(app_factory, options).run()
