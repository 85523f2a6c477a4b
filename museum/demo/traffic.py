"""Ninety days of simulated visitors for the demo, so the cockpit has plausible figures and one alert to show.

Deterministic: each local day's traffic comes from a random generator seeded by that date, so two runs on the same
day write the same events. The shape: online visits peak late morning, mid-afternoon and in the evening; Mondays
are quiet and weekends busy; public holidays (National Day week, Mid-Autumn, New Year) bring crowds; the booth works
in the exhibition centre's opening hours. One drop is injected on purpose (three late-morning hours of the latest
weekend day at least two days back fall to a tenth), and the early warning raises `visits_drop` for it. A weekend
day, because a quiet Monday's hours hold so few visitors that a fall to a tenth stays inside their normal band.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select

from museum.core.db import get_db
from museum.demo import content
from museum.models import Setting, VisitEvent
from museum.models.base import utcnow
from museum.models.cockpit import VISIT_EVENTS

DAYS = 90
MARKER = "cockpit.demo_traffic"
BASE_VISITORS = 14.0  # visitors in a busy hour of an ordinary Tuesday
HOUR_SHAPE = (0.08, 0.04, 0.02, 0.02, 0.02, 0.04, 0.12, 0.3, 0.55, 0.8, 1.0, 1.0, 0.8, 0.7, 0.85, 0.95, 0.9, 0.75,
              0.6, 0.7, 0.85, 0.8, 0.5, 0.2)
WEEKDAY = (0.7, 1.0, 1.0, 1.05, 1.15, 1.45, 1.4)  # Monday .. Sunday
HOLIDAYS = {(1, 1): 1.6, (10, 1): 1.9, (10, 2): 1.9, (10, 3): 1.8, (10, 4): 1.7, (10, 5): 1.6, (10, 6): 1.5,
            (10, 7): 1.4, (9, 25): 1.6, (5, 1): 1.7, (12, 31): 1.3}
DROP_DAYS_AGO, DROP_HOURS, DROP_FACTOR = 2, (10, 11, 12), 0.1
MISSING = ("ct scanner", "nurse uniform", "ambulance", "penicillin", "blood bank", "acupuncture", "first x-ray",
           "founder portrait")
FOUND = ("heart", "uav", "5g", "stethoscope", "microscope", "robot")
DEVICES = (("phone", 0.68), ("desktop", 0.22), ("headset", 0.05), ("kiosk", 0.05))
LANGS = (("zh-Hans", 0.8), ("zh-Hant", 0.08), ("en", 0.12))


def _pick(rnd: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rnd.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _poisson(rnd: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rnd.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def _event(at: datetime, kind: str, visitor: str = "", device: str = "", lang: str = "",
           **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"at": at, "type": kind, "visitor": visitor, "device": device, "lang": lang, "exhibit": "",
                           "gallery": "", "tour": "", "step": None, "path": "", "query": "", "results": None,
                           "duration_ms": None}
    row.update(fields)
    return row


def _visit(rnd: random.Random, start: datetime, rows: list[dict[str, Any]]) -> None:
    """Simulate one visitor's session from `start`."""
    visitor = f"{rnd.getrandbits(64):016x}"
    device, lang = _pick(rnd, DEVICES), _pick(rnd, LANGS)
    galleries = [g["slug"] for g in content.GALLERIES]
    by_gallery: dict[str, list[str]] = {}
    for spec in content.EXHIBITS:
        by_gallery.setdefault(spec["gallery"], []).append(spec["slug"])
    at = start
    common = {"visitor": visitor, "device": device, "lang": lang}
    if device == "headset":
        rows.append(_event(at, "vr_session", **common))
    elif device == "phone" and rnd.random() < 0.08:
        rows.append(_event(at, "ar_session", **common))
    for gallery in rnd.sample(galleries, rnd.choice((1, 1, 2, 3))):
        at += timedelta(seconds=rnd.randint(5, 60))
        rows.append(_event(at, "gallery_view", gallery=gallery, path=f"/g/{gallery}",
                           duration_ms=int(rnd.lognormvariate(11.0, 0.6)), **common))
        # Popular exhibits first: a visitor looks at the front of a gallery more than the back.
        exhibits = by_gallery.get(gallery, [])
        for _ in range(rnd.choice((0, 1, 2, 2, 3, 4))):
            if not exhibits:
                break
            exhibit = exhibits[min(len(exhibits) - 1, int(rnd.expovariate(0.6)))]
            at += timedelta(seconds=rnd.randint(10, 120))
            rows.append(_event(at, "exhibit_view", exhibit=exhibit, gallery=gallery, path=f"/e/{exhibit}",
                               duration_ms=int(rnd.lognormvariate(10.2, 0.8)), **common))
    if rnd.random() < 0.25:
        tour = content.TOURS[0] if rnd.random() < 0.7 else content.TOURS[1]
        for step in range(len(tour["stops"])):
            at += timedelta(seconds=rnd.randint(20, 90))
            rows.append(_event(at, "tour_step", tour=tour["slug"], step=step, path=f"/t/{tour['slug']}/{step + 1}",
                               **common))
            if rnd.random() > 0.8:
                break
    if rnd.random() < 0.2:
        at += timedelta(seconds=rnd.randint(5, 60))
        rows.append(_event(at, "timeline_view", path="/timeline", **common))
    if rnd.random() < 0.15:
        at += timedelta(seconds=rnd.randint(5, 60))
        missing = rnd.random() < 0.3
        query = rnd.choice(MISSING if missing else FOUND)
        rows.append(_event(at, "search", query=query, results=0 if missing else rnd.randint(1, 5), **common))


