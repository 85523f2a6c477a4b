"""Photo-booth kiosks: registration, revocation and device-token checks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.auth import KIOSK_PREFIX, hash_token, new_token
from museum.errors import Conflict
from museum.models import KioskDevice
from museum.models.base import utcnow


def register_kiosk(session: Session, name: str) -> str:
    """Register a kiosk and return its device token (stored only as a hash)."""
    if session.scalar(select(KioskDevice).where(KioskDevice.name == name)) is not None:
        raise Conflict(f"A kiosk named {name!r} is registered already.", code="kiosk_exists", pointer="/name")
    token = new_token(KIOSK_PREFIX)
    session.add(KioskDevice(name=name, token_hash=hash_token(token), prefix=token[:10]))
    session.flush()
    return token


def revoke_kiosk(session: Session, name: str) -> bool:
    """Revoke a kiosk's token; return whether the kiosk exists."""
    kiosk = session.scalar(select(KioskDevice).where(KioskDevice.name == name))
    if kiosk is None:
        return False
    kiosk.revoked_at = utcnow()
    return True


def kiosk_for_token(session: Session, token: str) -> KioskDevice | None:
    """Return the active kiosk a device token belongs to, or None."""
    if not token.startswith(KIOSK_PREFIX):
        return None
    kiosk = session.scalar(select(KioskDevice).where(KioskDevice.token_hash == hash_token(token)))
    if kiosk is None or kiosk.revoked_at is not None:
        return None
    return kiosk
