"""The demo's simulated traffic makes exactly one alert fire, its injected drop, whatever day and hour it is seeded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from museum.cockpit.rollup import timezone
from museum.core.db import get_db
from museum.demo.traffic import DROP_HOURS, drop_day, seed_traffic
from museum.models import CockpitAlert


@pytest.mark.slow
@pytest.mark.parametrize("now", [
    datetime(2026, 12, 1, 17, 15, tzinfo=UTC),  # Wednesday 01:15 in Shanghai: two days back is a quiet Monday
    datetime(2026, 12, 4, 3, 0, tzinfo=UTC),  # Friday morning
    datetime(2026, 12, 5, 15, 30, tzinfo=UTC),  # Saturday night: the latest weekend day is a week back
    datetime(2026, 12, 7, 1, 0, tzinfo=UTC),  # Monday morning
], ids=["wednesday-night", "friday-morning", "saturday-night", "monday-morning"])
def test_the_injected_drop_and_nothing_else_fires(app: Flask, now: datetime) -> None:
    result = seed_traffic(app, now)
    assert result["alerts_opened"] == 1
    tz = timezone(app)
    with app.app_context(), get_db().read() as session:
        alert = session.scalars(select(CockpitAlert)).one()
    local = alert.started_at.astimezone(tz)
    assert alert.code == "visits_drop"
    assert local.date() == drop_day(now.astimezone(tz).date()) and local.hour in DROP_HOURS
    assert alert.ended_at is not None and alert.ended_at - alert.started_at <= timedelta(hours=len(DROP_HOURS))
