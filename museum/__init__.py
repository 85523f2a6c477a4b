"""The museum's Flask app: a catalogue of 3D galleries and exhibits served to a WebXR front end."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from museum.core import config as museum_config


def _secret_key(instance: Path) -> str:
    """Return the instance's secret key, creating it on first use."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _register_features(app: Flask) -> None:
    """Register every feature's routes, commands and jobs on the app."""
    from museum import cockpit, inquiry, photos, studio
    from museum.catalogue import api as catalogue_api
    from museum.catalogue import iiif, pages, scene_export
    from museum.core import health, openapi
    from museum.uploads import api as uploads_api
    from museum.uploads import files

    catalogue_api.init_app(app)
    files.init_app(app)
    app.register_blueprint(openapi.bp)
    uploads_api.init_app(app)
    health.init_app(app)
    iiif.init_app(app)
    scene_export.init_app(app)
    studio.init_app(app)
    photos.init_app(app)
    inquiry.init_app(app)
    cockpit.init_app(app)
    pages.init_app(app)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the museum app from defaults, MUSEUM_* environment variables and an optional test config."""
    instance = museum_config.instance_path()
    if test_config and test_config.get("INSTANCE_PATH"):
        instance = Path(test_config["INSTANCE_PATH"]).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance), static_folder=None)

    settings: dict[str, Any] = dict(museum_config.DEFAULTS)
    settings.update(museum_config.from_environment())
    if test_config:
        settings.update(test_config)
    settings["DATABASE_URL"] = settings["DATABASE_URL"] or f"sqlite:///{instance / 'museum.db'}"
    settings["STORAGE_DIR"] = str(Path(settings["STORAGE_DIR"] or instance / "storage").resolve())
    settings["SECRET_KEY"] = settings["SECRET_KEY"] or _secret_key(instance)
    app.config.update({f"MUSEUM_{k}": v for k, v in settings.items()})
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"],
        MAX_CONTENT_LENGTH=settings["MAX_UPLOAD_BYTES"],
        JSON_AS_ASCII=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["SESSION_COOKIE_SECURE"],
        TESTING=bool(settings.get("TESTING", False)),
    )

    from museum.core import db, errors, http_cache, jobs, storage

    errors.init_app(app)
    db.init_app(app, db.Database(settings["DATABASE_URL"], settings["SQLITE_BUSY_TIMEOUT_MS"]))
    app.extensions["museum.storage"] = storage.LocalFileStore(Path(settings["STORAGE_DIR"]))
    http_cache.init_app(app)
    jobs.init_app(app)

    if settings["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind nginx the connection comes from the proxy: take the client's address and scheme from the
        # headers the trusted proxies set, so rate limits, the audit log and same-origin checks see the visitor.
        hops = int(settings["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from museum.core.bounds import IdConverter

    # Before any blueprint: every <int:id> in a route is bounded to what the database can hold.
    app.url_map.converters["int"] = IdConverter
    _register_features(app)

    from museum.core import headers

    headers.init_app(app)

    return app
