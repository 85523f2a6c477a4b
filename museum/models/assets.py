"""Stored files and 3D assets with their per-device tiers, and the rights that cover them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from museum.models.base import Base, TimestampMixin, utcnow


class StoredFile(Base):
    """A file in the content-addressed store, named by the SHA-256 of its bytes."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rights(Base, TimestampMixin):
    """Licence, credit line and copyright statement of an exhibit or asset."""

    __tablename__ = "rights"

    id: Mapped[int] = mapped_column(primary_key=True)
    licence: Mapped[str] = mapped_column(String(100))  # SPDX identifier, e.g. CC-BY-4.0
    licence_url: Mapped[str | None] = mapped_column(String(300), default=None)
    credit: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    copyright: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)


class Asset(Base, TimestampMixin):
    """An uploaded model, image, audio or caption file, content-addressed by the SHA-256 of its bytes."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # model | image | audio | captions
    media_type: Mapped[str] = mapped_column(String(100))
    bytes: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="ready")  # queued | processing | ready | failed
    inspection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    validator: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    poster_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    rights_id: Mapped[int | None] = mapped_column(ForeignKey("rights.id", ondelete="SET NULL"), default=None)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)

    tiers: Mapped[list[AssetTier]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="AssetTier.tier"
    )
    rights: Mapped[Rights | None] = relationship()

    def tier(self, name: str) -> AssetTier | None:
        """Return the derivative for a device tier, if it exists."""
        return next((t for t in self.tiers if t.tier == name), None)


class AssetTier(Base):
    """A derivative of a model asset for one device tier (phone, desktop, vr, original), with its statistics."""

    __tablename__ = "asset_tiers"
    __table_args__ = (UniqueConstraint("asset_id", "tier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100), default="model/gltf-binary")
    bytes: Mapped[int] = mapped_column(BigInteger)
    triangles: Mapped[int] = mapped_column(Integer, default=0)
    draw_calls: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    asset: Mapped[Asset] = relationship(back_populates="tiers")
