"""Guided tours: ordered stops across galleries with narration."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from museum.models.assets import Asset
from museum.models.base import Base, ContentMixin
from museum.models.exhibits import Exhibit, Hotspot
from museum.models.galleries import Gallery


class Tour(Base, ContentMixin):
    """A guided route through the museum."""

    __tablename__ = "tours"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    stops: Mapped[list[TourStop]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="TourStop.position"
    )


class TourStop(Base):
    """One stop of a tour: where to stand, what to look at, what the guide says."""

    __tablename__ = "tour_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    gallery_id: Mapped[int] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id", ondelete="SET NULL"), default=None)
    hotspot_id: Mapped[int | None] = mapped_column(ForeignKey("hotspots.id", ondelete="SET NULL"), default=None)
    viewpoint: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {position: [x,y,z], target: [x,y,z]}
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    text: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    narration: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    narration_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    captions_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    duration_s: Mapped[float] = mapped_column(Float, default=20.0)

    tour: Mapped[Tour] = relationship(back_populates="stops")
    gallery: Mapped[Gallery] = relationship()
    exhibit: Mapped[Exhibit | None] = relationship()
    hotspot: Mapped[Hotspot | None] = relationship()
    narration_asset: Mapped[Asset | None] = relationship(foreign_keys=[narration_asset_id])
    captions_asset: Mapped[Asset | None] = relationship(foreign_keys=[captions_asset_id])
