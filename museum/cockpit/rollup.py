"""Rolling raw events up into hourly and daily totals (kept for ever), and purging raw events after retention.

A *cell* is the total of one metric and key in one UTC hour: `count` events, and for timed events the sum
(`total`) and number (`n`) of their durations. One function, `aggregate`, turns raw events into cells; the roll-up
stores them, and the summary applies the same function to the events not rolled up yet, so both give one answer.

Metrics (key in brackets; "" is the total over keys):
    <event type> [""]              every event of that type (dwell or composition time summed in total/n)
    exhibit_view / gallery_view [slug], film_play [exhibit slug; watched time summed],
    sound_heard [gallery slug; listening time summed], tour_step [tour#step],
    photo_composed [milliseconds],
    inquiry_session [whole seconds]
    views [""]                     exhibit_view + gallery_view
    device [phone|...|unknown], lang [zh-Hans|...|unknown]   views by device and by language
    search_zero ["" | query]       searches that found nothing
    active [""]                    distinct visitors seen in the hour
    views_how, active_how [weekday:hour]   the same by local hour of the week (Monday 0), so a range's week
                                   profile is one GROUP BY over daily rows
    visitors [""]                  visitors seen in the hour for the first time that local day; summed over hours
                                   and days they give "visitors" = daily unique visitors, added up over the days

Hours are UTC; days are the museum's local days (MUSEUM_COCKPIT_TIMEZONE, a whole-hour offset so every UTC hour
lies inside one local day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, delete, select, type_coerce
from sqlalchemy.orm import Session

from museum.cockpit.events import VIEW_TYPES, VISITOR_TYPES
from museum.models import Counter, DailyRollup, DailySalt, VisitEvent
from museum.models.base import utcnow
from museum.models.cockpit import DAILY_ROLLUPS, HOURLY_ROLLUPS

WATERMARK = "cockpit.rolled_until"  # epoch seconds: every event before it is in the rollups
GRACE = timedelta(minutes=2)  # an hour is rolled up this long after it ends, so in-flight batches land first
HOUR = timedelta(hours=1)

Cell = tuple[datetime, str, str]  # (UTC hour, metric, key)
Cells = dict[Cell, list[int]]  # -> [count, total, n]



def fast_time(column: Any) -> Any:
    """Read a UTC time column with the driver's own conversion (thousands of rows: the per-row hook costs)."""
    return type_coerce(column, DateTime(timezone=True))


def as_utc(moment: datetime) -> datetime:
    """Return a time read by `fast_time` as an aware UTC datetime (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# Columns read from raw events, in this order.
COLUMNS = (fast_time(VisitEvent.at), VisitEvent.type, VisitEvent.visitor, VisitEvent.device, VisitEvent.lang,
           VisitEvent.exhibit, VisitEvent.gallery, VisitEvent.tour, VisitEvent.step, VisitEvent.query,
           VisitEvent.results, VisitEvent.duration_ms)
_KEYED = {"exhibit_view": 5, "gallery_view": 6}
_VISITOR_TYPES = frozenset(VISITOR_TYPES)
_VIEW_TYPES = frozenset(VIEW_TYPES)


def timezone(app: Any) -> ZoneInfo:
    """Return the museum's local time zone (MUSEUM_COCKPIT_TIMEZONE)."""
    return ZoneInfo(app.config["MUSEUM_COCKPIT_TIMEZONE"])


