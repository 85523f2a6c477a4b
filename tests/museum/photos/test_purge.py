"""Expiry: an expired link answers 410 at once; the purge (command or job) removes the files and marks rows."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update

from museum.core.db import get_db
from museum.core.jobs import run_pending
from museum.models import Job, Photo
from museum.models.base import utcnow
from museum.photos.service import PURGE_JOB
from museum.photos.store import photo_store
from tests.museum.photos.conftest import photo_jpeg, stored
from tests.museum.photos.test_api import JSON, fetch, post


def _expire_all(app: Flask) -> None:
    with app.app_context(), get_db().write() as session:
        session.execute(update(Photo).values(expires_at=utcnow() - timedelta(seconds=1)))


def test_expiry_answers_410_and_the_purge_command_removes_the_files(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, kiosk_token: str, templates: list[str]
) -> None:
    body = post(client, kiosk_token, photo_jpeg()).get_json()
    kept = post(client, kiosk_token, photo_jpeg(320, 240)).get_json()
    run_pending(app)
    token = body["share_url"].rsplit("/", 1)[1]
    assert fetch(client, f"/p/{token}/photo.jpg").status_code == 200
    with app.app_context(), get_db().write() as session:
        photo = session.scalars(select(Photo).where(Photo.public_id == body["id"])).one()
        photo.expires_at = utcnow() - timedelta(seconds=1)
        files = [photo.full_sha256, photo.phone_sha256, photo.thumb_sha256]
    for suffix in ("", "/status", "/photo.jpg", "/full.jpg", "/qr.svg"):
        assert fetch(client, f"/p/{token}{suffix}", headers=JSON).status_code == 410
    assert all(photo_store(app).exists(sha) for sha in files if sha)  # expired, not yet purged

    result = runner.invoke(args=["photos", "purge"])
    assert result.exit_code == 0 and "purged 1" in result.output
    assert not any(photo_store(app).exists(sha) for sha in files if sha)
    with app.app_context(), get_db().read() as session:
        rows = {p.public_id: p for p in session.scalars(select(Photo))}
        assert rows[body["id"]].status == "expired" and rows[body["id"]].full_sha256 is None
        assert rows[kept["id"]].status == "ready"
    assert stored(app).photo_files == 3  # the other guest's photo keeps its three sizes
    assert fetch(client, f"/p/{token}", headers=JSON).status_code == 410
    assert "purged 0" in runner.invoke(args=["photos", "purge"]).output


def test_the_purge_job_runs_from_the_queue_and_schedules_itself_again(
    app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str]
) -> None:
    post(client, kiosk_token, photo_jpeg())
    run_pending(app)
    with app.app_context(), get_db().read() as session:
        purge = session.scalars(select(Job).where(Job.kind == PURGE_JOB)).one()
        assert purge.status == "queued" and purge.run_after > utcnow() + timedelta(minutes=50)
    _expire_all(app)
    with app.app_context(), get_db().write() as session:
        session.execute(update(Job).where(Job.kind == PURGE_JOB).values(run_after=utcnow()))
    assert run_pending(app) == 1
    assert stored(app).photo_files == 0
    with app.app_context(), get_db().read() as session:
        jobs = session.scalars(select(Job).where(Job.kind == PURGE_JOB).order_by(Job.id)).all()
        assert [j.status for j in jobs] == ["done", "queued"] and jobs[0].result == {"purged": 1}
        assert session.scalars(select(Photo)).one().status == "expired"


def test_a_photo_deleted_while_it_is_composed_leaves_no_files(
    app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str]
) -> None:
    token = post(client, kiosk_token, photo_jpeg()).get_json()["share_url"].rsplit("/", 1)[1]
    assert client.post(f"/p/{token}/delete", data={"confirm": "yes"}, headers=JSON).status_code == 200
    run_pending(app)
    assert stored(app).photo_files == 0
    with app.app_context(), get_db().read() as session:
        assert session.scalars(select(Photo)).one().status == "deleted"


def test_the_purge_goes_in_batches_and_keeps_files_another_photo_still_holds(app: Flask) -> None:
    from museum.photos.service import purge_expired

    store = photo_store(app)
    shared = store.put_bytes(b"one file two photos")
    past, future = utcnow() - timedelta(days=1), utcnow() + timedelta(days=1)
    with app.app_context(), get_db().write() as session:
        for i in range(7):
            session.add(Photo(public_id=f"old{i}", share_token_hash=f"{i:064d}", status="ready", expires_at=past,
                              thumb_sha256=store.put_bytes(b"thumb %d" % i),
                              full_sha256=shared if i == 6 else None))
        session.add(Photo(public_id="live", share_token_hash="f" * 64, status="ready", expires_at=future,
                          full_sha256=shared))
    with app.app_context(), get_db().write() as session:
        assert purge_expired(session, store, batch=3) == 7  # batches of 3, 3 and 1
        assert len(session.identity_map) == 0  # nothing of a finished batch is kept in memory
    assert store.exists(shared)  # the live photo still shows it
    assert sum(1 for _ in store.hashes()) == 1
    with app.app_context(), get_db().read() as session:
        assert {p.status for p in session.scalars(select(Photo).where(Photo.public_id != "live"))} == {"expired"}
