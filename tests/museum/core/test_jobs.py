"""The job queue: jobs run once, retry on faults, fail for good on bad input, survive a dead worker, wake via Redis."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from museum import create_app
from museum.core.db import get_db
from museum.core.jobs import (
    REDIS_LIST,
    JobContext,
    JobFailed,
    enqueue,
    handlers,
    register_handler,
    run_pending,
    work_forever,
)
from museum.models import Job
from museum.models.base import utcnow

CALLS: list[dict[str, Any]] = []


def _echo(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    CALLS.append(payload)
    ctx.progress("echo", 1.0)
    return {"echoed": payload["n"]}


def _flaky(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("disk briefly full")


def _refuse(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    raise JobFailed("BAD_INPUT", "That cannot be processed.", "/file")


def _register_test_jobs(app: Flask) -> None:
    register_handler(app, "test.echo", _echo)
    register_handler(app, "test.flaky", _flaky)
    register_handler(app, "test.refuse", _refuse)


@pytest.fixture(autouse=True)
def _test_jobs(app: Flask) -> None:
    _register_test_jobs(app)


def _job(app: Flask, job_id: int) -> Job:
    with get_db(app).read() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _add(app: Flask, kind: str, payload: dict[str, Any]) -> int:
    with get_db(app).write() as s:
        return enqueue(s, kind, payload).id


def test_jobs_run_once_and_record_results(app: Flask) -> None:
    CALLS.clear()
    ids = [_add(app, "test.echo", {"n": n}) for n in range(3)]
    assert run_pending(app) == 3
    assert run_pending(app) == 0
    assert [c["n"] for c in CALLS] == [0, 1, 2]
    job = _job(app, ids[1])
    assert (job.status, job.result, job.progress) == ("done", {"echoed": 1}, 1.0)


def test_faults_retry_then_fail_and_bad_input_fails_at_once(app: Flask) -> None:
    flaky = _add(app, "test.flaky", {})
    refused = _add(app, "test.refuse", {})
    run_pending(app)
    job = _job(app, flaky)
    assert job.status == "queued" and job.attempts == 1 and job.error["code"] == "job_error"
    assert job.run_after > utcnow()
    bad = _job(app, refused)
    assert bad.status == "failed" and bad.error["code"] == "BAD_INPUT" and bad.error["pointer"] == "/file"
    for _ in range(3):
        with get_db(app).write() as s:
            row = s.get(Job, flaky)
            assert row is not None
            row.run_after = utcnow()
        run_pending(app)
    assert _job(app, flaky).status == "failed" and _job(app, flaky).attempts == 3


def test_a_job_of_a_dead_worker_is_taken_again_when_its_lease_ends(app: Flask) -> None:
    CALLS.clear()
    job_id = _add(app, "test.echo", {"n": 7})
    with get_db(app).write() as s:
        row = s.get(Job, job_id)
        assert row is not None
        row.status, row.locked_by, row.locked_until = "running", "dead-worker", utcnow() + timedelta(minutes=5)
    assert run_pending(app) == 0
    with get_db(app).write() as s:
        row = s.get(Job, job_id)
        assert row is not None
        row.locked_until = utcnow() - timedelta(seconds=1)
    assert run_pending(app) == 1
    assert _job(app, job_id).status == "done" and CALLS == [{"n": 7}]


@pytest.mark.xdist_group("redis")  # one Redis list: these tests must not steal each other's wake-ups
@pytest.mark.skipif(not os.environ.get("MUSEUM_TEST_REDIS_URL"), reason="needs MUSEUM_TEST_REDIS_URL (CI sets it)")
def test_redis_wakes_a_waiting_worker(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    url = os.environ["MUSEUM_TEST_REDIS_URL"]
    redis_app = create_app({**{k[len("MUSEUM_"):]: v for k, v in app.config.items() if k.startswith("MUSEUM_")},
                            "TESTING": True, "INSTANCE_PATH": app.instance_path, "JOB_QUEUE": "redis",
                            "REDIS_URL": url})
    import redis

    client = redis.Redis.from_url(url)
    client.delete(REDIS_LIST)
    CALLS.clear()
    stop = threading.Event()
    _register_test_jobs(redis_app)
    # A blocking wait of 6 s, longer than redis-py's default socket timeout (5 s): the wait must outlast it.
    worker = threading.Thread(target=work_forever, args=(redis_app, 1.3, stop.is_set))
    worker.start()
    try:
        time.sleep(6.5)  # the worker has waited on Redis once in full and waits again
        assert not [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
        started = time.monotonic()
        job_id = _add(redis_app, "test.echo", {"n": 42})
        while _job(redis_app, job_id).status != "done" and time.monotonic() - started < 10:
            time.sleep(0.05)
        assert _job(redis_app, job_id).status == "done"
        assert time.monotonic() - started < 5
    finally:
        stop.set()
        client.rpush(REDIS_LIST, 0)
        worker.join(timeout=20)
        redis_app.extensions["museum.db"].dispose()
    with get_db(app).read() as s:
        assert s.scalar(select(Job.status).where(Job.id == job_id)) == "done"


def test_handlers_are_registered_by_each_feature_on_its_app(app: Flask) -> None:
    assert {"asset.ingest", "photo.compose", "photo.purge", "test.echo"} <= set(handlers(app))
    other = create_app({**{k[len("MUSEUM_"):]: v for k, v in app.config.items() if k.startswith("MUSEUM_")},
                        "TESTING": True, "INSTANCE_PATH": app.instance_path})
    try:
        assert "test.echo" not in handlers(other)  # registered on `app` only: nothing global
        job_id = _add(other, "test.echo", {"n": 1})
        run_pending(other)
        assert _job(other, job_id).status == "failed" and _job(other, job_id).error["code"] == "unknown_job"
    finally:
        other.extensions["museum.db"].dispose()