def floor_hour(moment: datetime) -> datetime:
    """Return the start of the UTC hour a moment lies in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """Return the museum's local date of a moment."""
    return moment.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """Return the UTC moment a local day begins."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def week_slot(hour: datetime, tz: ZoneInfo) -> str:
    """Return the local "weekday:hour" of a UTC hour (Monday is 0)."""
    local = hour.astimezone(tz)
    return f"{local.weekday()}:{local.hour}"


def _add(cells: Cells, cell: Cell, duration: int | None = None) -> None:
    found = cells.get(cell)
    if found is None:
        found = cells[cell] = [0, 0, 0]
    found[0] += 1
    if duration is not None:
        found[1] += duration
        found[2] += 1


class Aggregation:
    """Raw events (in time order) folded into cells as they are read, so that later events can be added to it."""

    def __init__(self, emit_from: datetime, tz: ZoneInfo) -> None:
        self.emit_from, self.tz = emit_from, tz
        self.cells: Cells = {}
        self.seen: dict[date, set[str]] = defaultdict(set)
        self.active: dict[datetime, set[str]] = defaultdict(set)
        self.rows = 0

    def feed(self, rows: Iterable[Sequence[Any]]) -> Aggregation:
        """Add raw events, in time order, after those already fed."""
        cells, seen, active, tz, emit_from = self.cells, self.seen, self.active, self.tz, self.emit_from
        for row in rows:
            self.rows += 1
            at, kind, visitor = as_utc(row[0]), row[1], row[2]
            if kind in _VISITOR_TYPES and visitor:
                day_seen = seen[local_day(at, tz)]
                first = visitor not in day_seen
                day_seen.add(visitor)
            else:
                first = False
            if at < emit_from:
                continue
            hour = floor_hour(at)
            duration = row[11]
            _add(cells, (hour, kind, ""), duration)
            if kind in _KEYED:
                _add(cells, (hour, kind, row[_KEYED[kind]]), duration)
                _add(cells, (hour, "views", ""))
                _add(cells, (hour, "views_how", week_slot(hour, tz)))
                _add(cells, (hour, "device", row[3] or "unknown"))
                _add(cells, (hour, "lang", row[4] or "unknown"))
            elif kind == "film_play":
                _add(cells, (hour, kind, row[5]), duration)
            elif kind == "sound_heard":
                _add(cells, (hour, kind, row[6]), duration)
            elif kind == "tour_step":
                _add(cells, (hour, kind, f"{row[7]}#{row[8]}"))
            elif kind == "search" and row[10] == 0:
                _add(cells, (hour, "search_zero", ""))
                if row[9]:
                    _add(cells, (hour, "search_zero", row[9]))
            elif kind == "photo_composed" and duration is not None:
                _add(cells, (hour, kind, str(duration)), duration)
            elif kind == "inquiry_session" and duration is not None:
                _add(cells, (hour, kind, str(duration // 1000)), duration)
            if kind in _VISITOR_TYPES and visitor:
                active[hour].add(visitor)
                if first:
                    _add(cells, (hour, "visitors", ""))
        return self

    def result(self) -> Cells:
        """Return the cells of the events fed so far, with each hour's distinct visitors."""
        cells = dict(self.cells)
        for hour, visitors in self.active.items():
            cells[(hour, "active", "")] = [len(visitors), 0, 0]
            cells[(hour, "active_how", week_slot(hour, self.tz))] = [len(visitors), 0, 0]
        return cells

    def copy(self) -> Aggregation:
        """Return an independent copy, to feed further without changing this one."""
        other = Aggregation(self.emit_from, self.tz)
        other.cells = {cell: list(value) for cell, value in self.cells.items()}
        other.seen = defaultdict(set, {day: set(v) for day, v in self.seen.items()})
        other.active = defaultdict(set, {hour: set(v) for hour, v in self.active.items()})
        other.rows = self.rows
        return other


def aggregate(rows: Iterable[Sequence[Any]], emit_from: datetime, tz: ZoneInfo) -> Cells:
    """Return the cells of raw events (ordered by time) from `emit_from` on.

    Events before `emit_from` on the same local day only tell which visitors were already seen that day.
    """
    return Aggregation(emit_from, tz).feed(rows).result()


def hourly_kept(metric: str, key: str) -> bool:
    """Return whether a cell is kept by the hour too (series and composition times; the rest only by day)."""
    return key == "" or metric == "photo_composed"


def read_events(session: Session, start: datetime, end: datetime) -> Iterable[Sequence[Any]]:
    """Return raw events in [start, end), ordered by time."""
    stmt = select(*COLUMNS).where(VisitEvent.at >= start, VisitEvent.at < end).order_by(VisitEvent.at, VisitEvent.id)
    return session.execute(stmt.execution_options(yield_per=5000)).tuples()


