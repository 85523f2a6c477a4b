"""Exhibits: the objects of the collection, with their media and hotspots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from museum.models.assets import Asset, Rights
from museum.models.base import Base, ContentMixin

if TYPE_CHECKING:
    from museum.models.timeline import Era


class Exhibit(Base, ContentMixin):
    """An object of the collection, shown as a 3D model with texts in three languages."""

    __tablename__ = "exhibits"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    body: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    object_date: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    narration_text: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    model_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    era_id: Mapped[int | None] = mapped_column(ForeignKey("eras.id", ondelete="SET NULL"), default=None, index=True)
    rights_id: Mapped[int | None] = mapped_column(ForeignKey("rights.id", ondelete="SET NULL"), default=None)
    real_height_m: Mapped[float | None] = mapped_column(Float, default=None)
    triangle_budget: Mapped[int | None] = mapped_column(Integer, default=None)

    model_asset: Mapped[Asset | None] = relationship(foreign_keys=[model_asset_id])
    rights: Mapped[Rights | None] = relationship()
    era: Mapped[Era | None] = relationship()
    tags: Mapped[list[ExhibitTag]] = relationship(
        back_populates="exhibit", cascade="all, delete-orphan", order_by="ExhibitTag.tag"
    )
    media: Mapped[list[ExhibitMedia]] = relationship(
        back_populates="exhibit", cascade="all, delete-orphan", order_by="ExhibitMedia.position"
    )
    hotspots: Mapped[list[Hotspot]] = relationship(
        back_populates="exhibit", cascade="all, delete-orphan", order_by="Hotspot.position"
    )


class ExhibitTag(Base):
    """A keyword an exhibit can be filtered by."""

    __tablename__ = "exhibit_tags"
    __table_args__ = (UniqueConstraint("exhibit_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(60), index=True)

    exhibit: Mapped[Exhibit] = relationship(back_populates="tags")


class ExhibitMedia(Base):
    """An image, audio narration or caption track attached to an exhibit."""

    __tablename__ = "exhibit_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(16))  # image | audio | captions
    lang: Mapped[str | None] = mapped_column(String(8), default=None)  # audio and captions are per language
    caption: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    alt: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    credit: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Made by a speech synthesizer, not recorded by a person: visitors are told so.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    position: Mapped[int] = mapped_column(Integer, default=0)

    exhibit: Mapped[Exhibit] = relationship(back_populates="media")
    asset: Mapped[Asset] = relationship()


class Hotspot(Base):
    """A point or small volume on an exhibit's model, with an annotation in three languages."""

    __tablename__ = "hotspots"
    __table_args__ = (UniqueConstraint("exhibit_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8), default="point")  # point | volume
    anchor: Mapped[list[float]] = mapped_column(JSON, default=list)  # [x, y, z] in model space, metres
    radius_m: Mapped[float] = mapped_column(Float, default=0.05)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    text: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    image_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    image_alt: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    image_credit: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    audio_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    captions_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)

    exhibit: Mapped[Exhibit] = relationship(back_populates="hotspots")
    image_asset: Mapped[Asset | None] = relationship(foreign_keys=[image_asset_id])
    audio_asset: Mapped[Asset | None] = relationship(foreign_keys=[audio_asset_id])
    captions_asset: Mapped[Asset | None] = relationship(foreign_keys=[captions_asset_id])

