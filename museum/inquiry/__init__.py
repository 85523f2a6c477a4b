"""The inquiry kiosk: `/inquiry`, a touch-screen mode of the museum for the exhibition centre's standing screens.

An attract loop of the galleries until someone touches the screen; then large buttons for the galleries, the
exhibits, the timeline and search (with an on-screen keyboard), a QR code on every view that hands the visit to
the visitor's phone, and a reset to the loop when nobody touches it for a while. A screen runs with a device token
of the kind `inquiry` (`museum kiosk register NAME --kind inquiry`); a service worker keeps the pages, the API's
answers and each gallery's whole-gallery GLB so the screen goes on working when the network drops. Sessions (from
the first touch to the reset) are counted in the cockpit as `inquiry_session` events the server records.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the kiosk's page, service worker, API and their OpenAPI paths."""
    from museum.core import openapi
    from museum.inquiry import api, docs, page

    app.register_blueprint(api.bp)
    app.register_blueprint(page.bp)
    openapi.add_paths(app, docs.PATHS, docs.SCHEMAS)
