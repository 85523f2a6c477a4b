"""The inquiry kiosk's page `/inquiry` and its service worker `/inquiry-sw.js` (esbuild bundles in static/build).

The service worker is served from the site's root so that its scope can cover `/inquiry`; it caches what the page
fetches (the page, its bundles, the API's answers, the whole-gallery GLBs, posters) and answers from that cache when
the network drops.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from museum.catalogue.pages import STATIC_DIR, file_hash, static_url
from museum.core.errors import NotFound

bp = Blueprint("inquiry_page", __name__, template_folder="html")


@bp.get("/inquiry")
def inquiry() -> Response:
    """Serve the kiosk page (full screen, touch, three languages)."""
    response = Response(render_template("inquiry/inquiry.html", static_url=static_url),
                        content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/inquiry-sw.js")
def service_worker() -> Response:
    """Serve the kiosk's service worker (revalidated on every check, so a new build replaces it)."""
    path = STATIC_DIR / "build" / "inquiry_sw.js"
    if not path.is_file():
        raise NotFound("The kiosk's service worker is not built (run scripts/setup.sh).", code="static_not_found")
    response = Response(path.read_bytes(), content_type="text/javascript; charset=utf-8")
    response.set_etag(file_hash(path)[:32])
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/inquiry"
    response.make_conditional(request)
    return response
