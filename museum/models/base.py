"""The declarative base: naming convention, shared column types and mixins."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON(), list: JSON()}


class Status(enum.StrEnum):
    """The workflow state of a piece of content."""

    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


STATUS_VALUES = tuple(s.value for s in Status)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContentMixin(TimestampMixin):
    """Columns of every piece of curated content: slug, workflow state and version for optimistic locking."""

    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # The studio lists content newest first: indexed, so a page of 20 does not sort the whole table.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT.value, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    # Changes to published content wait here (the studio's document, and draft or review) so visitors keep the
    # published version until a reviewer publishes the changes.
    pending: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    pending_status: Mapped[str | None] = mapped_column(String(16), default=None)

    @property
    def is_published(self) -> bool:
        """Return whether visitors can see this content."""
        return self.status == Status.PUBLISHED.value
