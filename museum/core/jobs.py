"""The job queue: slow work (asset tiers, posters, photo composition) out of the request.

Jobs are rows in the database, so they survive restarts: a worker claims a due job under a lease, runs its
handler, and records the result. Each worker process has a row of its own (`JobWorker`) with a heartbeat; the jobs
of a worker that stopped beating (or whose process is gone from this machine) are queued again at once, and the
lease is only the last resort. Guests' photos outrank model ingests (`priority`), and `museum serve` runs a lane
of its own for them, so a booth never waits behind a 30-second ingest. With MUSEUM_JOB_QUEUE=redis, enqueueing
also pushes the job id onto a Redis list so idle workers on every machine wake at once instead of polling; the
database stays the record of truth.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from flask import Flask
from pydantic import ConfigDict, Field
from sqlalchemy import delete, event, func, or_, select, update
from sqlalchemy.orm import Session

from museum.core.db import get_db
from museum.core.payloads import Reply
from museum.models import Job, JobWorker
from museum.models.base import utcnow

log = logging.getLogger(__name__)

REDIS_LIST = "museum:jobs"
REDIS_PRIORITY_LIST = "museum:jobs:priority"  # woken lanes that take only priority kinds (guests' photos)
LEASE = timedelta(minutes=10)  # last resort for a job whose worker left no row (inline runs, older versions)
MAX_ATTEMPTS = 3  # runs that raised: a job fails for good at the third
# Deaths of the worker under a job are counted apart: a deploy, a restart or a lost machine kills workers too, so
# a job is only blamed (failed for good, as one that runs its worker out of memory must be) after this many.
MAX_DEATHS = 5
_PROGRESS_EVERY = 0.5  # seconds between progress writes
HEARTBEAT_EVERY = 2.0  # seconds between a worker's signs of life
WORKER_STALE = timedelta(seconds=20)  # a worker silent this long is dead; its jobs are queued again
STALL_AFTER = timedelta(seconds=30)  # a due job waiting this long with nobody working on the queue: stalled
# Guests stand at the booth waiting for their photo; a model ingest can wait. Higher runs first.
PHOTO_PRIORITY = 100
PRIORITY: dict[str, int] = {"photo.compose": PHOTO_PRIORITY}
StallReason = Literal["no_worker", "not_claimed", "photos_waiting"]  # why a due job is not being worked on
PHOTO_KINDS = frozenset(kind for kind, rank in PRIORITY.items() if rank >= PHOTO_PRIORITY)


class JobFailed(Exception):
    """A job failed for good (bad input): no retry. `code`, `message` and `pointer` describe why."""

    def __init__(self, code: str, message: str, pointer: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.pointer, self.detail = code, message, pointer, detail


Handler = Callable[["JobContext", dict[str, Any]], dict[str, Any]]
# Called in the transaction that fails a job for good, however it failed (refused, raised at its last attempt, or
# its worker died once too often), with the job's payload and error: it settles what the job was working on.
FailedHook = Callable[[Flask, Session, dict[str, Any], dict[str, Any]], None]
_HANDLERS_KEY = "museum.job_handlers"
_FAILED_KEY = "museum.job_failed_hooks"


def register_handler(app: Flask, kind: str, handler: Handler, on_failed: FailedHook | None = None) -> None:
    """Make a function the handler of a kind of job in this app (each feature registers its own in init_app).

    `on_failed` settles the job's subject when the job fails for good (a photo then shows its guest a failure
    instead of waiting for ever); it must do nothing to a subject already settled.
    """
    app.extensions.setdefault(_HANDLERS_KEY, {})[kind] = handler
    if on_failed is not None:
        app.extensions.setdefault(_FAILED_KEY, {})[kind] = on_failed


def handlers(app: Flask) -> dict[str, Handler]:
    """Return the job handlers registered in an app, by kind."""
    return dict(app.extensions.get(_HANDLERS_KEY, {}))


@dataclass
class JobContext:
    """What a running handler can use: its app, its job id, which of its runs this is, and a way to report progress.

    A handler need not clean up after its last run: the `on_failed` hook of its kind does, however the job failed.
    """

    app: Flask
    job_id: int
    attempt: int = 1
    _last: float = 0.0

    def progress(self, stage: str, fraction: float) -> None:
        """Record how far the job is (throttled)."""
        now = time.monotonic()
        if now - self._last < _PROGRESS_EVERY and fraction < 1.0:
            return
        self._last = now
        with get_db(self.app).write() as session:
            session.execute(update(Job).where(Job.id == self.job_id).values(
                stage=stage, progress=max(0.0, min(1.0, fraction))))


def enqueue(session: Session, kind: str, payload: dict[str, Any], run_after: datetime | None = None,
            priority: int | None = None, subject: str = "") -> Job:
    """Add a job in the caller's transaction; workers are woken once it commits.

    `subject` names what the job works on ("asset:12"), indexed, so the job of a thing is found without a scan.
    """
    rank = PRIORITY.get(kind, 0) if priority is None else priority
    job = Job(kind=kind, payload=payload, run_after=run_after or utcnow(), priority=rank, subject=subject[:80])
    session.add(job)
    session.flush()
    session.info.setdefault("museum_jobs", []).append((job.id, rank))
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


def _waiting_redis(app: Flask, wait_s: int) -> Any:
    """Return a Redis client of the worker's own whose reads outlast its blocking wait of `wait_s` seconds.

    The shared client keeps redis-py's short socket timeout (5 s in redis-py 8), which suits quick pushes but would
    cut every longer BLPOP short: the worker would log Redis as unavailable and fall back to sleeping.
    """
    if app.config["MUSEUM_JOB_QUEUE"] != "redis":
        return None
    import redis

    return redis.Redis.from_url(app.config["MUSEUM_REDIS_URL"], socket_timeout=wait_s + 10,
                                socket_connect_timeout=5)


def init_app(app: Flask) -> None:
    """Wake Redis-waiting workers when a transaction that enqueued jobs commits."""
    if app.config["MUSEUM_JOB_QUEUE"] not in ("embedded", "redis"):
        raise ValueError("MUSEUM_JOB_QUEUE must be embedded or redis")
    database = get_db(app)

    @event.listens_for(database.read_sessions, "after_commit")
    @event.listens_for(database.write_sessions, "after_commit")
    def _notify(session: Session) -> None:
        queued = session.info.pop("museum_jobs", [])
        client = _redis(app)
        if queued and client is not None:
            try:
                client.rpush(REDIS_LIST, *(job_id for job_id, _rank in queued))
                urgent = [job_id for job_id, rank in queued if rank >= PHOTO_PRIORITY]
                if urgent:
                    client.rpush(REDIS_PRIORITY_LIST, *urgent)
            except Exception:  # the database still holds the job; pollers will find it
                log.warning("could not wake workers through Redis", exc_info=True)

    @event.listens_for(database.read_sessions, "after_rollback")
    @event.listens_for(database.write_sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop("museum_jobs", None)


def _claim(app: Flask, worker: str, kinds: set[str] | frozenset[str] | None = None) -> int | None:
    """Claim the most urgent, then oldest, due job (or one whose lease ran out) and return its id."""
    database = get_db(app)
    now = utcnow()
    with database.write() as session:
        stmt = (select(Job).where(or_(
            (Job.status == "queued") & (Job.run_after <= now),
            (Job.status == "running") & (Job.locked_until < now),
        )).order_by(Job.priority.desc(), Job.id).limit(1))
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


def _settle_failure(app: Flask, session: Session, job: Job, error: dict[str, Any], now: datetime) -> None:
    """Fail a job for good in the caller's transaction and let its kind settle what it was working on."""
    job.status, job.finished_at, job.locked_until, job.error = "failed", now, None, error
    hook = app.extensions.get(_FAILED_KEY, {}).get(job.kind)
    if hook is not None:
        with app.app_context():
            hook(app, session, dict(job.payload), error)


