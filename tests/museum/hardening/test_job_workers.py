"""Job workers under faults: dead workers' jobs come back at once, guests' photos go first, a stall is visible."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from museum.core.db import get_db
from museum.core.jobs import (
    MAX_ATTEMPTS,
    MAX_DEATHS,
    PHOTO_KINDS,
    JobContext,
    WorkerPresence,
    _claim,
    enqueue,
    queue_health,
    queue_stalled_alert,
    register_handler,
    run_pending,
)
from museum.models import Job, JobWorker
from museum.models.base import utcnow
from tests.museum.hardening.dying import dead_pid, worker_died_under

RAN: list[int] = []


def _note(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    RAN.append(payload["n"])
    return {}


@pytest.fixture(autouse=True)
def _note_handler(app: Flask) -> None:
    register_handler(app, "test.note", _note)


def _running_job(app: Flask, worker: JobWorker, attempts: int = 1) -> int:
    """Add a worker row and a job it holds under a fresh 10-minute lease."""
    with get_db(app).write() as s:
        s.add(worker)
        job = enqueue(s, "test.note", {"n": 1})
        job.status, job.locked_by, job.attempts = "running", worker.name, attempts
        job.locked_until = utcnow() + timedelta(minutes=10)
        return job.id


def _job(app: Flask, job_id: int) -> Job:
    with get_db(app).read() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def test_a_new_worker_takes_back_the_job_of_a_killed_worker_at_once(app: Flask) -> None:
    RAN.clear()
    host = WorkerPresence(app).host
    job_id = _running_job(app, JobWorker(name="killed", host=host, pid=dead_pid(), heartbeat_at=utcnow()))
    assert run_pending(app) == 0  # its lease has ten minutes to run
    presence = WorkerPresence(app)
    presence.start()
    try:
        job = _job(app, job_id)
        assert job.status == "queued" and job.error is not None and job.error["code"] == "worker_died"
        assert run_pending(app) == 1 and RAN == [1]
        with get_db(app).read() as s:
            dead = s.get(JobWorker, "killed")
            assert dead is not None and dead.stopped_at is not None
    finally:
        presence.stop()


def test_a_silent_worker_on_another_machine_loses_its_jobs_a_live_one_keeps_them(app: Flask) -> None:
    silent = _running_job(app, JobWorker(name="far-away", host="other-machine", pid=1,
                                         heartbeat_at=utcnow() - timedelta(minutes=1)))
    live = _running_job(app, JobWorker(name="busy-here", host="other-machine", pid=1, heartbeat_at=utcnow()))
    presence = WorkerPresence(app)
    presence.start()
    try:
        presence.beat()
        assert _job(app, silent).status == "queued"
        assert _job(app, live).status == "running"
    finally:
        presence.stop()


def test_a_job_that_keeps_killing_its_worker_fails_instead_of_looping(app: Flask) -> None:
    with get_db(app).write() as s:
        enqueue(s, "test.note", {"n": 4})
    for death in range(1, MAX_DEATHS):
        assert worker_died_under(app, "test.note", death).status == "queued"
    job = worker_died_under(app, "test.note", MAX_DEATHS)
    assert job.status == "failed" and job.error is not None and job.error["code"] == "worker_died"
    assert run_pending(app) == 0


def test_the_deaths_of_its_workers_are_not_counted_as_the_jobs_own_failures(app: Flask) -> None:
    # Three kills of the server in a row, each in the middle of a guest's photo, used to fail the photo.
    runs: list[int] = []

    def count(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        runs.append(ctx.attempt)
        return {}

    register_handler(app, "test.runs", count)
    with get_db(app).write() as s:
        enqueue(s, "test.runs", {})
    for death in range(1, MAX_ATTEMPTS + 1):
        job = worker_died_under(app, "test.runs", death)
        assert job.status == "queued" and job.deaths == death and job.attempts == death
    assert run_pending(app) == 1 and runs == [1]  # its first run of its own


def test_a_worker_beats_and_extends_the_lease_of_its_job(app: Flask) -> None:
    presence = WorkerPresence(app)
    presence.start()
    try:
        with get_db(app).write() as s:
            job = enqueue(s, "test.note", {"n": 2})
            job_id = job.id
        assert _claim(app, presence.name) == job_id
        with get_db(app).write() as s:
            row = s.get(Job, job_id)
            assert row is not None
            row.locked_until = utcnow() + timedelta(seconds=5)
        presence.beat()
        lease = _job(app, job_id).locked_until
        assert lease is not None and lease > utcnow() + timedelta(minutes=9)
    finally:
        presence.stop()
    with get_db(app).read() as s:
        row = s.get(JobWorker, presence.name)
        assert row is not None and row.stopped_at is not None


def test_guests_photos_are_claimed_before_model_ingests(app: Flask) -> None:
    with get_db(app).write() as s:
        ingests = [enqueue(s, "asset.ingest", {"asset_id": n}).id for n in range(3)]
        photo = enqueue(s, "photo.compose", {"photo_id": 1}).id
    assert _claim(app, "w1") == photo
    assert _claim(app, "w1") == ingests[0]
    with get_db(app).write() as s:
        late_photo = enqueue(s, "photo.compose", {"photo_id": 2}).id
    assert _claim(app, "photos", set(PHOTO_KINDS)) == late_photo
    assert _claim(app, "photos", set(PHOTO_KINDS)) is None  # the photo lane never takes an ingest


def test_a_stalled_queue_is_reported_to_health_check_and_cockpit(app: Flask, client: FlaskClient) -> None:
    assert client.get("/api/v1/health").get_json()["status"] == "ok"
    with get_db(app).write() as s:
        enqueue(s, "photo.compose", {"photo_id": 1}, run_after=utcnow() - timedelta(minutes=2))
    with get_db(app).read() as s:
        health = queue_health(s)
        alert = queue_stalled_alert(s)
    assert health.stalled and health.reason == "no_worker" and health.photos_waiting == 1
    assert alert is not None and alert["code"] == "queue_stalled" and "photo" in alert["message"]
    response = client.get("/api/v1/health")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["queue"]["stalled"] is True and body["queue"]["reason"] == "no_worker"
    presence = WorkerPresence(app)
    presence.start()
    try:
        with get_db(app).read() as s:
            assert queue_health(s).workers == 1
    finally:
        presence.stop()


def test_a_fresh_queue_with_a_busy_worker_is_not_stalled(app: Flask) -> None:
    presence = WorkerPresence(app)
    presence.start()
    try:
        with get_db(app).write() as s:
            running = enqueue(s, "asset.ingest", {"asset_id": 1}, run_after=utcnow() - timedelta(minutes=5))
            enqueue(s, "asset.ingest", {"asset_id": 2}, run_after=utcnow() - timedelta(minutes=4))
            enqueue(s, "photo.compose", {"photo_id": 1})
        assert _claim(app, presence.name, {"asset.ingest"}) == running.id
        with get_db(app).read() as s:
            health = queue_health(s)
            assert not health.stalled and queue_stalled_alert(s) is None
            assert (health.waiting, health.running) == (2, 1)
    finally:
        presence.stop()


def test_museum_check_reports_a_stalled_queue(app: Flask) -> None:
    from click.testing import CliRunner

    from museum.cli import main

    env = {"MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"], "MUSEUM_INSTANCE_PATH": app.instance_path,
           "MUSEUM_STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"], "MUSEUM_SECRET_KEY": "test-secret"}
    assert CliRunner().invoke(main, ["check"], env=env).exit_code == 0
    with get_db(app).write() as s:
        enqueue(s, "asset.ingest", {"asset_id": 1}, run_after=utcnow() - timedelta(minutes=3))
    result = CliRunner().invoke(main, ["check"], env=env)
    assert result.exit_code == 1 and "job queue: STALLED (no_worker)" in result.output


def test_a_worker_stopped_in_the_middle_of_a_job_leaves_it_queued(app: Flask) -> None:
    presence = WorkerPresence(app)
    presence.start()
    with get_db(app).write() as s:
        job_id = enqueue(s, "test.note", {"n": 3}).id
    assert _claim(app, presence.name) == job_id
    presence.stop()  # what SIGTERM does to `museum worker` mid-job
    job = _job(app, job_id)
    assert job.status == "queued" and job.locked_by is None and job.error is not None
