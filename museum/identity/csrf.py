"""Cross-site request forgery defences for cookie-authenticated writes: a per-session token and a same-origin check.

A Bearer-token request is exempt: the browser never attaches a token on its own, so it carries no ambient authority.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import current_app, request

from museum.core.errors import Forbidden

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "X-CSRF-Token"
FORM_FIELD = "csrf_token"


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allowed_origins() -> set[str]:
    """Return the origins the studio is served from: this request's host and the configured public URL.

    Both schemes count for this request's host: behind a proxy that ends TLS the app sees http while the
    browser says https.
    """
    origins = {f"{scheme}://{request.host}".lower() for scheme in ("http", "https")}
    base = current_app.config.get("MUSEUM_BASE_URL") or ""
    if base:
        origins.add(_origin_of(base))
    return origins


def request_origin() -> str | None:
    """Return the origin the browser says the request comes from (Origin, else Referer), or None."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.lower()
    if origin == "null":
        return "null"
    referer = request.headers.get("Referer")
    return _origin_of(referer) if referer else None


def check_same_origin(required: bool) -> None:
    """Refuse a request from another site; when `required`, also one that names no origin at all."""
    origin = request_origin()
    if origin is None:
        if required:
            raise Forbidden("This request names no origin (Origin or Referer); the studio refuses it.",
                            code="csrf_origin_missing")
        return
    if origin not in allowed_origins():
        raise Forbidden("This request comes from another site; the studio refuses it.", code="csrf_foreign_origin")


def check_token(expected: str) -> None:
    """Refuse a request that does not carry the session's CSRF token (header or form field)."""
    sent = request.headers.get(HEADER) or (request.form.get(FORM_FIELD) if request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data") else None) or ""
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(f"The CSRF token is missing or wrong; send the {HEADER} header from GET /api/v1/session.",
                        code="csrf_token_invalid")


def check_write(expected_token: str) -> None:
    """Run both checks on a state-changing request authenticated by the session cookie."""
    if request.method in WRITE_METHODS:
        check_same_origin(required=True)
        check_token(expected_token)
