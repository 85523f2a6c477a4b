"""Operational records: the job queue, the audit log, revisions of content, and shared counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from museum.models.base import Base, utcnow


class Job(Base):
    """A unit of background work (asset tiers, posters, photo composition); rows survive restarts."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the job works on ("asset:12", "photo:7"), so the job of a thing is found through an index.
    subject: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)  # queued|running|done|failed
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # higher runs first
    stage: Mapped[str] = mapped_column(String(40), default="")
    progress: Mapped[float] = mapped_column(default=0.0)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims, the interrupted ones included
    deaths: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claims whose worker died
    run_after: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    locked_by: Mapped[str | None] = mapped_column(String(80), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class JobWorker(Base):
    """A job worker process: who it is, what it takes, and its last sign of life (so its jobs outlive it)."""

    __tablename__ = "job_workers"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    host: Mapped[str] = mapped_column(String(64), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    kinds: Mapped[str] = mapped_column(String(200), default="")  # comma-separated; empty: every kind
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    stopped_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEvent(Base):
    """An append-only record of who did what."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    actor: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")


class Revision(Base):
    """A snapshot of a piece of content at one version, for history, differences and revert."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(40), index=True)
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    message: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Counter(Base):
    """A named integer shared by every worker, such as the catalogue version that invalidates caches."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class CatalogueChange(Base):
    """What one move of the catalogue version changed, so workers drop and re-index only that."""

    __tablename__ = "catalogue_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # Subjects such as "exhibit" and "exhibit:heart-model"; ["*"] when anything may have changed.
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)


class Setting(Base):
    """A museum-wide setting stored as JSON, such as the museum's name and description."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RateLimit(Base):
    """Attempts counted per key and fixed time window, shared by every worker and machine."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(Integer, default=0)
