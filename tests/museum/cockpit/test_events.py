"""POST /api/v1/events: validated batches, refused whole, and nothing personal in the database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData, func, select, text

from museum.cockpit import events
from museum.core.db import get_db
from museum.models import DailySalt, VisitEvent
from tests.museum.conftest import make_token

UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) SecretBrowser/123.4"
ADDRESS = "203.0.113.77"


def count_events(app: Flask) -> int:
    with app.app_context(), get_db().read() as session:
        return int(session.scalar(select(func.count()).select_from(VisitEvent)) or 0)


def post(client: FlaskClient, batch: Any, **headers: str) -> Any:
    return client.post("/api/v1/events", json=batch, headers={"User-Agent": UA, **headers},
                       environ_base={"REMOTE_ADDR": ADDRESS})


def test_a_batch_is_stored_and_counted(app: Flask, client: FlaskClient) -> None:
    batch = {"events": [
        {"type": "exhibit_view", "exhibit": "heart-model", "gallery": "history-hall", "device": "phone",
         "lang": "zh-Hans", "dwell_ms": 5300, "path": "/e/heart-model"},
        {"type": "tour_step", "tour": "highlights", "step": 1},
        {"type": "search", "query": "  CT   Scanner ", "results": 0},
        {"type": "vr_session", "device": "headset"},
    ]}
    response = post(client, batch)
    assert response.status_code == 202
    assert response.get_json() == {"accepted": 4}
    with app.app_context(), get_db().read() as session:
        rows = session.scalars(select(VisitEvent).order_by(VisitEvent.id)).all()
        assert [r.type for r in rows] == ["exhibit_view", "tour_step", "search", "vr_session"]
        assert rows[0].duration_ms == 5300 and rows[0].exhibit == "heart-model"
        assert rows[2].query == "ct scanner"
        assert len({r.visitor for r in rows}) == 1 and len(rows[0].visitor) == 16


def test_films_watched_and_sounds_heard_are_counted_by_film_and_by_gallery(app: Flask, client: FlaskClient) -> None:
    batch = {"events": [
        {"type": "film_play", "exhibit": "hospital-culture-film", "gallery": "lobby", "dwell_ms": 12_000},
        {"type": "film_play", "exhibit": "hospital-culture-film", "dwell_ms": 6_000},
        {"type": "sound_heard", "gallery": "lobby", "dwell_ms": 30_000},
        {"type": "sound_heard", "gallery": "history-hall", "dwell_ms": 90_000},
    ]}
    assert post(client, batch).status_code == 202
    manager = {"Authorization": f"Bearer {make_token(app, 'manager-user', 'manager')}"}
    summary = client.get("/api/v1/cockpit/summary", headers=manager).get_json()
    assert (summary["films"]["plays"], summary["films"]["watched_seconds"]) == (2, 18)
    assert summary["films"]["top"][0]["slug"] == "hospital-culture-film"
    assert summary["films"]["top"][0]["avg_dwell_ms"] == 9_000
    assert (summary["sounds"]["heard"], summary["sounds"]["listened_seconds"]) == (2, 120)
    assert [g["slug"] for g in summary["sounds"]["galleries"]] == ["history-hall", "lobby"]
    assert sum(day["film_plays"] for day in summary["by_day"]) == 2


def test_sendbeacon_text_plain_is_accepted(client: FlaskClient) -> None:
    body = json.dumps({"events": [{"type": "timeline_view"}]})
    response = client.post("/api/v1/events", data=body, content_type="text/plain;charset=UTF-8")
    assert response.status_code == 202


@pytest.mark.parametrize("event, pointer, code", [
    ({"type": "photo_taken"}, "/events/1/type", "unknown_event_type"),
    ({"type": "nope"}, "/events/1/type", "unknown_event_type"),
    ({}, "/events/1/type", "unknown_event_type"),
    ("exhibit_view", "/events/1", "invalid_event"),
    ({"type": "exhibit_view"}, "/events/1/exhibit", "invalid_event"),
    ({"type": "exhibit_view", "exhibit": "Heart Model!"}, "/events/1/exhibit", "invalid_event"),
    ({"type": "gallery_view", "gallery": "hall", "device": "toaster"}, "/events/1/device", "invalid_event"),
    ({"type": "gallery_view", "gallery": "hall", "lang": "fr"}, "/events/1/lang", "invalid_event"),
    ({"type": "gallery_view", "gallery": "hall", "dwell_ms": -1}, "/events/1/dwell_ms", "invalid_event"),
    ({"type": "gallery_view", "gallery": "hall", "dwell_ms": True}, "/events/1/dwell_ms", "invalid_event"),
    ({"type": "gallery_view", "gallery": "hall", "user_agent": "x"}, "/events/1/user_agent", "invalid_event"),
    ({"type": "tour_step", "tour": "highlights"}, "/events/1/step", "invalid_event"),
    ({"type": "film_play", "dwell_ms": 4000}, "/events/1/exhibit", "invalid_event"),
    ({"type": "sound_heard", "exhibit": "heart-model"}, "/events/1/gallery", "invalid_event"),
    ({"type": "search", "query": "x" * 101}, "/events/1/query", "invalid_event"),
    ({"type": "timeline_view", "path": "https://elsewhere"}, "/events/1/path", "invalid_event"),
])
def test_an_invalid_event_refuses_the_whole_batch(app: Flask, client: FlaskClient, event: Any, pointer: str,
                                                  code: str) -> None:
    response = post(client, {"events": [{"type": "timeline_view"}, event]})
    assert response.status_code == 422
    assert response.get_json()["error"]["pointer"] == pointer
    assert response.get_json()["error"]["code"] == code
    assert count_events(app) == 0


def test_oversized_and_malformed_batches_are_refused(app: Flask, client: FlaskClient) -> None:
    too_many = post(client, {"events": [{"type": "timeline_view"}] * 101})
    assert too_many.status_code == 422 and too_many.get_json()["error"]["code"] == "batch_too_large"
    assert post(client, {"events": [{"type": "timeline_view"}] * 100}).status_code == 202
    huge = client.post("/api/v1/events", data=b"{" + b" " * 70000 + b"}", content_type="application/json")
    assert huge.status_code == 413
    assert client.post("/api/v1/events", data=b"{not json", content_type="application/json").status_code == 400
    assert post(client, {"events": []}).status_code == 422
    assert post(client, {"evts": []}).status_code == 400
    assert post(client, [1, 2]).status_code == 400
    assert client.post("/api/v1/events", data=b"x", content_type="image/png").status_code == 415
    assert count_events(app) == 100


def test_no_address_or_user_agent_is_stored_anywhere(app: Flask, client: FlaskClient) -> None:
    assert post(client, {"events": [{"type": "exhibit_view", "exhibit": "heart-model"}]}).status_code == 202
    with app.app_context():
        engine = get_db().engine
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    flat = " ".join(str(v) for v in row)
                    for secret in (ADDRESS, UA, "SecretBrowser", "Pixel 8"):
                        assert secret not in flat, (table.name, secret)


def test_the_same_visitor_hashes_alike_within_a_day_and_others_differ(app: Flask, client: FlaskClient) -> None:
    post(client, {"events": [{"type": "timeline_view"}]})
    post(client, {"events": [{"type": "timeline_view"}]})
    client.post("/api/v1/events", json={"events": [{"type": "timeline_view"}]}, headers={"User-Agent": "Other"},
                environ_base={"REMOTE_ADDR": ADDRESS})
    with app.app_context(), get_db().read() as session:
        visitors = session.scalars(select(VisitEvent.visitor).order_by(VisitEvent.id)).all()
    assert visitors[0] == visitors[1] != visitors[2]


@pytest.mark.parametrize("header", [{"Sec-GPC": "1"}, {"DNT": "1"}])
def test_privacy_signals_mean_no_visitor_hash(app: Flask, client: FlaskClient, header: dict[str, str]) -> None:
    assert post(client, {"events": [{"type": "timeline_view"}]}, **header).status_code == 202
    with app.app_context(), get_db().read() as session:
        assert session.scalars(select(VisitEvent.visitor)).all() == [""]


def test_a_new_days_salt_destroys_the_old_ones(app: Flask) -> None:
    events.forget_cached_salt()
    with app.app_context():
        with get_db().write() as session:
            old = events.salt_for(session, date(2026, 3, 1))
        with get_db().write() as session:
            assert events.salt_for(session, date(2026, 3, 1)) == old
            new = events.salt_for(session, date(2026, 3, 1) + timedelta(days=1))
        assert new != old
        with get_db().read() as session:
            assert session.scalars(select(DailySalt.day)).all() == [date(2026, 3, 2)]
    events.forget_cached_salt()
    assert events.visitor_hash(old, ADDRESS, UA) != events.visitor_hash(new, ADDRESS, UA)


def test_no_column_named_for_addresses_or_agents(app: Flask) -> None:
    with app.app_context(), get_db().engine.connect() as conn:
        names = {c.name for c in VisitEvent.__table__.columns}
        assert not names & {"ip", "address", "user_agent", "ua", "cookie"}
        conn.execute(text("SELECT 1"))
