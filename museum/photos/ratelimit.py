"""Fixed-window attempt counters in the shared RateLimit table, so every worker and machine sees one count."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from museum.db import get_db
from museum.models import RateLimit
from museum.models.base import utcnow


def seconds_blocked(key: str, limit: int, window: timedelta, now: datetime | None = None) -> int:
    """Return how many seconds `key` must wait (0 when it is under `limit` in the current window)."""
    now = now or utcnow()
    with get_db().read() as session:
        row = session.get(RateLimit, key)
        if row is None or row.count < limit or now - row.window_start >= window:
            return 0
        return max(1, int((row.window_start + window - now).total_seconds()) + 1)


def record_attempt(key: str, window: timedelta, now: datetime | None = None) -> int:
    """Count one attempt for `key` in its own short transaction; return the count in the window."""
    now = now or utcnow()
    for _ in range(2):  # a concurrent first attempt may insert the row between our read and insert
        try:
            with get_db().write() as session:
                row = session.get(RateLimit, key, with_for_update=True)
                if row is None:
                    session.add(RateLimit(key=key, window_start=now, count=1))
                    return 1
                if now - row.window_start >= window:
                    row.window_start, row.count = now, 1
                else:
                    row.count += 1
                return row.count
        except IntegrityError:
            continue
    return 0
