"""Kiosks (the photo booth and the inquiry kiosk): registration, revocation and device-token checks, each change in
the audit log. A device token is for one kind of kiosk: a booth's token cannot run the inquiry kiosk, nor the other
way round."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core import db
from museum.core.errors import Conflict, Forbidden, Unauthorized, Unprocessable
from museum.identity import audit
from museum.identity.credentials import KIOSK_PREFIX, TOKEN_PREFIX, Principal, hash_token, new_token
from museum.identity.principal import bearer_token
from museum.identity.tokens import COMMAND_LINE
from museum.models import KioskDevice
from museum.models.base import utcnow

BOOTH = "booth"
INQUIRY = "inquiry"
KINDS = (BOOTH, INQUIRY)
_LABELS = {BOOTH: "the photo booth", INQUIRY: "the inquiry kiosk"}
_SEEN_EVERY = timedelta(minutes=1)


def register_kiosk(session: Session, name: str, by: Principal | None = None,
                   actor: str = COMMAND_LINE, kind: str = BOOTH) -> tuple[KioskDevice, str]:
    """Register a kiosk of a kind; return its row and its device token (shown once, stored only as a hash)."""
    if kind not in KINDS:
        raise Unprocessable(f"A kiosk is one of {', '.join(KINDS)}.", code="invalid_kiosk_kind", pointer="/kind")
    if session.scalar(select(KioskDevice).where(KioskDevice.name == name)) is not None:
        raise Conflict(f"A kiosk named {name!r} is registered already.", code="kiosk_exists", pointer="/name")
    token = new_token(KIOSK_PREFIX)
    kiosk = KioskDevice(name=name, kind=kind, token_hash=hash_token(token), prefix=token[:10])
    session.add(kiosk)
    session.flush()
    audit.record(session, "kiosk_register", by, actor=actor, target_type="kiosk", target_id=kiosk.id,
                 detail={"name": name, "prefix": kiosk.prefix, "kind": kind})
    return kiosk, token


def kiosk_named(session: Session, name: str) -> KioskDevice | None:
    """Return the kiosk registered under a name, or None."""
    return session.scalar(select(KioskDevice).where(KioskDevice.name == name))


def revoke_kiosk(session: Session, kiosk: KioskDevice, by: Principal | None = None, actor: str = COMMAND_LINE) -> None:
    """Revoke a kiosk's device token (a second revocation keeps the first time) and write the audit row."""
    kiosk.revoked_at = kiosk.revoked_at or utcnow()
    audit.record(session, "kiosk_revoke", by, actor=actor, target_type="kiosk", target_id=kiosk.id,
                 detail={"name": kiosk.name})


def kiosk_for_token(session: Session, token: str) -> KioskDevice | None:
    """Return the active kiosk a device token belongs to, or None."""
    if not token.startswith(KIOSK_PREFIX):
        return None
    kiosk = session.scalar(select(KioskDevice).where(KioskDevice.token_hash == hash_token(token)))
    if kiosk is None or kiosk.revoked_at is not None:
        return None
    return kiosk


def kiosk_of_request(session: Session, kind: str) -> KioskDevice:
    """Return the kiosk of a kind whose device token the request carries.

    401 without a token or with an unknown or revoked one; 403 for a curator's API token or another kind's token.
    """
    label = _LABELS[kind]
    realm = 'Bearer realm="kiosk"' if kind == BOOTH else f'Bearer realm="{kind}"'
    token = bearer_token()
    if token is None:
        raise Unauthorized(f"Send the device token of {label} as a Bearer token.",
                           headers={"WWW-Authenticate": realm})
    if token.startswith(TOKEN_PREFIX):
        raise Forbidden(f"Curators' API tokens are not accepted by {label}; use a kiosk device token.",
                        code="kiosk_token_required")
    kiosk = kiosk_for_token(session, token) if token.startswith(KIOSK_PREFIX) else None
    if kiosk is None:
        raise Unauthorized("The kiosk token is unknown or revoked.", code="invalid_token",
                           headers={"WWW-Authenticate": f'{realm}, error="invalid_token"'})
    if kiosk.kind != kind:
        raise Forbidden(f"This device token is for {_LABELS.get(kiosk.kind, kiosk.kind)}, not {label}; "
                        f"register one with `museum kiosk register NAME --kind {kind}`.", code="kiosk_kind_mismatch")
    db.mark_seen(kiosk, _SEEN_EVERY)
    return kiosk
