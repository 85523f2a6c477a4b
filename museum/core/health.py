"""`GET /api/v1/health`: whether the museum can answer (database) and whether its job queue is moving.

A stalled queue answers 200 with `"status": "degraded"`, not 503: the web workers still serve visitors, and a load
balancer must not take every one of them out of rotation because photos wait. Only a database the museum cannot
use answers 503 (in the one error shape).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, Flask, current_app

from museum.core import db, migrate, openapi
from museum.core.errors import ApiError
from museum.core.jobs import queue_health

bp = Blueprint("health", __name__, url_prefix="/api/v1")


@cache
def _head() -> str | None:
    return migrate.head()  # read from the migration scripts once per process


def health_report(app: Flask) -> dict[str, Any]:
    """Return the museum's health: database revision and queue; raise a 503 ApiError when the database is unusable."""
    database = db.get_db(app)
    try:
        revision = migrate.current(database.engine)
    except Exception as exc:
        raise ApiError("The database cannot be reached.", code="database_unavailable", status=503) from exc
    if revision != _head():
        raise ApiError("The database is not at this museum's schema: run `museum init`.",
                       code="database_not_initialised", status=503)
    with database.read() as session:
        queue = queue_health(session)
    return {"status": "degraded" if queue.stalled else "ok", "database": {"revision": revision},
            "queue": queue.as_dict()}


@bp.get("/health")
def health() -> Any:
    """Answer the museum's health (200 ok or degraded; 503 when the database is unusable)."""
    return health_report(current_app), 200, {"Cache-Control": "no-store"}


_QUEUE = openapi.obj({
    "workers": {"type": "integer", "description": "Job workers that gave a sign of life in the last 20 s."},
    "waiting": {"type": "integer", "description": "Jobs due and not yet taken."},
    "running": openapi.INT,
    "oldest_wait_s": openapi.nullable(openapi.NUM),
    "photos_waiting": {"type": "integer", "description": "Guests' photos due and not yet taken."},
    "stalled": openapi.BOOL,
    "reason": openapi.nullable({"type": "string", "enum": ["no_worker", "not_claimed", "photos_waiting"]}),
})
OPENAPI_PATHS = {
    "/api/v1/health": {"get": {
        "summary": "Health of the museum: the database, and whether the job queue (photos, model tiers) is moving",
        "responses": {
            "200": {"description": "Serving; `status` is `degraded` when the job queue stalled",
                    "content": {"application/json": {"schema": openapi.ref("Health")}}},
            "503": {"description": "The database cannot be used (unreachable or not initialised)",
                    "content": {"application/json": {"schema": openapi.ref("Error")}}},
        },
    }},
}
OPENAPI_SCHEMAS = {"Health": openapi.obj({
    "status": {"type": "string", "enum": ["ok", "degraded"]},
    "database": openapi.obj({"revision": openapi.STR}),
    "queue": _QUEUE,
})}


def init_app(app: Flask) -> None:
    """Register the health endpoint and document it."""
    app.register_blueprint(bp)
    openapi.add_paths(app, OPENAPI_PATHS, OPENAPI_SCHEMAS)