def _booth(rnd: random.Random, hour_start: datetime, local_hour: int, factor: float,
           rows: list[dict[str, Any]]) -> None:
    """Simulate an hour of the exhibition centre's photo booth (open 9:00 to 17:00)."""
    if not 9 <= local_hour < 17:
        return
    for _ in range(_poisson(rnd, 3.0 * factor)):
        at = hour_start + timedelta(seconds=rnd.randint(0, 3500))
        rows.append(_event(at, "photo_taken", device="kiosk"))
        if rnd.random() < 0.02:
            rows.append(_event(at + timedelta(seconds=3), "photo_failed", device="kiosk"))
            continue
        ms = int(rnd.lognormvariate(7.8, 0.25))
        rows.append(_event(at + timedelta(milliseconds=ms), "photo_composed", device="kiosk", duration_ms=ms))
        if rnd.random() < 0.8:
            rows.append(_event(at + timedelta(seconds=rnd.randint(20, 600)), "photo_shared", device="kiosk"))
        if rnd.random() < 0.05:
            rows.append(_event(at + timedelta(seconds=rnd.randint(600, 3000)), "photo_deleted", device="kiosk"))


def drop_day(today: date) -> date:
    """Return the day of the injected drop: the latest Saturday or Sunday at least DROP_DAYS_AGO days back."""
    day = today - timedelta(days=DROP_DAYS_AGO)
    while day.weekday() < 5:
        day -= timedelta(days=1)
    return day


def day_events(day: date, today: date, tz: ZoneInfo, until: datetime) -> list[dict[str, Any]]:
    """Return one local day's simulated events before `until`, the same on every run."""
    rnd = random.Random(day.toordinal() * 7919 + 13)
    factor = WEEKDAY[day.weekday()] * HOLIDAYS.get((day.month, day.day), 1.0)
    factor *= 1.0 + 0.003 * (DAYS - (today - day).days)  # the museum grows a little every day
    rows: list[dict[str, Any]] = []
    for hour in range(24):
        hour_start = datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)
        if hour_start >= until:
            break
        lam = BASE_VISITORS * HOUR_SHAPE[hour] * factor
        if day == drop_day(today) and hour in DROP_HOURS:
            lam *= DROP_FACTOR
        for _ in range(_poisson(rnd, lam)):
            _visit(rnd, hour_start + timedelta(seconds=rnd.randint(0, 3300)), rows)
        _booth(rnd, hour_start, hour, factor, rows)
    return [row for row in rows if row["at"] < until]


def seed_traffic(app: Flask, now: datetime | None = None) -> dict[str, Any]:
    """Write 90 days of simulated traffic once, then roll it up and check the alerts; return what was done."""
    from museum.cockpit.rollup import timezone
    from museum.cockpit.tick import run_tick

    database = get_db(app)
    with database.read() as session:
        done = session.get(Setting, MARKER)
        if done is not None:
            return {"skipped": True, **done.value}
        if session.scalar(select(func.count()).select_from(VisitEvent)):
            return {"skipped": True, "reason": "real visitor events exist"}
    tz = timezone(app)
    now = now or utcnow()
    today = now.astimezone(tz).date()
    total = 0
    for offset in range(DAYS, -1, -1):
        rows = day_events(today - timedelta(days=offset), today, tz, now)
        with database.write() as session:
            for chunk in range(0, len(rows), 5000):
                session.execute(VISIT_EVENTS.insert(), rows[chunk:chunk + 5000])
        total += len(rows)
    with database.write() as session:
        session.merge(Setting(key=MARKER, value={"events": total, "days": DAYS, "until": now.isoformat()}))
    tick = run_tick(app, now)
    return {"events": total, "days": DAYS, **tick}
