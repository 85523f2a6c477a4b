"""Who is asking: curators' API tokens and studio sessions (cookie plus CSRF token), and the role checks on views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import g, request
from sqlalchemy import select, update

from museum.core import db
from museum.core.errors import Forbidden, Unauthorized
from museum.identity.credentials import (
    SESSION_COOKIE,
    TOKEN_PREFIX,
    Principal,
    hash_token,
)
from museum.identity.preview import shown_by_cookie
from museum.identity.sessions import principal_for_cookie
from museum.models import ApiToken, Role, User
from museum.models.base import utcnow

# Roles allowed to do each kind of thing.
CAN_EDIT = frozenset({Role.ADMIN.value, Role.CURATOR.value})
CAN_REVIEW = frozenset({Role.ADMIN.value, Role.CURATOR.value, Role.REVIEWER.value})


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


def can_see_drafts(kind: str | None = None, slug: str | None = None) -> bool:
    """Return whether the requester may see unpublished content: staff may see all of it; a preview link's cookie
    shows only the piece it names (`kind`, `slug`) and what that piece holds, never lists of drafts."""
    principal = current_principal()
    if principal is not None:
        return principal.role in CAN_REVIEW
    return kind is not None and slug is not None and (kind, slug) in shown_by_cookie()


def shows(row: Any, kind: str) -> bool:
    """Return whether the requester sees a row of `kind`: published, or a draft they may see."""
    return bool(row.is_published) or can_see_drafts(kind, row.slug)
