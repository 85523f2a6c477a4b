"""The curator studio: sign-in sessions, the write API with its draft -> review -> publish workflow, revisions,
the audit log, preview links and the studio pages.

Every write view parses, calls a service of this package, and serialises; the role checks live in
`museum.identity.principal`. Errors are `museum.core.errors` (ApiError and its subclasses).

From a script (a curator's API token needs no CSRF token):

    curl -H "Authorization: Bearer mus_..." /api/v1/studio/exhibits                      # list, drafts included
    curl -X POST -H "Authorization: Bearer mus_..." -H "Content-Type: application/json" \
         -d '{"slug": "x-ray-tube", "title": {"en": "X-ray tube"}}' /api/v1/studio/exhibits
    curl -X PATCH ... -H 'If-Match: "1"' -d '{"summary": {"en": "..."}}' /api/v1/studio/exhibits/7   # 412 if stale
    curl -X POST ... -d '{"status": "review"}' /api/v1/studio/exhibits/7/status

From a browser: POST /api/v1/session {name, password} sets the HttpOnly cookie and returns `csrf_token`; every
later POST/PUT/PATCH/DELETE sends it as X-CSRF-Token from the studio's own origin.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the studio's blueprints and document their routes."""
    from museum.core import openapi
    from museum.identity import session_api
    from museum.studio import admin_api, content_api, docs, pages

    app.register_blueprint(session_api.bp)
    app.register_blueprint(content_api.bp)
    app.register_blueprint(admin_api.bp)
    app.register_blueprint(pages.bp)
    openapi.add_paths(app, docs.PATHS, docs.SCHEMAS)
