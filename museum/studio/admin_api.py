"""`/api/v1/studio/users|tokens|kiosks|audit`: accounts, API tokens, kiosk devices and the audit log (admins only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import func, select

from museum import db
from museum.accounts import MIN_PASSWORD, create_user, hash_password
from museum.api import params
from museum.auth import Principal, create_api_token, current_principal, require_role
from museum.errors import NotFound, Unprocessable
from museum.kiosks import register_kiosk
from museum.models import ApiToken, AuditEvent, KioskDevice, Role, User, UserSession
from museum.models.base import utcnow
from museum.studio import audit
from museum.studio import fields as f
from museum.studio.jsonbody import body, text_field

bp = Blueprint("studio_admin", __name__, url_prefix="/api/v1/studio")

ADMIN = frozenset({Role.ADMIN.value})
_NO_STORE = {"Cache-Control": "no-store"}


def _me() -> Principal:
    principal = current_principal()
    assert principal is not None  # require_role ran first
    return principal


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def user_json(user: User) -> dict[str, Any]:
    """Describe a user (never the password hash)."""
    return {"id": user.id, "name": user.name, "role": user.role, "active": user.active,
            "has_password": user.password_hash is not None, "created_at": _iso(user.created_at)}


def token_json(token: ApiToken, owner: str) -> dict[str, Any]:
    """Describe an API token by its prefix (the secret is shown once, at creation)."""
    return {"id": token.id, "name": token.name, "prefix": token.prefix, "user": owner,
            "created_at": _iso(token.created_at), "last_used_at": _iso(token.last_used_at),
            "revoked_at": _iso(token.revoked_at)}


def kiosk_json(kiosk: KioskDevice) -> dict[str, Any]:
    """Describe a kiosk device by its token's prefix."""
    return {"id": kiosk.id, "name": kiosk.name, "prefix": kiosk.prefix, "created_at": _iso(kiosk.created_at),
            "last_seen_at": _iso(kiosk.last_seen_at), "revoked_at": _iso(kiosk.revoked_at)}


def _list(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}


@bp.get("/users")
@require_role(ADMIN)
def list_users() -> Any:
    """List staff accounts."""
    return _list([user_json(u) for u in db.session().scalars(select(User).order_by(User.name))]), 200, _NO_STORE


@bp.post("/users")
@require_role(ADMIN)
def add_user() -> Any:
    """Create a staff account ({name, role, password})."""
    data = body()
    session = db.session()
    password = data.get("password")
    if not isinstance(password, str):
        raise Unprocessable(f"Give a password of at least {MIN_PASSWORD} characters.", code="weak_password",
                            pointer="/password")
    user = create_user(session, text_field(data, "name", 80), str(data.get("role", "")), password)
    audit.record(session, "user_create", _me(), target_type="user", target_id=user.id,
                 detail={"name": user.name, "role": user.role})
    session.commit()
    return user_json(user), 201, _NO_STORE


@bp.patch("/users/<int:user_id>")
@require_role(ADMIN)
def change_user(user_id: int) -> Any:
    """Change a user's role, password or whether the account is active (which ends their sessions)."""
    data = body()
    session = db.session()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.", code="user_not_found")
    changed: dict[str, Any] = {}
    if "role" in data:
        user.role = changed["role"] = f.choice(data["role"], "/role", tuple(r.value for r in Role))
    if "active" in data:
        user.active = changed["active"] = f.boolean(data["active"], "/active")
    if "password" in data:
        password = data["password"]
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            raise Unprocessable(f"A password has at least {MIN_PASSWORD} characters.", code="weak_password",
                                pointer="/password")
        user.password_hash = hash_password(password)
        changed["password"] = "changed"
    if changed:
        # A new role, password or a closed account must not leave an old session with old powers.
        for row in session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
            session.delete(row)
    audit.record(session, "user_change", _me(), target_type="user", target_id=user.id, detail=changed)
    session.commit()
    return user_json(user), 200, _NO_STORE


