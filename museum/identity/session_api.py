"""`/api/v1/session`: sign in, say who is signed in (with the CSRF token), sign out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from museum.core import payloads
from museum.identity import csrf, sessions
from museum.identity.payloads import SessionState, SignedIn, SignedInUser, SignedOut, SignIn
from museum.identity.principal import SESSION_COOKIE, current_principal

bp = Blueprint("studio_session", __name__, url_prefix="/api/v1/session")

_NO_STORE = {"Cache-Control": "no-store"}


@bp.post("")
def sign_in() -> Any:
    """Sign in with {name, password}: sets the session cookie and returns the CSRF token."""
    # No session exists yet to hold a token, so a sign-in from another site is refused by its origin alone.
    csrf.check_same_origin(required=False)
    sent = payloads.read(SignIn, "invalid_field")
    signed = sessions.sign_in(sent.name, sent.password, request.cookies.get(SESSION_COOKIE))
    response = jsonify(SignedIn(signed_in=True, user=SignedInUser(id=signed.user_id, name=signed.name,
                                                                  role=signed.role),
                                via="session", csrf_token=signed.csrf_token,
                                expires_at=signed.expires_at.isoformat()).answer())
    response.status_code = 201
    response.headers.update(_NO_STORE)
    sessions.set_cookie(response, signed)
    return response


@bp.get("")
def who() -> Any:
    """Say who is signed in (or that nobody is) and give the session's CSRF token."""
    principal = current_principal()
    secret = request.cookies.get(SESSION_COOKIE)
    token = sessions.csrf_token_for(secret) if principal and principal.via == "session" and secret else None
    user = SignedInUser(id=principal.user_id, name=principal.name, role=principal.role) if principal else None
    state = SessionState(signed_in=principal is not None, user=user, via=principal.via if principal else None,
                         csrf_token=token)
    return state.answer(), 200, _NO_STORE


@bp.delete("")
def sign_out() -> Any:
    """Sign out: end the session and clear the cookie (CSRF-checked like every cookie write)."""
    secret = request.cookies.get(SESSION_COOKIE)
    principal = current_principal()
    if secret and principal is not None and principal.via == "session":
        sessions.sign_out(secret, principal)
    response = jsonify(SignedOut(signed_in=False).answer())
    response.headers.update(_NO_STORE)
    sessions.clear_cookie(response)
    return response
