"""Studio sign-in sessions: a random id in an HttpOnly cookie, only its SHA-256 in `user_sessions`.

A session ends when it has been idle for IDLE or lived for LIFETIME, whichever comes first; every sign-in makes a
new id (the one the browser held before is deleted), so a planted id never becomes a signed-in one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Response, current_app, request
from sqlalchemy import delete, select

from museum.core import db, ratelimit
from museum.core.errors import TooManyRequests, Unauthorized
from museum.identity import audit, csrf
from museum.identity.accounts import verify_password
from museum.identity.credentials import SESSION_COOKIE, Principal, hash_token
from museum.models import User, UserSession
from museum.models.base import utcnow

IDLE = timedelta(hours=2)
LIFETIME = timedelta(hours=12)
_TOUCH_EVERY = timedelta(minutes=1)

# Failed sign-ins slow down the pair (account, address) that failed, and an address that fails across many
# accounts; neither ever waits more than a minute, so a stranger guessing an admin's password cannot lock them out.
PER_PAIR = ratelimit.Backoff(free=5, window=timedelta(minutes=15), longest=timedelta(seconds=60))
PER_ADDRESS = ratelimit.Backoff(free=50, window=timedelta(minutes=15), longest=timedelta(seconds=60))

SIGN_IN_FAILED = "The name or the password is wrong."


@dataclass(frozen=True)
class SignedIn:
    """A new session: the cookie's secret (never stored), its CSRF token, the user and when it ends."""

    secret: str
    csrf_token: str
    user_id: int
    name: str
    role: str
    expires_at: datetime


def _keys(name: str, ip: str) -> tuple[str, str]:
    return f"sign-in:{name.lower()[:80]}@{ip[:64]}", f"sign-in:ip:{ip[:64]}"


def _check_rate(name: str, ip: str) -> None:
    pair, address = _keys(name, ip)
    with db.get_db().write() as session:
        wait = max(ratelimit.seconds_to_wait(session, pair), ratelimit.seconds_to_wait(session, address))
        if wait:
            audit.record(session, "sign_in_limited", actor=name, target_type="user", target_id=name,
                         detail={"wait_s": wait})
    if wait:
        raise TooManyRequests(f"Too many failed sign-ins; wait {wait} seconds and try again.",
                              code="sign_in_rate_limited", headers={"Retry-After": str(wait)})


def _count_failure(session: Any, name: str, ip: str) -> None:
    pair, address = _keys(name, ip)
    ratelimit.record_failure(session, pair, PER_PAIR)
    ratelimit.record_failure(session, address, PER_ADDRESS)


def sign_in(name: str, password: str, old_secret: str | None) -> SignedIn:
    """Check a name and password and open a new session, or raise the same 401 whatever was wrong."""
    ip = audit.client_ip()
    _check_rate(name, ip)
    with db.get_db().read() as session:
        user = session.scalar(select(User).where(User.name == name))
        stored = user.password_hash if user is not None else None
    # verify_password spends the same argon2 work when there is no such user, so timing tells nothing either.
    ok = verify_password(stored, password) and user is not None and user.active
    with db.get_db().write() as session:
        if not ok or user is None:
            audit.record(session, "sign_in_failed", actor=name, target_type="user", target_id=name,
                         detail={"reason": "unknown user" if user is None else "wrong password or inactive"})
            _count_failure(session, name, ip)
            failed = True
        else:
            failed = False
            if old_secret:
                session.execute(delete(UserSession).where(UserSession.token_hash == hash_token(old_secret)))
            secret, token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            now = utcnow()
            session.add(UserSession(user_id=user.id, token_hash=hash_token(secret), csrf_token=token,
                                    created_at=now, last_seen_at=now, expires_at=now + LIFETIME, ip=ip[:64],
                                    user_agent=request.headers.get("User-Agent", "")[:300]))
            ratelimit.clear(session, _keys(name, ip)[0])
            principal = Principal(user_id=user.id, name=user.name, role=user.role, via="session")
            audit.record(session, "sign_in", principal, target_type="user", target_id=user.id)
    if failed or user is None:
        raise Unauthorized(SIGN_IN_FAILED, code="sign_in_failed")
    return SignedIn(secret, token, user.id, user.name, user.role, now + LIFETIME)


def _alive(row: UserSession, now: datetime) -> bool:
    return now < row.expires_at and now - row.last_seen_at < IDLE


def session_row(secret: str) -> tuple[UserSession, User] | None:
    """Return the live session and its user for a cookie's secret, or None."""
    found = db.session().execute(
        select(UserSession, User).join(User).where(UserSession.token_hash == hash_token(secret))
    ).first()
    if found is None:
        return None
    row, user = found
    return (row, user) if _alive(row, utcnow()) and user.active else None


def principal_for_cookie(secret: str) -> Principal | None:
    """Return who a session cookie belongs to; on a write, refuse it unless the CSRF checks pass."""
    found = session_row(secret)
    if found is None:
        return None
    row, user = found
    csrf.check_write(row.csrf_token)
    db.mark_seen(row, _TOUCH_EVERY)  # keeps an active session from idling out
    return Principal(user_id=user.id, name=user.name, role=user.role, via="session")


def csrf_token_for(secret: str) -> str | None:
    """Return the CSRF token of a live session."""
    found = session_row(secret)
    return found[0].csrf_token if found else None


def sign_out(secret: str, principal: Principal | None) -> None:
    """End the session a cookie names (in the request's own write transaction)."""
    session = db.session()
    session.execute(delete(UserSession).where(UserSession.token_hash == hash_token(secret)))
    if principal is not None:
        audit.record(session, "sign_out", principal, target_type="user", target_id=principal.user_id)
    session.commit()


def set_cookie(response: Response, signed: SignedIn) -> None:
    """Put the session id into the cookie: HttpOnly, SameSite=Lax, Secure unless configured off for local http."""
    response.set_cookie(SESSION_COOKIE, signed.secret, max_age=int(LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="Lax", secure=bool(current_app.config["MUSEUM_SESSION_COOKIE_SECURE"]))


def clear_cookie(response: Response) -> None:
    """Tell the browser to forget the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax",
                           secure=bool(current_app.config["MUSEUM_SESSION_COOKIE_SECURE"]))
