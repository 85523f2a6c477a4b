"""The supervisor brings a killed job worker back, and backs off when it keeps dying."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from flask import Flask

from museum.core.server import Supervisor, job_supervisors
from tests.museum.hardening.live import start_serve, wait_until


def _wait(condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_killed_child_is_started_again() -> None:
    supervisor = Supervisor("sleeper", [sys.executable, "-c", "import time; time.sleep(600)"], min_backoff=0.05)
    supervisor.start()
    try:
        _wait(lambda: supervisor.process is not None)
        assert supervisor.process is not None
        first = supervisor.process.pid
        os.kill(first, signal.SIGKILL)
        _wait(lambda: supervisor.process is not None and supervisor.process.pid != first)
        assert supervisor.restarts == 1 and supervisor.process.poll() is None
    finally:
        supervisor.stop()
    assert supervisor.process is not None and supervisor.process.poll() is not None


def test_a_child_that_keeps_dying_is_restarted_ever_more_slowly() -> None:
    supervisor = Supervisor("crasher", [sys.executable, "-c", "raise SystemExit(1)"], min_backoff=0.05,
                            max_backoff=0.4)
    started = time.monotonic()
    supervisor.start()
    try:
        _wait(lambda: supervisor.restarts >= 4)
    finally:
        supervisor.stop()
    # Waits of 0.05 + 0.1 + 0.2 + 0.4 s at least, not four immediate restarts.
    assert time.monotonic() - started >= 0.7


def test_serve_supervises_a_worker_for_every_kind_and_one_for_guests_photos() -> None:
    commands = [s.argv for s in job_supervisors()]
    assert len(commands) == 2
    assert all("worker" in argv and "--exit-with-parent" in argv for argv in commands)
    assert commands[1][-2:] == ["--kinds", "photo.compose"]
    assert commands[0][-2:] == ["--nice", "10"]  # ingests yield the CPU to guests' photos


@pytest.mark.slow
def test_photos_are_composed_after_the_job_workers_of_museum_serve_are_killed(app: Flask) -> None:
    live = start_serve(app)
    try:
        before = live.worker_pids()
        for pid in before.values():
            os.kill(pid, signal.SIGKILL)
        public_id = live.post_photo()  # the kiosk is answered 201 whatever the workers are doing
        try:
            wait_until(lambda: live.photo_status(public_id) == "ready", 60, "the photo to be composed")
        except AssertionError:
            raise AssertionError(live.log_tail()) from None
        after = wait_until(lambda: len(pids := live.worker_pids()) == 2 and pids, 60, "both workers back")
        assert set(after) == set(before) and not set(after.values()) & set(before.values())
    finally:
        live.stop()
    assert not any(_alive_pid(pid) for pid in after.values()), "job workers outlived museum serve"


def _alive_pid(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


@pytest.mark.slow
def test_museum_serve_starts_its_job_supervisor_again_after_a_kill(app: Flask) -> None:
    # `museum serve` started `museum workers` once: killed, nothing brought it (or any job worker) back, and guests'
    # photos stayed pending while the kiosk kept answering 201.
    live = start_serve(app)
    try:
        workers = wait_until(lambda: len(pids := live.worker_pids()) == 2 and pids, 60, "the job workers")
        (keeper,) = {_parent(pid) for pid in workers.values()}
        assert _parent(keeper) == live.process.pid
        os.kill(keeper, signal.SIGKILL)
        public_id = live.post_photo()
        try:
            wait_until(lambda: live.photo_status(public_id) == "ready", 90, "the photo to be composed")
        except AssertionError:
            raise AssertionError(live.log_tail()) from None
        after = wait_until(lambda: len(pids := live.worker_pids()) == 2 and pids, 60, "both workers back")
        assert {_parent(pid) for pid in after.values()} - {keeper}, "the new workers have a new supervisor"
        assert not set(after.values()) & set(workers.values())
    finally:
        live.stop()
