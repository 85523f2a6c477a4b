"""The managers' cockpit: privacy-safe visitor analytics, hourly and daily rollups, early warning, the dashboard.

    POST /api/v1/events                      visitors' pages send batched events (no sign-in)
    GET  /api/v1/cockpit/summary?from=&to=   managers and admins read every figure
    GET  /api/v1/cockpit/export.csv          the same figures by day
    GET  /cockpit                            the dashboard (static/src/cockpit.js)

The `cockpit.tick` job (every 5 minutes) rolls up finished hours, purges raw events older than
MUSEUM_EVENTS_RETENTION_DAYS and checks the alerts; booth events are recorded by `museum.cockpit.booth`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the cockpit's blueprints, job and OpenAPI paths."""
    from museum.cockpit import api, docs, live, page, tick
    from museum.core import openapi

    tick.init_app(app)
    app.extensions.setdefault("museum.at_start", []).append(live.warm)  # each web process folds its live figures
    app.register_blueprint(api.bp)
    app.register_blueprint(page.bp)
    openapi.add_paths(app, docs.PATHS, docs.SCHEMAS)
