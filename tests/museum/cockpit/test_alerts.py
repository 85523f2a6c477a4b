"""Early warning: an injected drop fires its alert; a manager acknowledges it; the band is robust."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from museum.cockpit import alerts, tick
from museum.core.db import get_db
from museum.models import CockpitAlert, HourlyRollup, Job
from tests.museum.cockpit.conftest import headers_for


def test_the_band_is_robust_to_one_bad_week() -> None:
    band = alerts.robust_band([100, 104, 98, 101, 99, 3, 102, 97])
    assert band is not None and band.median == 99.5 and 60 < band.low < 75 and 125 < band.high < 140
    assert alerts.robust_band([5, 5, 5]) is None  # too few weeks to judge
    flat = alerts.robust_band([50.0] * 8)
    assert flat is not None and flat.low < 50 - 20  # never a band of zero width: sqrt(50) x 3


def _hourly(app: Flask, values: dict[datetime, int], metric: str = "active") -> None:
    with app.app_context(), get_db().write() as session:
        session.execute(insert(HourlyRollup), [{"hour": h, "metric": metric, "key": "", "count": v, "total": 0,
                                                "n": 0} for h, v in values.items()])


def test_an_injected_drop_fires_and_ends(app: Flask) -> None:
    start = datetime(2026, 6, 1, 2, tzinfo=UTC)
    values = {start + timedelta(hours=i): 100 + (i * 7) % 11 for i in range(24 * 7 * 9)}
    drop = start + timedelta(weeks=8, hours=30)
    values[drop] = 20
    values[drop + timedelta(hours=1)] = 15
    _hourly(app, values)
    with app.app_context(), get_db().write() as session:
        findings = alerts.hourly_findings(session, start + timedelta(weeks=8), start + timedelta(weeks=9))
        opened = alerts.apply(session, findings)
    assert [a.code for a in opened] == ["visits_drop"]
    with app.app_context(), get_db().read() as session:
        alert = session.scalars(select(CockpitAlert)).one()
        assert alert.started_at == drop and alert.ended_at == drop + timedelta(hours=2)
        assert alert.value == 15 and alert.low is not None and alert.low > 15


def test_failures_above_the_band_fire(app: Flask) -> None:
    start = datetime(2026, 6, 1, 2, tzinfo=UTC)
    values = {start + timedelta(weeks=w): w % 2 for w in range(8)}
    values[start + timedelta(weeks=8)] = 9
    _hourly(app, values, "photo_failed")
    with app.app_context(), get_db().write() as session:
        found = [f for f in alerts.hourly_findings(session, start + timedelta(weeks=8), start + timedelta(
            weeks=8, hours=1)) if f.firing]
    assert [f.code for f in found] == ["booth_failures"]


def test_a_stalled_queue_and_a_full_disk_fire(app: Flask) -> None:
    now = datetime.now(UTC)
    with app.app_context(), get_db().write() as session:
        session.add(Job(kind="asset.tiers", payload={}, run_after=now - timedelta(minutes=30)))
    with app.app_context(), get_db().read() as session:
        found = {f.code: f.firing for f in alerts.live_findings(session, app.config["MUSEUM_STORAGE_DIR"], 101.0,
                                                                  now)}
    assert found == {"queue_stalled": True, "disk_filling": True}
    with app.app_context(), get_db().read() as session:
        calm = {f.code: f.firing for f in alerts.live_findings(session, app.config["MUSEUM_STORAGE_DIR"], 0.0,
                                                                 now - timedelta(minutes=25))}
    assert calm == {"queue_stalled": False, "disk_filling": False}


def test_alerts_show_on_the_summary_and_a_manager_acknowledges(app: Flask, client: FlaskClient,
                                                               manager: dict[str, str]) -> None:
    with app.app_context(), get_db().write() as session:
        session.add(CockpitAlert(code="visits_drop", message=alerts.MESSAGES["visits_drop"],
                                 started_at=datetime.now(UTC) - timedelta(hours=3), value=4.0, low=40.0, high=90.0))
    body: dict[str, Any] = client.get("/api/v1/cockpit/summary", headers=manager).get_json()
    listed = [a for a in body["alerts"] if a["code"] == "visits_drop"]
    assert len(listed) == 1 and listed[0]["acknowledged_at"] is None
    alert_id = listed[0]["id"]
    curator = headers_for(app, "curator")
    assert client.post(f"/api/v1/cockpit/alerts/{alert_id}/acknowledge", headers=curator).status_code == 403
    done = client.post(f"/api/v1/cockpit/alerts/{alert_id}/acknowledge", headers=manager)
    assert done.status_code == 200 and done.get_json()["acknowledged_at"]
    assert client.post(f"/api/v1/cockpit/alerts/{alert_id}/acknowledge", headers=manager).status_code == 409
    assert client.post("/api/v1/cockpit/alerts/999/acknowledge", headers=manager).status_code == 404


def test_the_tick_checks_alerts(app: Flask) -> None:
    with app.app_context():
        result = tick.run_tick(app)
    assert set(result) == {"hours_rolled", "events_purged", "alerts_opened"}


def _composed(app: Flask, hours: dict[datetime, list[int]]) -> None:
    rows = []
    for hour, times in hours.items():
        for ms in set(times):
            rows.append({"hour": hour, "metric": "photo_composed", "key": str(ms), "count": times.count(ms),
                         "total": ms * times.count(ms), "n": times.count(ms)})
    with app.app_context(), get_db().write() as session:
        session.execute(insert(HourlyRollup), rows)


def test_a_slowing_booth_fires_and_one_slow_photo_does_not(app: Flask) -> None:
    start = datetime(2026, 6, 1, 3, tzinfo=UTC)
    usual = [2300, 2400, 2450, 2500, 2600]
    hours = {start + timedelta(weeks=w): [t + 10 * w for t in usual] for w in range(8)}
    one_slow = start + timedelta(weeks=8)
    hours[one_slow] = [2350, 2450, 2500, 2550, 9800]  # one photo took long: not a slowing booth
    slowing = start + timedelta(weeks=9)
    hours |= {start + timedelta(weeks=8 + w, hours=1): usual for w in range(-8, 0)}
    hours[slowing + timedelta(hours=1)] = [4100, 4300, 4400, 4500, 4800]  # every photo takes longer
    _composed(app, hours)
    with app.app_context(), get_db().write() as session:
        found = alerts.hourly_findings(session, one_slow, one_slow + timedelta(hours=2))
        firing = [(f.code, f.at) for f in found if f.firing]
        assert firing == []
        late = alerts.hourly_findings(session, slowing + timedelta(hours=1), slowing + timedelta(hours=2))
    assert [(f.code, f.at, f.value) for f in late if f.firing] == [("compose_slow", slowing + timedelta(hours=1),
                                                                      4400.0)]
