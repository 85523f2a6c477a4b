"""Galleries: rooms of the museum with exhibits placed in them, and the doors between them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from museum.models.assets import Asset
from museum.models.base import Base, ContentMixin
from museum.models.exhibits import Exhibit


class Gallery(Base, ContentMixin):
    """A room of the museum: an environment model plus placed exhibits, spawn points, floor and doors."""

    __tablename__ = "galleries"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    room_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    lighting: Mapped[str] = mapped_column(String(16), default="gallery")  # warm | gallery | cool
    size_m: Mapped[list[float]] = mapped_column(JSON, default=list)  # [width, height, depth]
    floor: Mapped[list[list[float]]] = mapped_column(JSON, default=list)  # polygon of [x, z] points
    spawns: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{position, yaw_deg}]
    position: Mapped[int] = mapped_column(Integer, default=0)

    room_asset: Mapped[Asset | None] = relationship()
    placements: Mapped[list[Placement]] = relationship(
        back_populates="gallery", cascade="all, delete-orphan", order_by="Placement.position"
    )
    doors: Mapped[list[Door]] = relationship(
        back_populates="gallery", cascade="all, delete-orphan", foreign_keys="Door.gallery_id", order_by="Door.id"
    )
    sounds: Mapped[list[SoundZone]] = relationship(
        back_populates="gallery", cascade="all, delete-orphan", order_by="SoundZone.position"
    )


class Placement(Base):
    """An exhibit placed in a gallery: transform, mount, label and the plinth it stands on."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    gallery_id: Mapped[int] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"), index=True)
    translation: Mapped[list[float]] = mapped_column(JSON, default=lambda: [0.0, 0.0, 0.0])
    rotation_deg: Mapped[list[float]] = mapped_column(JSON, default=lambda: [0.0, 0.0, 0.0])
    scale: Mapped[float] = mapped_column(Float, default=1.0)
    target_size_m: Mapped[float | None] = mapped_column(Float, default=None)
    mount: Mapped[str] = mapped_column(String(16), default="floor")  # pedestal | wall | floor | showcase
    label: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The pedestal (and glass case) the exhibit stands on, moved with it: see scenes.plinth. None: no plinth.
    plinth: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    gallery: Mapped[Gallery] = relationship(back_populates="placements")
    exhibit: Mapped[Exhibit] = relationship()


class Door(Base):
    """A doorway from one gallery into another."""

    __tablename__ = "doors"

    id: Mapped[int] = mapped_column(primary_key=True)
    gallery_id: Mapped[int] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    to_gallery_id: Mapped[int] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"))
    translation: Mapped[list[float]] = mapped_column(JSON, default=lambda: [0.0, 0.0, 0.0])
    yaw_deg: Mapped[float] = mapped_column(Float, default=0.0)
    width_m: Mapped[float] = mapped_column(Float, default=1.6)
    height_m: Mapped[float] = mapped_column(Float, default=2.4)
    label: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    gallery: Mapped[Gallery] = relationship(back_populates="doors", foreign_keys=[gallery_id])
    to_gallery: Mapped[Gallery] = relationship(foreign_keys=[to_gallery_id])


class SoundZone(Base):
    """A sound that belongs to a place in a gallery: an ambient loop heard in the whole room, or a spot sound heard
    within its radius of where it stands, louder nearer."""

    __tablename__ = "sound_zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    gallery_id: Mapped[int] = mapped_column(ForeignKey("galleries.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(8), default="spot")  # ambient | spot
    translation: Mapped[list[float]] = mapped_column(JSON, default=lambda: [0.0, 1.5, 0.0])
    radius_m: Mapped[float] = mapped_column(Float, default=4.0)
    volume: Mapped[float] = mapped_column(Float, default=0.6)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)

    gallery: Mapped[Gallery] = relationship(back_populates="sounds")
    asset: Mapped[Asset] = relationship()
