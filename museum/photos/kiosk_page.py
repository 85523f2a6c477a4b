"""The booth page /kiosk and its plain ES modules (static/kiosk/, three.js from node_modules)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, render_template, send_from_directory

from museum.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]
KIOSK_STATIC = ROOT / "static" / "kiosk"
THREE = ROOT / "node_modules" / "three"
# Only the module builds and the example add-ons are served, never the rest of node_modules.
THREE_PARTS = ("build/", "examples/jsm/")

bp = Blueprint("kiosk_page", __name__, template_folder="html")


@bp.get("/kiosk")
def kiosk() -> str:
    """Serve the booth page (full screen, touch, zh + en)."""
    return render_template("photos/kiosk.html")


def _send(folder: Path, name: str) -> Response:
    response = send_from_directory(folder, name, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/kiosk/static/<path:name>")
def kiosk_static(name: str) -> Response:
    """Serve the booth's and the share page's scripts and styles."""
    return _send(KIOSK_STATIC, name)


@bp.get("/kiosk/lib/three/<path:name>")
def three_module(name: str) -> Response:
    """Serve three.js modules from node_modules (the booth renders its props with them)."""
    if not name.startswith(THREE_PARTS) or not name.endswith(".js"):
        raise NotFound("No such module.", code="module_not_found")
    return _send(THREE, name)