def _fail(app: Flask, job_id: int, error: dict[str, Any]) -> None:
    with get_db(app).write() as session:
        job = session.get(Job, job_id)
        if job is not None:
            _settle_failure(app, session, job, error, utcnow())


def run_job(app: Flask, job_id: int) -> None:
    """Run one claimed job and record how it ended."""
    with get_db(app).read() as session:
        job = session.get(Job, job_id)
        assert job is not None
        kind, payload = job.kind, dict(job.payload)
        runs = job.attempts - job.deaths  # this run included; the runs its worker died in are not its failures
    handler = app.extensions.get(_HANDLERS_KEY, {}).get(kind)
    if handler is None:
        _fail(app, job_id, {"code": "unknown_job", "message": f"No handler for jobs of kind {kind!r}."})
        return
    try:
        with app.app_context():
            result = handler(JobContext(app, job_id, runs), payload)
    except JobFailed as exc:
        _fail(app, job_id, {"code": exc.code, "message": exc.message, "pointer": exc.pointer, "detail": exc.detail})
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, kind)
        error = {"code": "job_error", "message": f"{type(exc).__name__}: {exc}",
                 "trace": traceback.format_exc(limit=5)[-2000:]}
        if runs < MAX_ATTEMPTS:
            _finish(app, job_id, status="queued", locked_until=None, error=error,
                    run_after=utcnow() + timedelta(seconds=5 * 2 ** runs))
        else:
            _fail(app, job_id, error)
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


