"""HTTP blueprints: the JSON API v1, its OpenAPI document, and content-hashed files."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint of the museum."""
    from museum.api import catalogue, files, openapi

    app.register_blueprint(catalogue.bp)
    app.register_blueprint(files.bp)
    app.register_blueprint(openapi.bp)

    from museum import assets_api, gallery_export, opendata

    assets_api.init_app(app)
    opendata.init_app(app)
    gallery_export.init_app(app)

    from museum import studio

    studio.init_app(app)

    from museum import photos

    photos.init_app(app)

    from museum import pages

    pages.init_app(app)
