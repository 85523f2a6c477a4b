"""The curator studio: sign-in sessions, the write API with its draft -> review -> publish workflow, revisions,
the audit log, preview links and the studio pages.

Every write view parses, calls a service of this package, and serialises; the role checks live in
`museum.auth`. Errors are `museum.errors` (ApiError and its subclasses).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the studio's blueprints and document their routes."""
    from museum.api import openapi
    from museum.studio import admin_api, content_api, docs, pages, session_api

    app.register_blueprint(session_api.bp)
    app.register_blueprint(content_api.bp)
    app.register_blueprint(admin_api.bp)
    app.register_blueprint(pages.bp)
    openapi.add_paths(app, docs.PATHS, docs.SCHEMAS)
