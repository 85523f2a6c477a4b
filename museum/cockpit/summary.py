"""The cockpit's figures for a range of local days: rollups for what is rolled up, raw events for the rest.

Definitions (each is a plain count of events, so a test can count the same events directly):
- `views`: exhibit_view + gallery_view events; `visitors`: unique visitors of each day, added up over the days
  (the salt changes daily, so one person on two days counts twice, by design); visitors with GPC/DNT count in
  views but never as visitors.
- `devices`, `languages`: views by the device and language their pages said.
- `by_hour_of_week`: views and active visitors in each local (weekday, hour), summed over the range.
- top exhibits and galleries: their views, and the average of the dwell times sent with them.
- tours: tour_step events per tour and step (the funnel); booth: photo events the server recorded, the
  composition time's 95th percentile by nearest rank.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from museum.cockpit.live import live_figures
from museum.cockpit.payloads import (
    CockpitAlert,
    CockpitBooth,
    CockpitDay,
    CockpitFilms,
    CockpitHourOfWeek,
    CockpitInquiry,
    CockpitPeriod,
    CockpitQueryCount,
    CockpitSearches,
    CockpitSessions,
    CockpitSounds,
    CockpitSummary,
    CockpitTopItem,
    CockpitTour,
    CockpitTourStep,
)
from museum.cockpit.rollup import Cells, day_start, local_day, watermark
from museum.core.errors import BadRequest
from museum.core.i18n import pick
from museum.models import DailyRollup, Exhibit, Gallery, Tour
from museum.models.base import utcnow

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DAYS = 366
DEFAULT_DAYS = 30
TOP = 10

# The figures of each day, as columns of by_day and of the CSV: (name, metric).
DAY_COLUMNS = (
    ("views", "views"), ("visitors", "visitors"), ("exhibit_views", "exhibit_view"),
    ("gallery_views", "gallery_view"), ("timeline_views", "timeline_view"), ("tour_steps", "tour_step"),
    ("vr_sessions", "vr_session"), ("ar_sessions", "ar_session"), ("searches", "search"),
    ("zero_result_searches", "search_zero"), ("photos_taken", "photo_taken"), ("photos_composed", "photo_composed"),
    ("photos_shared", "photo_shared"), ("photos_deleted", "photo_deleted"), ("photos_failed", "photo_failed"),
    ("inquiry_sessions", "inquiry_session"), ("film_plays", "film_play"), ("sounds_heard", "sound_heard"),
)
KEY_FIGURES = ("views", "visitors", "vr_sessions", "ar_sessions", "photos_taken", "zero_result_searches")


def parse_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """Return the range of local days asked for (the last 30 days by default), or refuse it with a pointer."""

    def one(raw: str | None, name: str, default: date) -> date:
        if raw is None or raw == "":
            return default
        try:
            if _DATE.match(raw):
                return date.fromisoformat(raw)
        except ValueError:
            pass
        raise BadRequest(f"{name} is a date YYYY-MM-DD.", code="invalid_date", pointer=f"/{name}")

    end = one(raw_to, "to", today)
    start = one(raw_from, "from", end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        raise BadRequest("from is after to.", code="invalid_range", pointer="/from")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadRequest(f"A range covers at most {MAX_DAYS} days.", code="range_too_long", pointer="/from")
    return start, end


@dataclass
class Figures:
    """Totals of a range: each day's totals (metric), and each metric's totals by key."""

    days: dict[date, dict[str, int]] = field(default_factory=dict)
    by_key: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # each metric over the range, kept as days are added

    def add(self, day: date, metric: str, key: str, count: int, total: int = 0, n: int = 0) -> None:
        """Add a total of one day (key "") or of one key over the range."""
        if key == "":
            cells = self.days.setdefault(day, {})
            cells[metric] = cells.get(metric, 0) + count
            self.totals[metric] = self.totals.get(metric, 0) + count
            return
        found = self.by_key.setdefault(metric, {}).setdefault(key, [0, 0, 0])
        found[0] += count
        found[1] += total
        found[2] += n

    def day_count(self, day: date, metric: str) -> int:
        """Return a day's count of a metric (all keys)."""
        return self.days.get(day, {}).get(metric, 0)

    def keyed(self, metric: str) -> dict[str, list[int]]:
        """Return a metric's [count, total, n] by key over the whole range."""
        return self.by_key.get(metric, {})

    def total(self, metric: str) -> int:
        """Return the count of a metric over the range."""
        return self.totals.get(metric, 0)