def _process_alive(pid: int) -> bool:
    """Return whether a process of this machine still exists."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def reclaim_dead_workers(app: Flask, session: Session, host: str | None = None,
                         now: datetime | None = None) -> list[int]:
    """Mark silent workers (and gone processes of this host) dead and queue their running jobs again at once.

    A job whose worker has now died under it MAX_DEATHS times fails instead, so a model that kills its worker (out
    of memory) cannot take the queue down again and again. Returns the ids of the jobs queued again.
    """
    now = now or utcnow()
    host = socket.gethostname()[:64] if host is None else host
    dead: list[str] = []
    for row in session.scalars(select(JobWorker).where(JobWorker.stopped_at.is_(None))):
        if row.heartbeat_at < now - WORKER_STALE or (row.host == host and not _process_alive(row.pid)):
            row.stopped_at = now
            dead.append(row.name)
    session.flush()
    stopped = select(JobWorker.name).where(JobWorker.stopped_at.is_not(None))
    requeued: list[int] = []
    for job in session.scalars(select(Job).where(Job.status == "running", Job.locked_by.in_(stopped))):
        job.deaths += 1
        error = {"code": "worker_died", "message": f"The worker {job.locked_by} running this job stopped "
                 f"({job.deaths} of {MAX_DEATHS} such stops fail the job)."}
        if job.deaths >= MAX_DEATHS:
            _settle_failure(app, session, job, error, now)
        else:
            job.status, job.run_after, job.locked_by, job.locked_until, job.error = "queued", now, None, None, error
            requeued.append(job.id)
    # Rows of workers long gone only fill the table; a day is long enough to read them after an incident.
    session.execute(delete(JobWorker).where(JobWorker.stopped_at < now - timedelta(days=1)))
    if dead or requeued:
        log.warning("job workers %s stopped; %d job(s) queued again", ", ".join(dead) or "-", len(requeued))
    return requeued


class WorkerPresence:
    """A worker's row in `job_workers`, kept alive by a heartbeat thread that also reaps dead workers."""

    def __init__(self, app: Flask, kinds: set[str] | frozenset[str] | None = None) -> None:
        self.app = app
        self.host = socket.gethostname()[:64]
        self.pid = os.getpid()
        self.name = f"{self.host[:50]}-{self.pid}-{secrets.token_hex(3)}"
        self.kinds = ",".join(sorted(kinds or ()))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Register this worker, take back the jobs of dead ones, and start beating."""
        database = get_db(self.app)
        with database.write() as session:
            session.add(JobWorker(name=self.name, host=self.host, pid=self.pid, kinds=self.kinds,
                                  started_at=utcnow(), heartbeat_at=utcnow()))
        with database.write() as session:
            reclaim_dead_workers(self.app, session, self.host)
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{self.name}", daemon=True)
        self._thread.start()

    def beat(self) -> None:
        """Record a sign of life, extend the leases of this worker's jobs, and reap dead workers."""
        now = utcnow()
        with get_db(self.app).write() as session:
            session.execute(update(JobWorker).where(JobWorker.name == self.name)
                            .values(heartbeat_at=now, stopped_at=None))
            session.execute(update(Job).where(Job.status == "running", Job.locked_by == self.name)
                            .values(locked_until=now + LEASE))
            reclaim_dead_workers(self.app, session, self.host, now)

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_EVERY):
            try:
                self.beat()
            except Exception:  # a database hiccup must not end the heartbeat; the next beat tries again
                log.warning("job worker heartbeat failed", exc_info=True)

    def stop(self) -> None:
        """Stop beating, record that this worker left, and queue again a job it was interrupted in."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=HEARTBEAT_EVERY * 3)
        with get_db(self.app).write() as session:
            session.execute(update(JobWorker).where(JobWorker.name == self.name).values(stopped_at=utcnow()))
            reclaim_dead_workers(self.app, session, self.host)


def work_forever(app: Flask, poll_seconds: float = 1.0, stop: Callable[[], bool] = lambda: False,
                 kinds: set[str] | frozenset[str] | None = None) -> None:
    """Claim and run jobs (of some kinds only, when given) until stopped; wait on Redis when configured."""
    presence = WorkerPresence(app, kinds)
    presence.start()
    worker = presence.name
    wait_s = max(1, int(poll_seconds * 5))
    client = _waiting_redis(app, wait_s)
    wake_list = REDIS_PRIORITY_LIST if kinds and set(kinds) <= PHOTO_KINDS else REDIS_LIST
    log.info("job worker %s started (%s; %s)", worker, app.config["MUSEUM_JOB_QUEUE"],
             ", ".join(sorted(kinds)) if kinds else "every kind")
    try:
        while not stop():
            job_id = _claim(app, worker, kinds)
            if job_id is not None:
                run_job(app, job_id)
                continue
            if client is not None:
                try:
                    client.blpop([wake_list], timeout=wait_s)
                    continue
                except Exception:
                    log.warning("Redis unavailable; polling the database", exc_info=True)
            time.sleep(poll_seconds)
    finally:
        presence.stop()


class QueueHealth(Reply):
    """How the job queue is doing: live workers, due and running jobs, the longest wait, and whether it stalled."""

    model_config = ConfigDict(frozen=True)

    workers: int = Field(description="Job workers that gave a sign of life in the last 20 s.")
    waiting: int = Field(description="Jobs due and not yet taken.")
    running: int
    oldest_wait_s: float | None
    photos_waiting: int = Field(description="Guests' photos due and not yet taken.")
    stalled: bool
    reason: StallReason | None


def queue_health(session: Session, now: datetime | None = None, stall_after: timedelta = STALL_AFTER) -> QueueHealth:
    """Return the queue's health; stalled when a due job waited past `stall_after` and nothing serves it."""
    now = now or utcnow()
    alive = session.scalar(select(func.count()).select_from(JobWorker).where(
        JobWorker.stopped_at.is_(None), JobWorker.heartbeat_at >= now - WORKER_STALE)) or 0
    due = (Job.status == "queued") & (Job.run_after <= now)
    waiting = session.scalar(select(func.count()).select_from(Job).where(due)) or 0
    running = session.scalar(select(func.count()).select_from(Job).where(Job.status == "running")) or 0
    oldest = session.scalar(select(func.min(Job.run_after)).where(due))
    photos_late = session.scalar(select(func.count()).select_from(Job).where(
        due, Job.priority >= PHOTO_PRIORITY, Job.run_after < now - stall_after)) or 0
    photos = session.scalar(select(func.count()).select_from(Job).where(due, Job.priority >= PHOTO_PRIORITY)) or 0
    wait = (now - oldest).total_seconds() if oldest is not None else None
    late = wait is not None and wait > stall_after.total_seconds()
    reason: StallReason | None = None
    if late and alive == 0:
        reason = "no_worker"
    elif late and running == 0:
        reason = "not_claimed"
    elif photos_late:
        reason = "photos_waiting"
    return QueueHealth(workers=alive, waiting=waiting, running=running,
                       oldest_wait_s=round(wait, 1) if wait is not None else None, photos_waiting=photos,
                       stalled=reason is not None, reason=reason)


