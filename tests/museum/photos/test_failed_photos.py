"""A guest's photo whose composition failed for good says so to its guest, however it failed, and keeps nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from museum.core.db import get_db
from museum.core.jobs import MAX_ATTEMPTS, MAX_DEATHS, run_pending
from museum.models import Job, Photo
from museum.models.base import utcnow
from museum.photos.store import photo_store
from tests.museum.hardening.dying import worker_died_under
from tests.museum.photos.conftest import photo_jpeg

JSON = {"Accept": "application/json"}


def _post_photo(client: FlaskClient, kiosk_token: str) -> str:
    """Post a booth photo; return its share token."""
    response = client.post("/api/v1/kiosk/photos", headers={**JSON, "Authorization": f"Bearer {kiosk_token}"},
                           data={"consent": "true", "photo": (io.BytesIO(photo_jpeg(640, 480)), "b.jpg", "image/jpeg")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["share_url"].rsplit("/", 1)[1])


def _photo(app: Flask) -> Photo:
    with get_db(app).read() as s:
        return s.scalars(select(Photo)).one()


def _status(client: FlaskClient, token: str) -> str:
    return str(client.get(f"/p/{token}/status").get_json()["status"])


def test_a_photo_whose_workers_kept_dying_shows_its_guest_a_failure(app: Flask, client: FlaskClient,
                                                                    kiosk_token: str, templates: list[str]) -> None:
    token = _post_photo(client, kiosk_token)
    capture = _photo(app).capture_sha256
    assert capture is not None and photo_store(app).exists(capture)
    for death in range(1, MAX_DEATHS + 1):
        job = worker_died_under(app, "photo.compose", death)
    assert job.status == "failed" and job.error is not None and job.error["code"] == "worker_died"
    assert _status(client, token) == "failed"
    assert _photo(app).capture_sha256 is None and not photo_store(app).exists(capture)


def test_a_photo_whose_composition_raised_at_its_last_run_shows_a_failure(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the composition broke")

    monkeypatch.setattr("museum.photos.compose_job.compose", broken)
    token = _post_photo(client, kiosk_token)
    for _ in range(MAX_ATTEMPTS):
        assert _status(client, token) == "pending"
        with get_db(app).write() as s:  # skip the back-off between runs
            s.execute(update(Job).where(Job.status == "queued").values(run_after=utcnow()))
        assert run_pending(app, {"photo.compose"}) == 1
    assert _status(client, token) == "failed"
    assert _photo(app).capture_sha256 is None


def test_a_photo_whose_capture_is_no_longer_stored_shows_a_failure(app: Flask, client: FlaskClient,
                                                                   kiosk_token: str, templates: list[str]) -> None:
    token = _post_photo(client, kiosk_token)
    capture = _photo(app).capture_sha256
    assert capture is not None
    photo_store(app).delete(capture)
    assert run_pending(app, {"photo.compose"}) == 1
    with get_db(app).read() as s:
        job = s.scalars(select(Job).where(Job.kind == "photo.compose")).one()
    assert job.status == "failed" and job.error is not None and job.error["code"] == "capture_missing"
    assert _status(client, token) == "failed"
