"""Fixtures of the cockpit: tokens by role, and seeded events whose figures the tests count directly."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import insert

from museum.core.db import get_db
from museum.models import VisitEvent
from tests.museum.conftest import make_token

TZ = ZoneInfo("Asia/Shanghai")
EXHIBITS = ("heart-model", "medical-uav", "x-ray-tube", "iron-lung")
GALLERIES = ("history-hall", "smart-hospital-5g")
DEVICES = ("phone", "desktop", "headset", "")
LANGS = ("zh-Hans", "zh-Hant", "en", "")


def headers_for(app: Flask, role: str) -> dict[str, str]:
    """Return Authorization headers of a token acting as a new user with this role."""
    return {"Authorization": f"Bearer {make_token(app, f'{role}-user', role)}", "Accept": "application/json"}


@pytest.fixture
def manager(app: Flask) -> dict[str, str]:
    """Return a manager's Authorization headers."""
    return headers_for(app, "manager")


@dataclass
class Seeded:
    """The events written, as dicts, and the local days they cover."""

    rows: list[dict[str, Any]]
    first: date
    last: date


def random_events(seed: int, start: datetime, days: int, per_day: int) -> list[dict[str, Any]]:
    """Return events spread over days from start (UTC), of every type, some visitors repeating within a day."""
    rnd = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for day in range(days):
        visitors = [f"{rnd.getrandbits(64):016x}" for _ in range(max(3, per_day // 4))] + [""]
        for _ in range(per_day):
            at = start + timedelta(days=day, seconds=rnd.randrange(86400), microseconds=rnd.randrange(10**6))
            kind = rnd.choice(("exhibit_view", "exhibit_view", "gallery_view", "timeline_view", "tour_step",
                               "vr_session", "ar_session", "search", "photo_taken", "photo_composed",
                               "photo_shared", "photo_deleted", "photo_failed", "inquiry_session"))
            row: dict[str, Any] = {"at": at, "type": kind, "visitor": "", "device": "", "lang": "", "exhibit": "",
                                   "gallery": "", "tour": "", "step": None, "path": "", "query": "",
                                   "results": None, "duration_ms": None}
            if kind.startswith("photo_"):
                row["device"] = "kiosk"
                if kind == "photo_composed":
                    row["duration_ms"] = rnd.choice((900, 1200, 1500, 2500, 8000))
            elif kind == "inquiry_session":
                row["device"], row["lang"] = "kiosk", rnd.choice(LANGS)
                row["duration_ms"] = rnd.choice((4000, 35500, 61000, 240000))
            else:
                row["visitor"] = rnd.choice(visitors)
                row["device"], row["lang"] = rnd.choice(DEVICES), rnd.choice(LANGS)
            if kind == "exhibit_view":
                row["exhibit"] = rnd.choice(EXHIBITS)
                row["duration_ms"] = rnd.choice((None, rnd.randrange(100, 60000)))
            elif kind == "gallery_view":
                row["gallery"] = rnd.choice(GALLERIES)
                row["duration_ms"] = rnd.choice((None, rnd.randrange(100, 60000)))
            elif kind == "tour_step":
                row["tour"], row["step"] = "highlights", rnd.choice((0, 0, 0, 1, 1, 2))
            elif kind == "search":
                row["results"] = rnd.choice((0, 1, 3))
                row["query"] = rnd.choice(("heart", "ct scanner", "nurse", ""))
            rows.append(row)
    rows.sort(key=lambda r: r["at"])
    return rows


def write_events(app: Flask, rows: list[dict[str, Any]]) -> None:
    """Insert events directly."""
    with app.app_context(), get_db().write() as session:
        session.execute(insert(VisitEvent), rows)


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    """Write ~1,100 events over 10 local days ending two days ago."""
    today = datetime.now(TZ).date()
    first = today - timedelta(days=11)
    start = datetime.combine(first, datetime.min.time(), tzinfo=TZ).astimezone(UTC)
    rows = random_events(13, start, 10, 110)
    write_events(app, rows)
    return Seeded(rows, first, first + timedelta(days=9))
