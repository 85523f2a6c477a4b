"""The cockpit's records: visitors' events (kept a while), their hourly and daily rollups (kept), daily salts,
alerts of the early warning, and each manager's tile layout.

No row holds an address, a user agent or a cookie: a visitor is only a hash under the day's salt, and the salt is
deleted once its day is over, so yesterday's hashes can no longer be linked to anyone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import JSON, BigInteger, Date, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from museum.models.base import Base, utcnow

_BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class VisitEvent(Base):
    """One thing a visitor did (an exhibit seen, a tour step, a search) or a booth event the server recorded."""

    __tablename__ = "visit_events"

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    type: Mapped[str] = mapped_column(String(24))
    visitor: Mapped[str] = mapped_column(String(16), default="")  # daily-salted hash; "" under GPC/DNT
    device: Mapped[str] = mapped_column(String(12), default="")
    lang: Mapped[str] = mapped_column(String(8), default="")
    exhibit: Mapped[str] = mapped_column(String(120), default="")
    gallery: Mapped[str] = mapped_column(String(120), default="")
    tour: Mapped[str] = mapped_column(String(120), default="")
    step: Mapped[int | None] = mapped_column(Integer, default=None)
    path: Mapped[str] = mapped_column(String(200), default="")
    query: Mapped[str] = mapped_column(String(100), default="")
    results: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)  # dwell, or a composition's time


class DailySalt(Base):
    """The secret mixed into visitor hashes for one local day; deleted when the day is over."""

    __tablename__ = "cockpit_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class HourlyRollup(Base):
    """Totals of one metric in one hour (UTC start); kept for ever."""

    __tablename__ = "cockpit_hourly"

    hour: Mapped[datetime] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(24), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True, default="")
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class DailyRollup(Base):
    """Totals of one metric and key (an exhibit, a device, a query ...) in one local day; kept for ever."""

    __tablename__ = "cockpit_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(24), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True, default="")
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class CockpitAlert(Base):
    """A figure that left its normal band: when it started, when it ended, and who acknowledged it."""

    __tablename__ = "cockpit_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    message: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    value: Mapped[float] = mapped_column(Float, default=0.0)
    low: Mapped[float | None] = mapped_column(Float, default=None)
    high: Mapped[float | None] = mapped_column(Float, default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)


class CockpitLayout(Base):
    """The tiles a manager chose for their dashboard, in order, with their sizes."""

    __tablename__ = "cockpit_layouts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tiles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# The tables themselves, for Core bulk inserts (one executemany, no per-row ORM work) on the hot paths.
VISIT_EVENTS = cast(Table, VisitEvent.__table__)
HOURLY_ROLLUPS = cast(Table, HourlyRollup.__table__)
DAILY_ROLLUPS = cast(Table, DailyRollup.__table__)
