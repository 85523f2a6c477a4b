"""The AR photo booth service: kiosk API, guests' share pages, templates, props and the purge of old photos.

Seeding: `museum.photos.templates.seed_photo_templates(session, store)` publishes the library's default
templates. The `photo.compose` and `photo.purge` jobs live in `museum.photos.compose_job`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the booth's blueprints, jobs, CLI commands and OpenAPI paths."""
    from museum.core import openapi
    from museum.photos import api, cli, compose_job, docs, kiosk_page, share, store

    compose_job.init_app(app)
    store.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(kiosk_page.bp)
    share.init_app(app)
    app.cli.add_command(cli.photos_group)
    openapi.add_paths(app, docs.PATHS, docs.SCHEMAS)
