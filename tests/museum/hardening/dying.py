"""Job workers that died under their jobs, as a kill -9 or the kernel's out-of-memory killer leaves them."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from museum.core.db import get_db
from museum.core.jobs import WorkerPresence
from museum.models import Job, JobWorker
from museum.models.base import utcnow


def dead_pid() -> int:
    """Return the pid of a process of this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def worker_died_under(app: Flask, kind: str, deaths: int) -> Job:
    """Let the queued job of `kind` be claimed by a worker that died under it, its `deaths`th such death.

    A new worker then starts and reaps the dead one, as `museum serve` does when it restarts it. Returns the job.
    """
    host = WorkerPresence(app).host
    with get_db(app).write() as s:
        worker = JobWorker(name=f"killed-{kind}-{deaths}", host=host, pid=dead_pid(), heartbeat_at=utcnow())
        s.add(worker)
        job = s.scalars(select(Job).where(Job.kind == kind, Job.status == "queued")).one()
        job.status, job.locked_by, job.locked_until = "running", worker.name, utcnow() + timedelta(minutes=10)
        job.attempts, job.deaths = job.attempts + 1, deaths - 1
    presence = WorkerPresence(app)
    presence.start()
    presence.stop()
    with get_db(app).read() as s:
        return s.scalars(select(Job).where(Job.kind == kind)).one()
