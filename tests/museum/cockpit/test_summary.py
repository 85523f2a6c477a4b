"""Every figure of the summary equals a direct count of the seeded events, before and after the roll-up."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from museum.cockpit import alerts
from museum.cockpit.payloads import CockpitAlert, CockpitSummary
from museum.cockpit.rollup import roll_up
from museum.cockpit.summary import DAY_COLUMNS
from museum.core.db import get_db
from museum.core.payloads import schemas
from museum.models import CockpitAlert as AlertRow
from museum.models import Job
from tests.museum.cockpit.conftest import TZ, Seeded

VISITOR_TYPES = {"exhibit_view", "gallery_view", "timeline_view", "tour_step", "vr_session", "ar_session", "search"}


def in_days(rows: list[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    return [r for r in rows if first <= r["at"].astimezone(TZ).date() <= last]


def expected(rows: list[dict[str, Any]], first: date, last: date) -> dict[str, Any]:
    """Count the figures straight from the events, the simple way."""
    rows = in_days(rows, first, last)
    views = [r for r in rows if r["type"] in ("exhibit_view", "gallery_view")]
    per_day: dict[date, set[str]] = {}
    for r in rows:
        if r["type"] in VISITOR_TYPES and r["visitor"]:
            per_day.setdefault(r["at"].astimezone(TZ).date(), set()).add(r["visitor"])
    by_day = []
    day = first
    while day <= last:
        today = [r for r in rows if r["at"].astimezone(TZ).date() == day]
        count = Counter(r["type"] for r in today)
        by_day.append({"date": day.isoformat(), "views": count["exhibit_view"] + count["gallery_view"],
                       "visitors": len(per_day.get(day, ())), "exhibit_views": count["exhibit_view"],
                       "gallery_views": count["gallery_view"], "tour_steps": count["tour_step"],
                       "vr_sessions": count["vr_session"], "ar_sessions": count["ar_session"],
                       "searches": count["search"], "timeline_views": count["timeline_view"],
                       "zero_result_searches": sum(1 for r in today if r["type"] == "search" and r["results"] == 0),
                       "photos_taken": count["photo_taken"], "photos_composed": count["photo_composed"],
                       "photos_shared": count["photo_shared"], "photos_deleted": count["photo_deleted"],
                       "photos_failed": count["photo_failed"], "inquiry_sessions": count["inquiry_session"],
                       "film_plays": count["film_play"], "sounds_heard": count["sound_heard"]})
        day += timedelta(days=1)
    week: Counter[tuple[int, int]] = Counter()
    active: dict[tuple[int, int], set[tuple[datetime, str]]] = {}
    for r in rows:
        local = r["at"].astimezone(TZ)
        if r["type"] in ("exhibit_view", "gallery_view"):
            week[(local.weekday(), local.hour)] += 1
        if r["type"] in VISITOR_TYPES and r["visitor"]:
            hour = r["at"].replace(minute=0, second=0, microsecond=0)
            active.setdefault((local.weekday(), local.hour), set()).add((hour, r["visitor"]))
    exhibits: dict[str, list[int]] = {}
    for r in views:
        if r["type"] == "exhibit_view":
            found = exhibits.setdefault(r["exhibit"], [0, 0, 0])
            found[0] += 1
            if r["duration_ms"] is not None:
                found[1] += r["duration_ms"]
                found[2] += 1
    composed = sorted(r["duration_ms"] for r in rows if r["type"] == "photo_composed")
    inquiry = sorted(r["duration_ms"] for r in rows if r["type"] == "inquiry_session")
    p95 = composed[max(1, math.ceil(0.95 * len(composed))) - 1] if composed else None
    funnel = Counter(r["step"] for r in rows if r["type"] == "tour_step")
    zero = Counter(r["query"] for r in rows if r["type"] == "search" and r["results"] == 0 and r["query"])
    return {
        "views": len(views), "visitors": sum(len(v) for v in per_day.values()), "by_day": by_day,
        "devices": dict(Counter(r["device"] or "unknown" for r in views)),
        "languages": dict(Counter(r["lang"] or "unknown" for r in views)),
        "week": {k: (week[k], len(active.get(k, ()))) for k in set(week) | set(active)},
        "exhibits": {slug: (v[0], round(v[1] / v[2]) if v[2] else None) for slug, v in exhibits.items()},
        "vr": sum(1 for r in rows if r["type"] == "vr_session"),
        "ar": sum(1 for r in rows if r["type"] == "ar_session"),
        "p95": p95, "funnel": dict(funnel), "zero": dict(zero),
        "booth": {k: sum(1 for r in rows if r["type"] == f"photo_{k}")
                  for k in ("taken", "composed", "shared", "deleted", "failed")},
        "inquiry": {"sessions": len(inquiry),
                    "median_seconds": inquiry[max(1, math.ceil(0.5 * len(inquiry))) - 1] // 1000 if inquiry else None,
                    "total_seconds": sum(inquiry) // 1000},
    }


def check(body: dict[str, Any], want: dict[str, Any]) -> None:
    assert body["views"] == want["views"]
    assert body["visitors"] == want["visitors"]
    assert body["by_day"] == want["by_day"]
    assert body["devices"] == want["devices"]
    assert body["languages"] == want["languages"]
    week = {(s["weekday"], s["hour"]): (s["views"], s["visitors"]) for s in body["by_hour_of_week"]
            if s["views"] or s["visitors"]}
    assert week == want["week"]
    assert {e["slug"]: (e["views"], e["avg_dwell_ms"]) for e in body["top_exhibits"]} == want["exhibits"]
    assert body["sessions"] == {"vr": want["vr"], "ar": want["ar"]}
    booth = dict(body["booth"])
    assert booth.pop("compose_p95_ms") == want["p95"]
    assert booth == want["booth"]
    assert body["inquiry"] == want["inquiry"]
    tour = {s["step"]: s["count"] for s in body["tours"][0]["steps"]} if body["tours"] else {}
    assert tour == want["funnel"]
    assert {q["query"]: q["count"] for q in body["searches"]["top_zero_result_queries"]} == want["zero"]


def summary(client: FlaskClient, headers: dict[str, str], first: date, last: date) -> dict[str, Any]:
    response = client.get(f"/api/v1/cockpit/summary?from={first}&to={last}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def test_figures_equal_direct_counts_from_raw_events(client: FlaskClient, manager: dict[str, str],
                                                     seeded: Seeded) -> None:
    body = summary(client, manager, seeded.first, seeded.last)
    assert body["views"] > 100 and body["visitors"] > 50
    check(body, expected(seeded.rows, seeded.first, seeded.last))


@pytest.mark.parametrize("cut_days", [3.5, 20])
def test_figures_are_the_same_after_a_partial_and_a_full_roll_up(app: Flask, client: FlaskClient,
                                                                  manager: dict[str, str], seeded: Seeded,
                                                                  cut_days: float) -> None:
    start = datetime.combine(seeded.first, datetime.min.time(), tzinfo=TZ).astimezone(UTC)
    with app.app_context():
        hours = roll_up(get_db(), TZ, start + timedelta(days=cut_days))
    assert hours > 24
    body = summary(client, manager, seeded.first, seeded.last)
    check(body, expected(seeded.rows, seeded.first, seeded.last))
    # A sub-range cuts inside the rolled-up part and the raw part alike.
    mid_first, mid_last = seeded.first + timedelta(days=2), seeded.first + timedelta(days=5)
    check(summary(client, manager, mid_first, mid_last), expected(seeded.rows, mid_first, mid_last))


def test_previous_period_and_change(client: FlaskClient, manager: dict[str, str], seeded: Seeded) -> None:
    first, last = seeded.first + timedelta(days=5), seeded.last
    body = summary(client, manager, first, last)
    before = expected(seeded.rows, seeded.first, first - timedelta(days=1))
    assert body["previous"]["views"] == before["views"]
    assert body["previous"]["visitors"] == before["visitors"]
    assert body["change"]["views"] == round((body["views"] - before["views"]) / before["views"], 4)


def test_csv_has_the_figures_by_day(client: FlaskClient, manager: dict[str, str], seeded: Seeded) -> None:
    response = client.get(f"/api/v1/cockpit/export.csv?from={seeded.first}&to={seeded.last}", headers=manager)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    want = expected(seeded.rows, seeded.first, seeded.last)["by_day"]
    assert [{k: (v if k == "date" else int(v)) for k, v in row.items()} for row in rows] == want


@pytest.mark.parametrize("query, pointer", [
    ("from=2026-13-01", "/from"), ("to=yesterday", "/to"), ("from=2026-05-02&to=2026-05-01", "/from"),
    ("from=2024-01-01&to=2026-01-01", "/from"),
])
def test_bad_ranges_are_refused_with_a_pointer(client: FlaskClient, manager: dict[str, str], query: str,
                                               pointer: str) -> None:
    response = client.get(f"/api/v1/cockpit/summary?{query}", headers=manager)
    assert response.status_code == 400
    assert response.get_json()["error"]["pointer"] == pointer


def test_top_exhibits_carry_titles_in_the_asked_language(client: FlaskClient, manager: dict[str, str],
                                                         catalogue: Any) -> None:
    client.post("/api/v1/events", json={"events": [{"type": "exhibit_view", "exhibit": "heart-model"}]})
    body = client.get("/api/v1/cockpit/summary?lang=en", headers=manager).get_json()
    assert body["top_exhibits"][0] == {"slug": "heart-model", "title": "Cardiac heart model", "views": 1,
                                       "avg_dwell_ms": None, "dwell_samples": 0}
    zh = client.get("/api/v1/cockpit/summary", headers=manager).get_json()
    assert zh["top_exhibits"][0]["title"] == "心脏模型"


def _errors(doc: dict[str, Any], schema: dict[str, Any], body: Any) -> list[str]:
    """Return what in body does not match a schema of the document (its references resolved in the document)."""
    validator = Draft202012Validator({**schema, "components": doc["components"]})
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)][:3]


def test_the_summary_and_an_acknowledged_alert_match_the_document(app: Flask, client: FlaskClient,
                                                                  manager: dict[str, str], seeded: Seeded) -> None:
    now = datetime.now(UTC)
    with app.app_context(), get_db().write() as session:
        session.add(AlertRow(code="visits_drop", message=alerts.MESSAGES["visits_drop"], value=4.0, low=40.0,
                             high=90.0, detail={"median": 65.0}, started_at=now - timedelta(hours=3)))
        session.add(Job(kind="asset.tiers", payload={}, run_after=now - timedelta(minutes=30)))  # a stalled queue
    doc = client.get("/api/openapi.json").get_json()
    generated = schemas(CockpitSummary, CockpitAlert)
    assert {name: doc["components"]["schemas"][name] for name in generated} == generated

    body = summary(client, manager, seeded.first, seeded.last)
    operation = doc["paths"]["/api/v1/cockpit/summary"]["get"]
    assert _errors(doc, operation["responses"]["200"]["content"]["application/json"]["schema"], body) == []
    assert list(body["by_day"][0]) == sorted(["date", *(name for name, _ in DAY_COLUMNS)])
    shown = {a["code"]: a for a in body["alerts"]}
    assert shown["queue_stalled"]["id"] is None and isinstance(shown["queue_stalled"]["value"], int)
    assert shown["visits_drop"]["median"] == 65.0

    done = client.post(f"/api/v1/cockpit/alerts/{shown['visits_drop']['id']}/acknowledge", headers=manager)
    assert done.status_code == 200
    operation = doc["paths"]["/api/v1/cockpit/alerts/{alert_id}/acknowledge"]["post"]
    assert _errors(doc, operation["responses"]["200"]["content"]["application/json"]["schema"], done.get_json()) == []
