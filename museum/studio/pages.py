"""The studio's pages: one HTML shell at /studio (the views are ES modules), its files, and preview links."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request
from werkzeug.security import safe_join

from museum.errors import Gone, NotFound
from museum.studio import preview

bp = Blueprint("studio_pages", __name__)

STATIC = Path(__file__).resolve().parents[2] / "static"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: blob:; connect-src 'self' blob: data:; "
        "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'")
    response.headers["Referrer-Policy"] = "same-origin"
    return response


_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json",
          ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".wasm": "application/wasm"}


def _file(folder: Path, name: str, missing: str) -> Response:
    """Return a file below a folder with an ETag (revalidated on every use), or a 404."""
    joined = safe_join(str(folder), name)
    path = Path(joined) if joined else None
    if path is None or not path.is_file() or "/." in "/" + name:
        raise NotFound(missing, code="file_not_found")
    data = path.read_bytes()
    response = Response(data, content_type=_TYPES.get(path.suffix, "application/octet-stream"))
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response


@bp.get("/studio")
def studio_page() -> Response:
    """Serve the studio (sign-in page, dashboard, editors); the views are chosen by the URL's #fragment."""
    return _no_store(_file(STATIC / "studio", "index.html", "The studio page is missing."))


@bp.get("/studio/static/<path:name>")
def studio_file(name: str) -> Response:
    """Serve a file of the studio's pages (scripts, styles)."""
    return _file(STATIC / "studio", name, f"No studio file {name!r}.")


@bp.get("/studio/build/<path:name>")
def studio_bundle(name: str) -> Response:
    """Serve a bundle built from static/src (the 3D placement editor with three.js)."""
    return _file(STATIC / "build", name, f"No bundle {name!r}; run `npm run build`.")


@bp.get("/studio/preview/<token>")
def open_preview(token: str) -> Any:
    """Open a preview link: keep its token in a cookie and show the draft on the visitor page."""
    data = preview.read_token(token)
    if data is None:
        raise Gone("This preview link has expired or is not valid; ask for a new one in the studio.",
                   code="preview_expired")
    response = redirect(preview.visitor_url(str(data.get("k")), str(data.get("s"))), code=303)
    response.set_cookie(preview.COOKIE, token, max_age=int(preview.LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="Lax", secure=bool(current_app.config["MUSEUM_SESSION_COOKIE_SECURE"]))
    response.headers["Cache-Control"] = "no-store"
    return response
