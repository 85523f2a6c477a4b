"""Preview links: a random token in a URL that lets any device see one draft exactly as visitors will.

Each link is a row (only the token's SHA-256 is kept) naming one piece of content; it shows that piece and what it
holds (a gallery: the exhibits placed in it; a tour: its stops' galleries and exhibits) and nothing else, until it
expires or a reviewer revokes it. Opening the link stores the token in a cookie and sends the browser to the visitor
page. The cookie's name ends in `museum_session=` on purpose: the shared response cache treats every request that
carries such a cookie as personal, so draft answers never land in the cache anonymous visitors read from.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import g, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core import db
from museum.identity.credentials import hash_token
from museum.models import Era, Exhibit, Gallery, PreviewLink, TimelineEvent, Tour
from museum.models.base import utcnow

COOKIE = "preview_museum_session"
LIFETIME = timedelta(hours=24)
_MODELS: dict[str, Any] = {"exhibits": Exhibit, "galleries": Gallery, "tours": Tour, "eras": Era,
                           "events": TimelineEvent}


def create(session: Session, kind: str, row_id: int, user_id: int | None) -> tuple[str, PreviewLink]:
    """Make a link to one piece of content; return its token (shown once, never stored) and its row."""
    token = secrets.token_urlsafe(24)
    now = utcnow()
    link = PreviewLink(token_hash=hash_token(token), kind=kind, row_id=row_id, created_by_user_id=user_id,
                       created_at=now, expires_at=now + LIFETIME)
    session.add(link)
    session.flush()
    return token, link


def active_links(session: Session, kind: str, row_id: int) -> list[PreviewLink]:
    """Return the links to a piece of content that still work, newest first."""
    return list(session.scalars(select(PreviewLink).where(
        PreviewLink.kind == kind, PreviewLink.row_id == row_id, PreviewLink.revoked_at.is_(None),
        PreviewLink.expires_at > utcnow()).order_by(PreviewLink.id.desc())))


def revoke(session: Session, link_id: int) -> PreviewLink | None:
    """Stop a link from working (at once, on every device that opened it); None when there is no such link."""
    link = session.get(PreviewLink, link_id)
    if link is not None and link.revoked_at is None:
        link.revoked_at = utcnow()
    return link


def find_link(session: Session, token: str) -> PreviewLink | None:
    """Return the link a token was made for, whether it still works or not; None for a token never made."""
    if not token or len(token) > 100:
        return None
    return session.scalar(select(PreviewLink).where(PreviewLink.token_hash == hash_token(token)))


def link_for_token(session: Session, token: str) -> PreviewLink | None:
    """Return the link of a token while it works (not expired, not revoked), else None."""
    link = find_link(session, token)
    if link is None or link.revoked_at is not None or link.expires_at <= utcnow():
        return None
    return link


def link_json(link: PreviewLink) -> dict[str, Any]:
    """Describe a link for the studio (never its token, which only the first answer carries)."""
    return {"id": link.id, "kind": link.kind, "row_id": link.row_id, "created_at": link.created_at.isoformat(),
            "expires_at": link.expires_at.isoformat(),
            "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None}


def slug_of(session: Session, link: PreviewLink) -> str | None:
    """Return the slug of what a link shows now (it follows a rename), or None when it is gone."""
    row = session.get(_MODELS[link.kind], link.row_id) if link.kind in _MODELS else None
    return row.slug if row is not None else None


def _shown(session: Session, link: PreviewLink) -> frozenset[tuple[str, str]]:
    row = session.get(_MODELS[link.kind], link.row_id) if link.kind in _MODELS else None
    if row is None:
        return frozenset()
    shown = {(link.kind, row.slug)}
    if isinstance(row, Gallery):
        shown |= {("exhibits", p.exhibit.slug) for p in row.placements}
    elif isinstance(row, Tour):
        for stop in row.stops:
            shown.add(("galleries", stop.gallery.slug))
            if stop.exhibit is not None:
                shown.add(("exhibits", stop.exhibit.slug))
    return frozenset(shown)


def shown_by_cookie() -> frozenset[tuple[str, str]]:
    """Return the (kind, slug) pairs the preview cookie of this read-only request shows (empty without one)."""
    if "preview_shown" not in g:
        token = request.cookies.get(COOKIE)
        shown: frozenset[tuple[str, str]] = frozenset()
        if token and request.method in ("GET", "HEAD"):
            session = db.session()
            link = link_for_token(session, token)
            shown = _shown(session, link) if link is not None else frozenset()
        g.preview_shown = shown
    return g.preview_shown


def visitor_url(kind: str, slug: str) -> str:
    """Return the visitor page that shows a piece of content."""
    pages = {"exhibits": f"/e/{slug}", "galleries": f"/g/{slug}", "tours": f"/t/{slug}", "eras": "/timeline",
             "events": "/timeline"}
    return pages.get(kind, "/")
