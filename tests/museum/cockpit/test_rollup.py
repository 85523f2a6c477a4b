"""Rollups are kept; raw events past MUSEUM_EVENTS_RETENTION_DAYS are purged by the worker's tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from museum.cockpit import tick
from museum.core.db import get_db
from museum.core.jobs import run_pending
from museum.models import DailyRollup, HourlyRollup, Job, VisitEvent
from tests.museum.cockpit.conftest import TZ, random_events, write_events


def test_the_tick_rolls_up_purges_old_events_and_keeps_the_figures(app: Flask, client: FlaskClient,
                                                                    manager: dict[str, str]) -> None:
    today = datetime.now(TZ).date()
    first = today - timedelta(days=45)
    rows = random_events(5, datetime.combine(first, datetime.min.time(), tzinfo=TZ).astimezone(UTC), 40, 30)
    write_events(app, rows)
    url = f"/api/v1/cockpit/summary?from={first}&to={today}"
    before = client.get(url, headers=manager).get_json()
    app.config["MUSEUM_EVENTS_RETENTION_DAYS"] = 10
    with app.app_context():
        done = tick.run_tick(app)
        assert done["hours_rolled"] >= 40 * 24 and done["events_purged"] > 0
        with get_db().read() as session:
            oldest = session.scalar(select(func.min(VisitEvent.at)))
            assert oldest is not None and oldest >= datetime.now(UTC) - timedelta(days=10, minutes=1)
            assert session.scalar(select(func.count()).select_from(HourlyRollup))
            assert session.scalar(select(func.count()).select_from(DailyRollup))
    after = client.get(url, headers=manager).get_json()
    for name in ("views", "visitors", "by_day", "devices", "languages", "top_exhibits", "booth", "tours",
                 "by_hour_of_week", "searches", "sessions"):
        assert after[name] == before[name], name


def test_events_queue_the_tick_and_the_worker_runs_it(app: Flask, client: FlaskClient) -> None:
    tick._last_check["at"] = -1e9
    assert client.post("/api/v1/events", json={"events": [{"type": "timeline_view"}]}).status_code == 202
    with app.app_context(), get_db().write() as session:
        job = session.scalar(select(Job).where(Job.kind == tick.TICK_JOB))
        assert job is not None and job.status == "queued"
        job.run_after = datetime.now(UTC) - timedelta(seconds=1)
    with app.app_context():
        assert run_pending(app, {tick.TICK_JOB}) == 1
        with get_db().read() as session:
            jobs = session.scalars(select(Job).where(Job.kind == tick.TICK_JOB).order_by(Job.id)).all()
    assert [j.status for j in jobs] == ["done", "queued"]
