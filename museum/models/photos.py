"""AR group photos from the kiosks and the templates they are composed with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from museum.models.base import Base, ContentMixin, TimestampMixin, utcnow
from museum.models.people import KioskDevice


class PhotoTemplate(Base, ContentMixin):
    """A photo frame with its transparent window, text boxes and prop slots, managed by curators."""

    __tablename__ = "photo_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    caption: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    frame_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Photo(Base, TimestampMixin):
    """A composed group photo, reachable by its share link until it expires or the guest deletes it."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    share_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_devices.id", ondelete="SET NULL"), default=None)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("photo_templates.id", ondelete="SET NULL"),
                                                    default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | ready | failed | deleted | expired
    consent: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    props: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    capture_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    full_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    phone_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    thumb_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # The booth's own drawing of the props (PNG) and where it sits on the capture, until composed.
    layer_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    layer_box: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    # The booth's view of the gallery the guests chose to stand in (a picture), until composed, and its slug.
    background_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    background: Mapped[str | None] = mapped_column(String(100), default=None)
    # The booth's drawing of the props the guests put behind themselves in the gallery (PNG), and its box.
    behind_sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    behind_box: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    expires_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # When a guest first opened the share page: the cockpit counts a photo as shared once, not once per view.
    opened_at: Mapped[datetime | None] = mapped_column(default=None)

    kiosk: Mapped[KioskDevice | None] = relationship()
    template: Mapped[PhotoTemplate | None] = relationship()
