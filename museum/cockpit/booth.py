"""The kiosks' own events, recorded by the server where they happen (a guest's device never reports them): the
photo booth's photos, and the inquiry kiosk's sessions (sent by a screen with its device token)."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from museum.models import VisitEvent
from museum.models.base import utcnow

PHOTO_TAKEN = "photo_taken"
PHOTO_COMPOSED = "photo_composed"
PHOTO_SHARED = "photo_shared"  # a guest opened the share page (once per photo: the first time)
PHOTO_DELETED = "photo_deleted"
PHOTO_FAILED = "photo_failed"
INQUIRY_SESSION = "inquiry_session"  # an inquiry kiosk's session, from the first touch to the reset; duration_ms


def record_booth_event(session: Session, kind: str, duration_ms: int | None = None, lang: str = "") -> None:
    """Record a kiosk event in the caller's transaction (no visitor: a kiosk identifies nobody)."""
    session.execute(insert(VisitEvent).values(at=utcnow(), type=kind, device="kiosk", duration_ms=duration_ms,
                                              lang=lang))
