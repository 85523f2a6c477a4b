"""The job queue: slow work (asset tiers, posters, photo composition) out of the request.

Jobs are rows in the database, so they survive restarts: a worker claims a due job under a lease, runs its
handler, and records the result; a job whose worker died is claimed again when its lease runs out. With
MUSEUM_JOB_QUEUE=redis, enqueueing also pushes the job id onto a Redis list so idle workers on every machine wake
at once instead of polling; the database stays the record of truth.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from museum.db import get_db
from museum.models import Job
from museum.models.base import utcnow

log = logging.getLogger(__name__)

REDIS_LIST = "museum:jobs"
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3
_PROGRESS_EVERY = 0.5  # seconds between progress writes


class JobFailed(Exception):
    """A job failed for good (bad input): no retry. `code`, `message` and `pointer` describe why."""

    def __init__(self, code: str, message: str, pointer: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.pointer, self.detail = code, message, pointer, detail


Handler = Callable[["JobContext", dict[str, Any]], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def register_handler(kind: str, handler: Handler) -> None:
    """Make a function the handler of a kind of job."""
    _HANDLERS[kind] = handler


@dataclass
class JobContext:
    """What a running handler can use: its app, its job id, and a way to report progress."""

    app: Flask
    job_id: int
    attempt: int = 1
    _last: float = 0.0

    @property
    def last_attempt(self) -> bool:
        """Return whether a failure now fails the job for good (so the handler should clean up)."""
        return self.attempt >= MAX_ATTEMPTS

    def progress(self, stage: str, fraction: float) -> None:
        """Record how far the job is (throttled)."""
        now = time.monotonic()
        if now - self._last < _PROGRESS_EVERY and fraction < 1.0:
            return
        self._last = now
        with get_db(self.app).write() as session:
            session.execute(update(Job).where(Job.id == self.job_id).values(
                stage=stage, progress=max(0.0, min(1.0, fraction))))


def enqueue(session: Session, kind: str, payload: dict[str, Any], run_after: datetime | None = None) -> Job:
    """Add a job in the caller's transaction; workers are woken once it commits."""
    job = Job(kind=kind, payload=payload, run_after=run_after or utcnow())
    session.add(job)
    session.flush()
    session.info.setdefault("museum_jobs", []).append(job.id)
    return job


def _redis(app: Flask) -> Any:
    if app.config["MUSEUM_JOB_QUEUE"] != "redis":
        return None
    client = app.extensions.get("museum.redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(app.config["MUSEUM_REDIS_URL"])
        app.extensions["museum.redis"] = client
    return client


def init_app(app: Flask) -> None:
    """Wake Redis-waiting workers when a transaction that enqueued jobs commits."""
    if app.config["MUSEUM_JOB_QUEUE"] not in ("embedded", "redis"):
        raise ValueError("MUSEUM_JOB_QUEUE must be embedded or redis")
    database = get_db(app)

    @event.listens_for(database.read_sessions, "after_commit")
    @event.listens_for(database.write_sessions, "after_commit")
    def _notify(session: Session) -> None:
        ids = session.info.pop("museum_jobs", [])
        client = _redis(app)
        if ids and client is not None:
            try:
                client.rpush(REDIS_LIST, *ids)
            except Exception:  # the database still holds the job; pollers will find it
                log.warning("could not wake workers through Redis", exc_info=True)


def _claim(app: Flask, worker: str, kinds: set[str] | None = None) -> int | None:
    """Claim the oldest due job (or one whose lease ran out) and return its id."""
    database = get_db(app)
    now = utcnow()
    with database.write() as session:
        stmt = (select(Job).where(or_(
            (Job.status == "queued") & (Job.run_after <= now),
            (Job.status == "running") & (Job.locked_until < now),
        )).order_by(Job.id).limit(1))
        if kinds:
            stmt = stmt.where(Job.kind.in_(kinds))
        if not database.is_sqlite:
            stmt = stmt.with_for_update(skip_locked=True)
        job = session.scalars(stmt).first()
        if job is None:
            return None
        job.status, job.locked_by, job.locked_until = "running", worker, now + LEASE
        job.attempts += 1
        return job.id


def _finish(app: Flask, job_id: int, **values: Any) -> None:
    with get_db(app).write() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))


def run_job(app: Flask, job_id: int) -> None:
    """Run one claimed job and record how it ended."""
    with get_db(app).read() as session:
        job = session.get(Job, job_id)
        assert job is not None
        kind, payload, attempts = job.kind, dict(job.payload), job.attempts
    handler = _HANDLERS.get(kind)
    if handler is None:
        _finish(app, job_id, status="failed", finished_at=utcnow(),
                error={"code": "unknown_job", "message": f"No handler for jobs of kind {kind!r}."})
        return
    try:
        with app.app_context():
            result = handler(JobContext(app, job_id, attempts), payload)
    except JobFailed as exc:
        _finish(app, job_id, status="failed", finished_at=utcnow(), locked_until=None,
                error={"code": exc.code, "message": exc.message, "pointer": exc.pointer, "detail": exc.detail})
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, kind)
        error = {"code": "job_error", "message": f"{type(exc).__name__}: {exc}",
                 "trace": traceback.format_exc(limit=5)[-2000:]}
        if attempts < MAX_ATTEMPTS:
            _finish(app, job_id, status="queued", locked_until=None, error=error,
                    run_after=utcnow() + timedelta(seconds=5 * 2 ** attempts))
        else:
            _finish(app, job_id, status="failed", finished_at=utcnow(), locked_until=None, error=error)
    else:
        _finish(app, job_id, status="done", progress=1.0, stage="done", result=result or {},
                finished_at=utcnow(), locked_until=None, error=None)


def run_pending(app: Flask, kinds: set[str] | None = None) -> int:
    """Run every due job now, in this thread; return how many ran."""
    worker = f"inline-{os.getpid()}"
    count = 0
    while (job_id := _claim(app, worker, kinds)) is not None:
        run_job(app, job_id)
        count += 1
    return count


def work_forever(app: Flask, poll_seconds: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
    """Claim and run jobs until stopped; wait on Redis when configured, else poll the database."""
    worker = f"{socket.gethostname()}-{os.getpid()}"
    client = _redis(app)
    log.info("job worker %s started (%s)", worker, app.config["MUSEUM_JOB_QUEUE"])
    while not stop():
        job_id = _claim(app, worker)
        if job_id is not None:
            run_job(app, job_id)
            continue
        if client is not None:
            try:
                client.blpop([REDIS_LIST], timeout=max(1, int(poll_seconds * 5)))
                continue
            except Exception:
                log.warning("Redis unavailable; polling the database", exc_info=True)
        time.sleep(poll_seconds)


def job_json(job: Job) -> dict[str, Any]:
    """Describe a job's state for status endpoints."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "stage": job.stage,
        "progress": round(job.progress, 3),
        "attempts": job.attempts,
        "result": job.result or None,
        "error": ({k: v for k, v in job.error.items() if k in ("code", "message", "pointer", "detail")}
                  if job.error else None),
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
