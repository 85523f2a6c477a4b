"""Preview links: a signed, expiring token in a URL that lets any device see one draft exactly as visitors will.

Opening the link stores the token in a cookie and sends the browser to the visitor page, whose API calls then see
drafts. The cookie's name ends in `museum_session=` on purpose: the shared response cache treats every request that
carries such a cookie as personal, so draft answers never land in the cache anonymous visitors read from.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from museum.models.base import utcnow

COOKIE = "preview_museum_session"
LIFETIME = timedelta(hours=24)
_SALT = "museum.studio.preview"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_token(kind: str, row_id: int, slug: str) -> tuple[str, datetime]:
    """Return a preview token for one piece of content and when it expires."""
    return _serializer().dumps({"k": kind, "i": row_id, "s": slug}), utcnow() + LIFETIME


def read_token(token: str) -> dict[str, Any] | None:
    """Return what a preview token names, or None when it is forged or expired."""
    try:
        data = _serializer().loads(token, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def preview_cookie_valid() -> bool:
    """Return whether this (read-only) request carries a valid preview cookie."""
    if "preview_ok" not in g:
        token = request.cookies.get(COOKIE)
        g.preview_ok = bool(token) and request.method in ("GET", "HEAD") and read_token(token or "") is not None
    return bool(g.preview_ok)


def visitor_url(kind: str, slug: str) -> str:
    """Return the visitor page that shows a piece of content."""
    pages = {"exhibits": f"/e/{slug}", "galleries": f"/g/{slug}", "tours": f"/t/{slug}", "eras": "/timeline",
             "events": "/timeline"}
    return pages.get(kind, "/")
