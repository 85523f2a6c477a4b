"""The one rate limiter: counters of failures in the shared `rate_limits` table, so every worker sees one count.

Two ways to hold back a client, both counting only failures, so the innocent never pay for them:
- a fixed window (`seconds_blocked`, `record_attempt`): past `limit` failures the key waits for the window's end;
- a slowdown (`Backoff`): past `free` failures each further attempt waits twice as long as the last, never more
  than `longest`, so a stranger guessing someone's password slows that person down but never locks them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from museum.core.db import get_db
from museum.models import RateLimit
from museum.models.base import utcnow

_NEXT = ":next"  # a key's companion row whose window_start is when the next attempt is allowed


def _locked_row(session: Session, key: str, now: datetime) -> RateLimit:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Create the row if it is missing without racing another worker, then lock it for the read-modify-write.
    session.execute(insert(RateLimit).values(key=key, window_start=now, count=0).on_conflict_do_nothing())
    return session.scalars(select(RateLimit).where(RateLimit.key == key).with_for_update()).one()


def hit(session: Session, key: str, window: timedelta, now: datetime | None = None) -> int:
    """Count one failure under a key in the caller's write transaction; return the failures in this window."""
    now = now or utcnow()
    row = _locked_row(session, key, now)
    if row.window_start <= now - window:
        row.window_start, row.count = now, 0
    row.count += 1
    session.flush()
    return row.count


def clear(session: Session, key: str) -> None:
    """Forget the failures under a key (after a success)."""
    session.execute(delete(RateLimit).where(RateLimit.key.in_((key, key + _NEXT))))


def seconds_blocked(key: str, limit: int, window: timedelta, now: datetime | None = None) -> int:
    """Return how many seconds `key` must wait (0 when it has fewer than `limit` failures in the current window)."""
    now = now or utcnow()
    with get_db().read() as session:
        row = session.get(RateLimit, key)
        if row is None or row.count < limit or now - row.window_start >= window:
            return 0
        return max(1, int((row.window_start + window - now).total_seconds()) + 1)


def record_attempt(key: str, window: timedelta, now: datetime | None = None) -> int:
    """Count one failure for `key` in its own short transaction; return the count in the window."""
    for _ in range(2):  # SQLite may still report a concurrent first insert as a conflict
        try:
            with get_db().write() as session:
                return hit(session, key, window, now)
        except IntegrityError:
            continue
    return 0


@dataclass(frozen=True)
class Backoff:
    """A slowdown: `free` failures cost nothing, then each waits 1, 2, 4 ... seconds, at most `longest`;
    failures are forgotten `window` after the first."""

    free: int
    window: timedelta
    longest: timedelta

    def delay(self, failures: int) -> float:
        """Return the seconds to wait after this many failures."""
        if failures <= self.free:
            return 0.0
        return float(min(2 ** min(failures - self.free - 1, 30), self.longest.total_seconds()))


def seconds_to_wait(session: Session, key: str, now: datetime | None = None) -> int:
    """Return how many seconds a slowed-down key must still wait (0: it may try now)."""
    now = now or utcnow()
    row = session.get(RateLimit, key + _NEXT)
    if row is None or row.window_start <= now:
        return 0
    return max(1, int((row.window_start - now).total_seconds() + 0.999))


def record_failure(session: Session, key: str, backoff: Backoff, now: datetime | None = None) -> int:
    """Count a failure under a key and set when it may try again (in the caller's write transaction)."""
    now = now or utcnow()
    failures = hit(session, key, backoff.window, now)
    row = _locked_row(session, key + _NEXT, now)
    row.window_start = now + timedelta(seconds=backoff.delay(failures))
    session.flush()
    return failures
