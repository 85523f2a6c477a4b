"""`/api/v1/studio/users|tokens|kiosks|audit`: accounts, API tokens, kiosk devices and the audit log (admins only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from sqlalchemy import func, select

from museum.core import db, payloads
from museum.core.errors import NotFound, Unprocessable
from museum.core.payloads import read_query
from museum.identity import audit
from museum.identity.accounts import create_user, hash_password
from museum.identity.principal import Principal, current_principal, require_role
from museum.identity.tokens import create_api_token, revoke_api_token
from museum.models import ApiToken, AuditEvent, KioskDevice, Role, User, UserSession
from museum.photos.kiosks import register_kiosk, revoke_kiosk
from museum.studio.payloads import (
    ApiTokenCreated,
    ApiTokenInfo,
    AuditEntry,
    AuditFilter,
    KioskCreated,
    KioskInfo,
    NewKiosk,
    NewToken,
    NewUser,
    StaffUser,
    UserChange,
)

bp = Blueprint("studio_admin", __name__, url_prefix="/api/v1/studio")

ADMIN = frozenset({Role.ADMIN.value})
_NO_STORE = {"Cache-Control": "no-store"}


def _me() -> Principal:
    principal = current_principal()
    assert principal is not None  # require_role ran first
    return principal


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def user_json(user: User) -> StaffUser:
    """Describe a user (never the password hash)."""
    return StaffUser(id=user.id, name=user.name, role=user.role, active=user.active,
                     has_password=user.password_hash is not None, created_at=_iso(user.created_at))


def _token(token: ApiToken, owner: str) -> dict[str, Any]:
    return {"id": token.id, "name": token.name, "prefix": token.prefix, "user": owner,
            "created_at": _iso(token.created_at), "last_used_at": _iso(token.last_used_at),
            "revoked_at": _iso(token.revoked_at)}


def _kiosk(kiosk: KioskDevice) -> dict[str, Any]:
    return {"id": kiosk.id, "name": kiosk.name, "prefix": kiosk.prefix, "created_at": _iso(kiosk.created_at),
            "last_seen_at": _iso(kiosk.last_seen_at), "revoked_at": _iso(kiosk.revoked_at)}


@bp.get("/users")
@require_role(ADMIN)
def list_users() -> Any:
    """List staff accounts."""
    users = db.session().scalars(select(User).order_by(User.name))
    return payloads.listing([user_json(u) for u in users]), 200, _NO_STORE


@bp.post("/users")
@require_role(ADMIN)
def add_user() -> Any:
    """Create a staff account ({name, role, password})."""
    sent = payloads.read(NewUser, "invalid_field")
    session = db.session()
    user = create_user(session, sent.name, sent.role, sent.password)
    audit.record(session, "user_create", _me(), target_type="user", target_id=user.id,
                 detail={"name": user.name, "role": user.role})
    session.commit()
    return user_json(user).answer(), 201, _NO_STORE


@bp.patch("/users/<int:user_id>")
@require_role(ADMIN)
def change_user(user_id: int) -> Any:
    """Change a user's role, password or whether the account is active (which ends their sessions)."""
    sent = payloads.read(UserChange, "invalid_field")
    session = db.session()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.", code="user_not_found")
    changed: dict[str, Any] = {}
    if sent.role is not None:
        user.role = changed["role"] = sent.role
    if sent.active is not None:
        user.active = changed["active"] = sent.active
    if sent.password is not None:
        user.password_hash = hash_password(sent.password)
        changed["password"] = "changed"
    if changed:
        # A new role, password or a closed account must not leave an old session with old powers.
        for row in session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
            session.delete(row)
    audit.record(session, "user_change", _me(), target_type="user", target_id=user.id, detail=changed)
    session.commit()
    return user_json(user).answer(), 200, _NO_STORE


@bp.get("/tokens")
@require_role(ADMIN)
def list_tokens() -> Any:
    """List API tokens of every user."""
    rows = db.session().execute(select(ApiToken, User.name).join(User).order_by(ApiToken.id)).all()
    return payloads.listing([ApiTokenInfo(**_token(t, owner)) for t, owner in rows]), 200, _NO_STORE


@bp.post("/tokens")
@require_role(ADMIN)
def add_token() -> Any:
    """Create an API token for a user ({name, user_id}); the secret is in this answer only."""
    sent = payloads.read(NewToken, "invalid_field")
    session = db.session()
    user = session.get(User, sent.user_id)
    if user is None:
        raise Unprocessable("No such user.", code="unknown_reference", pointer="/user_id")
    token, secret = create_api_token(session, user, sent.name, by=_me())
    session.commit()
    return ApiTokenCreated(**_token(token, user.name), token=secret).answer(), 201, _NO_STORE


@bp.delete("/tokens/<int:token_id>")
@require_role(ADMIN)
def revoke_token(token_id: int) -> Any:
    """Revoke an API token."""
    session = db.session()
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No API token {token_id}.", code="token_not_found")
    revoke_api_token(session, token, by=_me())
    session.commit()
    return "", 204


@bp.get("/kiosks")
@require_role(ADMIN)
def list_kiosks() -> Any:
    """List kiosk devices."""
    rows = db.session().scalars(select(KioskDevice).order_by(KioskDevice.name))
    return payloads.listing([KioskInfo(**_kiosk(k)) for k in rows]), 200, _NO_STORE


@bp.post("/kiosks")
@require_role(ADMIN)
def add_kiosk() -> Any:
    """Register a kiosk device ({name}); its device token is in this answer only."""
    sent = payloads.read(NewKiosk, "invalid_field")
    session = db.session()
    kiosk, secret = register_kiosk(session, sent.name, by=_me())
    session.commit()
    return KioskCreated(**_kiosk(kiosk), token=secret).answer(), 201, _NO_STORE


@bp.delete("/kiosks/<int:kiosk_id>")
@require_role(ADMIN)
def revoke_kiosk_device(kiosk_id: int) -> Any:
    """Revoke a kiosk device's token."""
    session = db.session()
    kiosk = session.get(KioskDevice, kiosk_id)
    if kiosk is None:
        raise NotFound(f"No kiosk {kiosk_id}.", code="kiosk_not_found")
    revoke_kiosk(session, kiosk, by=_me())
    session.commit()
    return "", 204


@bp.get("/audit")
@require_role(ADMIN)
def audit_log() -> Any:
    """Read the audit log, newest first (?action=, ?page=, ?per_page=)."""
    page = read_query(AuditFilter, request.args)
    stmt = select(AuditEvent)
    if page.action:
        stmt = stmt.where(AuditEvent.action == page.action)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEvent.id.desc()).offset(page.offset).limit(page.per_page))
    items = [AuditEntry(id=r.id, at=_iso(r.at), actor=r.actor, action=r.action, target_type=r.target_type,
                        target_id=r.target_id, detail=r.detail, ip=r.ip).answer() for r in rows]
    return {"items": items, "total": total, "page": page.page, "per_page": page.per_page}, 200, _NO_STORE


