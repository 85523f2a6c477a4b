"""Who is asking: curators' API tokens and studio sessions (cookie plus CSRF token), and the role checks on views."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import g, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from museum import db
from museum.errors import Forbidden, Unauthorized
from museum.models import ApiToken, Role, User
from museum.models.base import utcnow

TOKEN_PREFIX = "mus_"
SESSION_COOKIE = "museum_session"
KIOSK_PREFIX = "kio_"

# Roles allowed to do each kind of thing.
CAN_EDIT = frozenset({Role.ADMIN.value, Role.CURATOR.value})
CAN_REVIEW = frozenset({Role.ADMIN.value, Role.CURATOR.value, Role.REVIEWER.value})


def hash_token(token: str) -> str:
    """Return the SHA-256 under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(prefix: str) -> str:
    """Return a new random token (256 bits from the OS CSPRNG) with a recognisable prefix."""
    return prefix + secrets.token_urlsafe(32)


def create_api_token(session: Session, user: User, name: str) -> str:
    """Create an API token for a user and return its secret (shown once)."""
    token = new_token(TOKEN_PREFIX)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=hash_token(token), prefix=token[:10]))
    return token


@dataclass(frozen=True)
class Principal:
    """A signed-in person (by session or API token)."""

    user_id: int
    name: str
    role: str
    via: str  # token | session


def bearer_token() -> str | None:
    """Return the bearer token of the request, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


_TOUCH_EVERY = timedelta(minutes=1)


def _touch(api_token: ApiToken) -> None:
    """Record when a token was last used (at most once a minute, so reads stay reads)."""
    now = utcnow()
    if api_token.last_used_at is not None and now - api_token.last_used_at < _TOUCH_EVERY:
        return
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        api_token.last_used_at = now  # committed with the request's own write transaction
        return
    # A read request holds no write lock, so a short write transaction of its own cannot wait on itself.
    with db.get_db().write() as write:
        write.execute(update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now))


def current_principal() -> Principal | None:
    """Return who is making the request, or None for an anonymous visitor.

    A Bearer token wins over a cookie: a script's token carries no ambient authority, so it needs no CSRF check.
    A studio session (cookie) on a state-changing request must pass the CSRF check, or the request is refused.
    """
    if "principal" in g:
        return g.principal
    principal = None
    token = bearer_token()
    if token and token.startswith(TOKEN_PREFIX):
        session = db.session()
        row = session.execute(
            select(ApiToken, User).join(User).where(ApiToken.token_hash == hash_token(token))
        ).first()
        if row is None or row[0].revoked_at is not None or not row[1].active:
            raise Unauthorized("The API token is unknown or revoked.", code="invalid_token",
                               headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        api_token, user = row
        principal = Principal(user_id=user.id, name=user.name, role=user.role, via="token")
        _touch(api_token)
    elif token:
        raise Unauthorized("This kind of token is not accepted here.", code="invalid_token",
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    elif request.cookies.get(SESSION_COOKIE):
        from museum.studio.sessions import principal_for_cookie

        principal = principal_for_cookie(request.cookies[SESSION_COOKIE])
    g.principal = principal
    return principal


def require_role(roles: frozenset[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a view run only for a principal with one of the roles."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                raise Unauthorized("Sign in or send a curator API token.",
                                   headers={"WWW-Authenticate": "Bearer"})
            if principal.role not in roles:
                raise Forbidden(f"The role {principal.role!r} may not do this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def can_see_drafts() -> bool:
    """Return whether the requester may see unpublished content (staff, or a valid preview link's cookie)."""
    principal = current_principal()
    if principal is not None:
        return principal.role in CAN_REVIEW
    from museum.studio.preview import preview_cookie_valid

    return preview_cookie_valid()
