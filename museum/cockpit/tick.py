"""The cockpit's recurring job: roll up finished hours, purge raw events past retention, check for alerts."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.cockpit import alerts, rollup
from museum.core.db import get_db
from museum.core.jobs import JobContext, enqueue, register_handler
from museum.models import Job
from museum.models.base import utcnow

TICK_JOB = "cockpit.tick"
EVERY = timedelta(minutes=5)
_CHECK_EVERY = 60.0  # seconds between one process's checks that the tick is queued
_last_check = {"at": -1e9}
_lock = threading.Lock()


def run_tick(app: Flask, now: Any = None) -> dict[str, int]:
    """Roll up, purge and check once, now; return what was done."""
    database, tz = get_db(app), rollup.timezone(app)
    hours = rollup.roll_up(database, tz, now)
    purged = rollup.purge(database, tz, int(app.config["MUSEUM_EVENTS_RETENTION_DAYS"]), now)
    free = float(app.config["MUSEUM_ALERT_DISK_FREE_PERCENT"])
    opened = alerts.check(database, app.config["MUSEUM_STORAGE_DIR"], free, now)
    return {"hours_rolled": hours, "events_purged": purged, "alerts_opened": opened}


def tick(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Run the tick as a job, then queue the next one."""
    done = run_tick(ctx.app)
    if payload.get("repeat", True):
        with get_db(ctx.app).write() as session:
            enqueue(session, TICK_JOB, {}, run_after=utcnow() + EVERY)
    return done


def ensure_scheduled(session: Session) -> None:
    """Queue the recurring tick unless one is waiting already (in the caller's transaction)."""
    waiting = session.scalar(select(Job.id).where(Job.kind == TICK_JOB, Job.status.in_(("queued", "running")))
                             .limit(1))
    if waiting is None:
        enqueue(session, TICK_JOB, {}, run_after=utcnow() + EVERY)


def ensure_scheduled_now_and_then(app: Flask) -> None:
    """Make sure the tick is queued, checking at most once a minute per process (so the hot path stays cheap)."""
    with _lock:
        if time.monotonic() - _last_check["at"] < _CHECK_EVERY:
            return
        _last_check["at"] = time.monotonic()
    with get_db(app).write() as session:
        ensure_scheduled(session)



def init_app(app: Flask) -> None:
    """Register the cockpit's periodic job."""
    register_handler(app, TICK_JOB, tick)
