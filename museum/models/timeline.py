"""The hospital's history: eras and timeline events, linked to exhibits."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from museum.models.assets import Asset
from museum.models.base import Base, ContentMixin
from museum.models.exhibits import Exhibit

event_exhibits = Table(
    "event_exhibits",
    Base.metadata,
    Column("event_id", ForeignKey("timeline_events.id", ondelete="CASCADE"), primary_key=True),
    Column("exhibit_id", ForeignKey("exhibits.id", ondelete="CASCADE"), primary_key=True),
)


class Era(Base, ContentMixin):
    """A period of the hospital's history."""

    __tablename__ = "eras"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer, default=None)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TimelineEvent(Base, ContentMixin):
    """A dated event of the hospital's history; the date is as precise as the source allows."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    era_id: Mapped[int | None] = mapped_column(ForeignKey("eras.id", ondelete="SET NULL"), default=None, index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    month: Mapped[int | None] = mapped_column(Integer, default=None)
    day: Mapped[int | None] = mapped_column(Integer, default=None)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    body: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    image_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    source: Mapped[str] = mapped_column(String(300), default="")

    era: Mapped[Era | None] = relationship()
    image_asset: Mapped[Asset | None] = relationship()
    exhibits: Mapped[list[Exhibit]] = relationship(secondary=event_exhibits, order_by="Exhibit.id")

    @property
    def precision(self) -> str:
        """Return how precise the date is: year, month or day."""
        if self.month is None:
            return "year"
        if self.day is None:
            return "month"
        return "day"

    @property
    def date_iso(self) -> str:
        """Return the date as ISO 8601 at its precision (YYYY, YYYY-MM or YYYY-MM-DD)."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
