"""The studio's pages: one HTML shell at /studio (its script is bundled from static/src like the visitor pages), and
preview links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template

from museum.catalogue.params import lang as request_lang
from museum.core import db
from museum.core.errors import Gone, NotFound
from museum.identity import preview

bp = Blueprint("studio_pages", __name__, template_folder="html")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: blob:; connect-src 'self' blob: data:; "
        "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'")
    response.headers["Referrer-Policy"] = "same-origin"
    return response


# The shell's own words, before the script draws the studio in the curator's language.
_SHELL = {
    "zh-Hans": {"title": "策展工作室", "skip": "跳到主要内容", "noscript": "策展工作室需要启用 JavaScript。"},
    "zh-Hant": {"title": "策展工作室", "skip": "跳到主要內容", "noscript": "策展工作室需要啟用 JavaScript。"},
    "en": {"title": "Curator studio", "skip": "Skip to content", "noscript": "The studio needs JavaScript."},
}


@bp.get("/studio")
def studio_page() -> Response:
    """Serve the studio (sign-in page, dashboard, editors) in the curator's language; the views are chosen by the
    URL's #fragment and drawn by static/build/studio.js."""
    from museum.catalogue.pages import static_url

    lang = request_lang()
    html = render_template("studio/page.html", lang=lang, **_SHELL[lang], js=static_url("build/studio.js"),
                           css=static_url("build/studio.css"))
    response = _no_store(Response(html, content_type="text/html; charset=utf-8"))
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/studio/preview/<token>")
def open_preview(token: str) -> Any:
    """Open a preview link: keep its token in a cookie and show the draft on the visitor page."""
    session = db.session()
    if preview.find_link(session, token) is None:
        raise NotFound("No preview link has this token; ask for one in the studio.", code="preview_not_found")
    link = preview.link_for_token(session, token)
    slug = preview.slug_of(session, link) if link is not None else None
    if link is None or slug is None:
        raise Gone("This preview link has expired, was revoked or is not valid; ask for a new one in the studio.",
                   code="preview_expired")
    response = redirect(preview.visitor_url(link.kind, slug), code=303)
    response.set_cookie(preview.COOKIE, token, max_age=int(preview.LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="Lax", secure=bool(current_app.config["MUSEUM_SESSION_COOKIE_SECURE"]))
    response.headers["Cache-Control"] = "no-store"
    return response
