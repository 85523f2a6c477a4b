"""The raw events after the roll-up watermark, folded once by each app process and then only topped up.

The summary adds up rollups for every hour rolled up and folds the raw events after the watermark itself: up to an
hour and two minutes of them, more while the worker is behind. Folding them all again for every request costs time
in proportion to that hour's traffic (a busy hour of 170,000 events took 1.5 s a request). Instead each process keeps
the fold of the events that have settled (older than `SETTLE`) and, on each request, folds only the events that came
since. A fold also reads its local day's earlier events, so that a visitor's first visit of the day is known without
asking the database for a distinct count.

Before a fold is reused, its window must still hold as many events as were folded: an event that lands late inside
it, or any other change there, makes the fold start again, so the figures stay those of the raw events. When the
watermark moves on (an hour rolled up), the fold drops the hours now in the rollups and carries on.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from museum.cockpit.rollup import Aggregation, Cells, day_start, live_cells, local_day, read_events, timezone, watermark
from museum.core.db import get_db
from museum.models import VisitEvent
from museum.models.base import utcnow

log = logging.getLogger(__name__)
SETTLE = timedelta(seconds=5)  # events older than this have normally been committed
KEPT = 4  # folds kept per process and time zone (normally one: the watermark's)


@dataclass(frozen=True)
class Fold:
    """The events of [since, until) fed to `state` (cells from its `emit_from` on); never changed once made."""

    since: datetime
    until: datetime
    state: Aggregation


def rebase(state: Aggregation, start: datetime) -> Aggregation:
    """Return a copy of a fold's state that emits from a later hour (the hours before it are rolled up)."""
    other = state.copy()
    other.emit_from = start
    other.cells = {cell: value for cell, value in other.cells.items() if cell[0] >= start}
    other.active = defaultdict(set, {hour: seen for hour, seen in other.active.items() if hour >= start})
    first_day = local_day(start, state.tz)
    other.seen = defaultdict(set, {day: seen for day, seen in other.seen.items() if day >= first_day})
    return other


class LiveFolds:
    """One process's folds of the events after the watermark."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one fold is made at a time: a second request waits for it, not folds too
        self._folds: dict[tuple[str, datetime], Fold] = {}

    def cells(self, session: Session, start: datetime, end: datetime, tz: ZoneInfo,
              now: datetime | None = None) -> Cells:
        """Return the cells of raw events in [start, end), as `live_cells(session, start, end, tz)` would."""
        settled = min(end, (now or utcnow()) - SETTLE)
        if settled <= start:
            return live_cells(session, start, end, tz)
        with self._lock:
            fold = self._usable(session, start, settled, tz)
            if settled > fold.until:
                fold = Fold(fold.since, settled, fold.state.copy().feed(read_events(session, fold.until, settled)))
            self._keep(str(tz), start, fold)
        if settled >= end:
            return fold.state.result()
        return fold.state.copy().feed(read_events(session, settled, end)).result()

    def _usable(self, session: Session, start: datetime, settled: datetime, tz: ZoneInfo) -> Fold:
        """Return the fold to top up for a window starting at `start`: a kept one if still true, else a new one."""
        since = min(day_start(local_day(start, tz), tz), start)
        candidates = [(key[1], fold) for key, fold in self._folds.items()
                      if key[0] == str(tz) and key[1] <= start and fold.since <= since and fold.until <= settled]
        if candidates:
            began, fold = max(candidates, key=lambda found: found[0])
            if _count(session, fold.since, fold.until) == fold.state.rows:
                return fold if began == start else Fold(fold.since, fold.until, rebase(fold.state, start))
        return Fold(since, since, Aggregation(start, tz))

    def _keep(self, zone: str, start: datetime, fold: Fold) -> None:
        self._folds[(zone, start)] = fold
        for key in sorted(self._folds, key=lambda k: self._folds[k].until)[:-KEPT]:
            del self._folds[key]


def _count(session: Session, start: datetime, end: datetime) -> int:
    stmt = select(func.count()).select_from(VisitEvent).where(VisitEvent.at >= start, VisitEvent.at < end)
    return int(session.scalar(stmt) or 0)


def folds_of(app: Flask) -> LiveFolds:
    """Return an app's folds."""
    return app.extensions.setdefault("museum.cockpit.live", LiveFolds())


def live_figures(session: Session, start: datetime, end: datetime, tz: ZoneInfo) -> Cells:
    """Return the cells of raw events in [start, end) through this app's folds (folded afresh outside an app)."""
    if not has_app_context():
        return live_cells(session, start, end, tz)
    return folds_of(current_app).cells(session, start, end, tz)


def warm(app: Flask) -> None:
    """Fold the window every summary ending today reads, so a web process's first summary need not (at its start)."""
    tz = timezone(app)
    try:
        with app.app_context(), get_db(app).read() as session:
            rolled = watermark(session)
            if rolled is None:
                return
            today = local_day(utcnow(), tz)
            folds_of(app).cells(session, rolled, day_start(today + timedelta(days=1), tz), tz)
    except Exception:  # a museum not initialised yet, or a database away: the first summary folds instead
        log.warning("the cockpit's live figures were not folded at start", exc_info=True)
