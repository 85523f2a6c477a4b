"""Fixed-window attempt counters in the shared `rate_limits` table, so every worker and machine sees one count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from museum.models import RateLimit
from museum.models.base import utcnow


def hit(session: Session, key: str, window: timedelta) -> int:
    """Count one attempt under a key in the caller's write transaction; return the attempts in this window."""
    now = utcnow()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Create the row if it is missing without racing another worker, then lock it for the read-modify-write.
    session.execute(insert(RateLimit).values(key=key, window_start=now, count=0).on_conflict_do_nothing())
    row = session.scalars(select(RateLimit).where(RateLimit.key == key).with_for_update()).one()
    if row.window_start <= now - window:
        row.window_start, row.count = now, 0
    row.count += 1
    session.flush()
    return row.count


def clear(session: Session, key: str) -> None:
    """Forget the attempts under a key (after a successful sign-in)."""
    session.execute(delete(RateLimit).where(RateLimit.key == key))
