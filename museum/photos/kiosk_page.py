"""The booth page /kiosk; its script and styles are esbuild bundles in static/build (kiosk.js, kiosk.css)."""

from __future__ import annotations

from flask import Blueprint, render_template

from museum.catalogue.pages import static_url

bp = Blueprint("kiosk_page", __name__, template_folder="html")


@bp.get("/kiosk")
def kiosk() -> str:
    """Serve the booth page (full screen, touch, zh + en)."""
    return render_template("photos/kiosk.html", static_url=static_url)
