"""The managers' dashboard page, /cockpit: an HTML shell; static/build/cockpit.js signs in and draws the charts."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from museum.catalogue.params import lang as request_lang

bp = Blueprint("cockpit_page", __name__, template_folder="html")

TITLES = {"zh-Hans": "管理驾驶舱", "zh-Hant": "管理駕駛艙", "en": "Management cockpit"}
# ECharts sets styles on its own elements and tooltips: allow inline styles, but scripts only from the museum.
CSP = ("default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; script-src 'self'; "
       "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")


@bp.get("/cockpit")
def cockpit_page() -> Response:
    """Serve the dashboard (sign-in first for anyone not signed in as a manager or admin)."""
    from museum.catalogue.pages import static_url

    lang = request_lang()
    html = render_template("cockpit/page.html", lang=lang, title=TITLES[lang], js=static_url("build/cockpit.js"),
                           css=static_url("build/cockpit.css"))
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Vary"] = "Accept-Language"
    return response