def live_cells(session: Session, start: datetime, end: datetime, tz: ZoneInfo, context: bool = True) -> Cells:
    """Return the cells of raw events in [start, end); with `context`, read that local day's earlier events so
    first visits are first of the day (without, the `visitors` cells are left to the caller)."""
    if start >= end:
        return {}
    since = min(day_start(local_day(start, tz), tz), start) if context else start
    return aggregate(read_events(session, since, end), start, tz)


def watermark(session: Session, lock: bool = False) -> datetime | None:
    """Return the moment before which every event is rolled up, or None before the first roll-up."""
    row = session.get(Counter, WATERMARK, with_for_update=lock)
    return datetime.fromtimestamp(row.value, UTC) if row is not None and row.value else None


def _set_watermark(session: Session, moment: datetime) -> None:
    row = session.get(Counter, WATERMARK)
    if row is None:
        session.add(Counter(name=WATERMARK, value=int(moment.timestamp())))
    else:
        row.value = int(moment.timestamp())


def _store(session: Session, cells: Cells, tz: ZoneInfo) -> None:
    hourly = [{"hour": h, "metric": m, "key": k, "count": v[0], "total": v[1], "n": v[2]}
              for (h, m, k), v in cells.items() if hourly_kept(m, k)]
    if hourly:
        session.execute(HOURLY_ROLLUPS.insert(), hourly)
    by_day: dict[tuple[date, str, str], list[int]] = {}
    for (hour, metric, key), value in cells.items():
        found = by_day.setdefault((local_day(hour, tz), metric, key), [0, 0, 0])
        for i in range(3):
            found[i] += value[i]
    days = {day for day, _, _ in by_day}
    existing = {(r.day, r.metric, r.key): r
                for r in session.scalars(select(DailyRollup).where(DailyRollup.day.in_(days)))} if days else {}
    fresh = []
    for (day, metric, key), (count, total, n) in by_day.items():
        row = existing.get((day, metric, key))
        if row is None:
            fresh.append({"day": day, "metric": metric, "key": key, "count": count, "total": total, "n": n})
        else:
            row.count, row.total, row.n = row.count + count, row.total + total, row.n + n
    if fresh:
        session.execute(DAILY_ROLLUPS.insert(), fresh)


def _first_event(session: Session) -> datetime | None:
    return session.scalar(select(VisitEvent.at).order_by(VisitEvent.at).limit(1))


def roll_up(database: Any, tz: ZoneInfo, now: datetime | None = None) -> int:
    """Roll every complete hour not rolled up yet into the rollups, one local day per transaction; return hours."""
    end = floor_hour((now or utcnow()) - GRACE)
    hours = 0
    while True:
        with database.write() as session:
            start = watermark(session, lock=True)
            if start is None:
                first = _first_event(session)
                start = floor_hour(first) if first is not None else end
            if start >= end:
                if watermark(session) is None:
                    _set_watermark(session, end)
                return hours
            stop = min(end, day_start(local_day(start, tz) + timedelta(days=1), tz))
            _store(session, live_cells(session, start, stop, tz), tz)
            _set_watermark(session, stop)
            hours += int((stop - start) / HOUR)


def purge(database: Any, tz: ZoneInfo, retention_days: int, now: datetime | None = None) -> int:
    """Delete raw events older than the retention (only once rolled up) and salts of days gone; return events."""
    now = now or utcnow()
    with database.write() as session:
        rolled = watermark(session)
        cutoff = now - timedelta(days=max(1, retention_days))
        if rolled is not None:
            cutoff = min(cutoff, rolled)
        else:
            cutoff = min(cutoff, datetime.fromtimestamp(0, UTC))
        result = session.execute(delete(VisitEvent).where(VisitEvent.at < cutoff))
        session.execute(delete(DailySalt).where(DailySalt.day < local_day(now, tz)))
        return int(getattr(result, "rowcount", 0) or 0)