_STALL_MESSAGES: dict[StallReason, str] = {
    "no_worker": "No job worker is running: guests' photos and uploaded models are not being processed.",
    "not_claimed": "Jobs are due but no worker takes them: guests' photos and uploaded models wait.",
    "photos_waiting": "Guests' photos have waited too long for composition.",
}


def queue_stalled_alert(session: Session, now: datetime | None = None) -> dict[str, Any] | None:
    """Return the cockpit alert `{"code": "queue_stalled", "message", ...}` when the job queue stalled, else None."""
    health = queue_health(session, now)
    if not health.stalled or health.reason is None:
        return None
    return {"code": "queue_stalled", "message": _STALL_MESSAGES[health.reason], **health.answer()}


class JobError(Reply):
    """Why a job failed, or why its last run did."""

    code: str
    message: str
    pointer: str | None = None
    detail: Any = None


class JobState(Reply):
    """A job's state, as status endpoints show it."""

    id: int
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    stage: str
    progress: float = Field(ge=0, le=1)
    attempts: int
    result: dict[str, Any] | None
    error: JobError | None
    created_at: str
    finished_at: str | None


def job_json(job: Job) -> JobState:
    """Describe a job's state for status endpoints."""
    error = job.error or None
    return JobState(
        id=job.id, kind=job.kind, status=cast(Any, job.status), stage=job.stage, progress=round(job.progress, 3),
        attempts=job.attempts, result=job.result or None,
        error=JobError(code=str(error.get("code")), message=str(error.get("message")), pointer=error.get("pointer"),
                       detail=error.get("detail")) if error else None,
        created_at=job.created_at.isoformat(),
        finished_at=job.finished_at.isoformat() if job.finished_at else None)