@bp.get("/tokens")
@require_role(ADMIN)
def list_tokens() -> Any:
    """List API tokens of every user."""
    rows = db.session().execute(select(ApiToken, User.name).join(User).order_by(ApiToken.id)).all()
    return _list([token_json(t, owner) for t, owner in rows]), 200, _NO_STORE


@bp.post("/tokens")
@require_role(ADMIN)
def add_token() -> Any:
    """Create an API token for a user ({name, user_id}); the secret is in this answer only."""
    data = body()
    session = db.session()
    user = session.get(User, f.integer(data.get("user_id"), "/user_id", 1, 2**62))
    if user is None:
        raise Unprocessable("No such user.", code="unknown_reference", pointer="/user_id")
    secret = create_api_token(session, user, text_field(data, "name", 80))
    session.flush()
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())).first()
    assert token is not None
    audit.record(session, "token_create", _me(), target_type="api_token", target_id=token.id,
                 detail={"name": token.name, "prefix": token.prefix, "user": user.name})
    session.commit()
    return {**token_json(token, user.name), "token": secret}, 201, _NO_STORE


@bp.delete("/tokens/<int:token_id>")
@require_role(ADMIN)
def revoke_token(token_id: int) -> Any:
    """Revoke an API token."""
    session = db.session()
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No API token {token_id}.", code="token_not_found")
    token.revoked_at = token.revoked_at or utcnow()
    audit.record(session, "token_revoke", _me(), target_type="api_token", target_id=token.id,
                 detail={"prefix": token.prefix})
    session.commit()
    return "", 204


@bp.get("/kiosks")
@require_role(ADMIN)
def list_kiosks() -> Any:
    """List kiosk devices."""
    rows = db.session().scalars(select(KioskDevice).order_by(KioskDevice.name))
    return _list([kiosk_json(k) for k in rows]), 200, _NO_STORE


@bp.post("/kiosks")
@require_role(ADMIN)
def add_kiosk() -> Any:
    """Register a kiosk device ({name}); its device token is in this answer only."""
    name = text_field(body(), "name", 80)
    session = db.session()
    secret = register_kiosk(session, name)
    kiosk = session.scalar(select(KioskDevice).where(KioskDevice.name == name))
    assert kiosk is not None
    audit.record(session, "kiosk_register", _me(), target_type="kiosk", target_id=kiosk.id,
                 detail={"name": name, "prefix": kiosk.prefix})
    session.commit()
    return {**kiosk_json(kiosk), "token": secret}, 201, _NO_STORE


@bp.delete("/kiosks/<int:kiosk_id>")
@require_role(ADMIN)
def revoke_kiosk(kiosk_id: int) -> Any:
    """Revoke a kiosk device's token."""
    session = db.session()
    kiosk = session.get(KioskDevice, kiosk_id)
    if kiosk is None:
        raise NotFound(f"No kiosk {kiosk_id}.", code="kiosk_not_found")
    kiosk.revoked_at = kiosk.revoked_at or utcnow()
    audit.record(session, "kiosk_revoke", _me(), target_type="kiosk", target_id=kiosk.id,
                 detail={"name": kiosk.name})
    session.commit()
    return "", 204


@bp.get("/audit")
@require_role(ADMIN)
def audit_log() -> Any:
    """Read the audit log, newest first (?action=, ?page=, ?per_page=)."""
    page = params.page()
    stmt = select(AuditEvent)
    if action := params.choice_arg("action", _ACTIONS):
        stmt = stmt.where(AuditEvent.action == action)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEvent.id.desc()).offset(page.offset).limit(page.per_page))
    items = [{"id": r.id, "at": _iso(r.at), "actor": r.actor, "action": r.action, "target_type": r.target_type,
              "target_id": r.target_id, "detail": r.detail, "ip": r.ip} for r in rows]
    return {"items": items, "total": total, "page": page.page, "per_page": page.per_page}, 200, _NO_STORE


_ACTIONS = ("sign_in", "sign_in_failed", "sign_in_limited", "sign_out", "upload", "create", "edit", "delete",
            "submit", "publish", "reject", "unpublish", "user_create", "user_change", "token_create",
            "token_revoke", "kiosk_register", "kiosk_revoke")