def gather(session: Session, start: date, end: date, tz: ZoneInfo, keys: bool = True) -> Figures:
    """Return the figures of local days [start, end]: rollups before the watermark, raw events after it.

    The database adds up the rollups (a few thousand rows for 90 days), so the work here stays small.
    """
    utc_start, utc_end = day_start(start, tz), day_start(end + timedelta(days=1), tz)
    rolled = watermark(session) or utc_start
    figures = Figures()
    if rolled > utc_start:
        in_range = (DailyRollup.day >= start, DailyRollup.day <= end)
        daily = select(DailyRollup.day, DailyRollup.metric, DailyRollup.count).where(*in_range, DailyRollup.key == "")
        for day, metric, count in session.execute(daily):
            figures.add(day, metric, "", count)
        if keys:
            keyed = select(DailyRollup.metric, DailyRollup.key, func.sum(DailyRollup.count),
                           func.sum(DailyRollup.total), func.sum(DailyRollup.n)).where(
                *in_range, DailyRollup.key != "").group_by(DailyRollup.metric, DailyRollup.key)
            for metric, key, count, total, n in session.execute(keyed):
                figures.add(start, metric, key, int(count), int(total), int(n))
    live_start = max(utc_start, rolled)
    if live_start >= utc_end:
        return figures
    # Raw events since the last roll-up, folded with their local day's earlier events (see museum.cockpit.live), so
    # a visitor counts on the first visit of the day whether that visit is rolled up already or not.
    _merge(figures, live_figures(session, live_start, utc_end, tz), tz)
    return figures


def _merge(figures: Figures, cells: Cells, tz: ZoneInfo) -> None:
    for (hour, metric, key), (count, total, n) in cells.items():
        figures.add(local_day(hour, tz), metric, key, count, total, n)


def percentile(values: dict[int, int], fraction: float) -> int | None:
    """Return the nearest-rank percentile of values given as {value: how many times}."""
    size = sum(values.values())
    if size == 0:
        return None
    rank = max(1, math.ceil(fraction * size))
    seen = 0
    for value in sorted(values):
        seen += values[value]
        if seen >= rank:
            return value
    return max(values)


def _titles(session: Session, model: Any, slugs: list[str], lang: str) -> dict[str, str]:
    if not slugs:
        return {}
    rows = session.execute(select(model.slug, model.title).where(model.slug.in_(slugs)))
    return {slug: pick(title, lang) for slug, title in rows}


def _top(session: Session, figures: Figures, metric: str, model: Any, lang: str) -> list[CockpitTopItem]:
    keyed = figures.keyed(metric)
    ranked = sorted(keyed.items(), key=lambda item: (-item[1][0], item[0]))[:TOP]
    titles = _titles(session, model, [slug for slug, _ in ranked], lang)
    return [CockpitTopItem(slug=slug, title=titles.get(slug, slug), views=count,
                           avg_dwell_ms=round(total / n) if n else None, dwell_samples=n)
            for slug, (count, total, n) in ranked]


def _tours(session: Session, figures: Figures, lang: str) -> list[CockpitTour]:
    steps: dict[str, dict[int, int]] = {}
    for key, (count, _, _) in figures.keyed("tour_step").items():
        slug, _, step = key.rpartition("#")
        steps.setdefault(slug, {})[int(step)] = count
    titles = _titles(session, Tour, list(steps), lang)
    tours = [CockpitTour(slug=slug, title=titles.get(slug, slug),
                         steps=[CockpitTourStep(step=step, count=by_step[step]) for step in sorted(by_step)])
             for slug, by_step in steps.items()]
    return sorted(tours, key=lambda tour: -sum(s.count for s in tour.steps))


def by_day(figures: Figures, start: date, end: date) -> list[CockpitDay]:
    """Return one row of every day in the range (zeros included)."""
    rows = []
    day = start
    while day <= end:
        rows.append(CockpitDay.model_validate(
            {"date": day.isoformat()} | {name: figures.day_count(day, metric) for name, metric in DAY_COLUMNS}))
        day += timedelta(days=1)
    return rows


def _key_figures(figures: Figures) -> dict[str, int]:
    metrics = dict(DAY_COLUMNS)
    return {name: figures.total(metrics[name]) for name in KEY_FIGURES}


def _change(now: int, before: int) -> float | None:
    return round((now - before) / before, 4) if before else None


def build_summary(session: Session, start: date, end: date, tz: ZoneInfo, lang: str,
                  alerts: list[CockpitAlert]) -> CockpitSummary:
    """Return every figure of the cockpit for local days [start, end], with the previous period's key figures and
    the alerts given."""
    figures = gather(session, start, end, tz)
    length = (end - start).days + 1
    before_start, before_end = start - timedelta(days=length), start - timedelta(days=1)
    previous = _key_figures(gather(session, before_start, before_end, tz, keys=False))
    current = _key_figures(figures)
    week: dict[tuple[int, int], dict[str, int]] = {}
    for metric, name in (("views_how", "views"), ("active_how", "visitors")):
        for key, (count, _, _) in figures.keyed(metric).items():
            weekday, _, hour = key.partition(":")
            week.setdefault((int(weekday), int(hour)), {"views": 0, "visitors": 0})[name] += count
    composed = {int(key): count for key, (count, _, _) in figures.keyed("photo_composed").items()}
    inquiry = figures.keyed("inquiry_session")
    inquiry_seconds = {int(key): count for key, (count, _, _) in inquiry.items()}
    zero = sorted(figures.keyed("search_zero").items(), key=lambda item: (-item[1][0], item[0]))[:20]
    return CockpitSummary(
        from_=start.isoformat(),
        to=end.isoformat(),
        timezone=str(tz),
        **current,
        previous=CockpitPeriod(from_=before_start.isoformat(), to=before_end.isoformat(), **previous),
        change={name: _change(current[name], previous[name]) for name in current},
        by_day=by_day(figures, start, end),
        by_hour_of_week=[CockpitHourOfWeek(weekday=wd, hour=h, **week.get((wd, h), {"views": 0, "visitors": 0}))
                         for wd in range(7) for h in range(24)],
        top_exhibits=_top(session, figures, "exhibit_view", Exhibit, lang),
        top_galleries=_top(session, figures, "gallery_view", Gallery, lang),
        devices={key: value[0] for key, value in sorted(figures.keyed("device").items())},
        languages={key: value[0] for key, value in sorted(figures.keyed("lang").items())},
        tours=_tours(session, figures, lang),
        sessions=CockpitSessions(vr=figures.total("vr_session"), ar=figures.total("ar_session")),
        timeline_views=figures.total("timeline_view"),
        searches=CockpitSearches(total=figures.total("search"), zero_results=figures.total("search_zero"),
                                 top_zero_result_queries=[CockpitQueryCount(query=q, count=v[0]) for q, v in zero]),
        booth=CockpitBooth(
            taken=figures.total("photo_taken"), composed=figures.total("photo_composed"),
            shared=figures.total("photo_shared"), deleted=figures.total("photo_deleted"),
            failed=figures.total("photo_failed"), compose_p95_ms=percentile(composed, 0.95),
        ),
        films=CockpitFilms(
            plays=figures.total("film_play"),
            watched_seconds=sum(total for _, total, _ in figures.keyed("film_play").values()) // 1000,
            top=_top(session, figures, "film_play", Exhibit, lang),
        ),
        sounds=CockpitSounds(
            heard=figures.total("sound_heard"),
            listened_seconds=sum(total for _, total, _ in figures.keyed("sound_heard").values()) // 1000,
            galleries=_top(session, figures, "sound_heard", Gallery, lang),
        ),
        inquiry=CockpitInquiry(
            sessions=figures.total("inquiry_session"),
            median_seconds=percentile(inquiry_seconds, 0.5),
            total_seconds=sum(total for _, total, _ in inquiry.values()) // 1000,
        ),
        alerts=alerts,
        generated_at=utcnow().isoformat(),
    )


def csv_text(summary: CockpitSummary) -> str:
    """Return the summary's figures by day as CSV (a header row, then one row a day)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = ["date", *(name for name, _ in DAY_COLUMNS)]
    writer.writerow(names)
    for row in summary.by_day:
        writer.writerow([getattr(row, name) for name in names])
    return out.getvalue()
