"""`GET /api/v1/health`: whether the museum can answer (database) and whether its job queue is moving.

A stalled queue answers 200 with `"status": "degraded"`, not 503: the web workers still serve visitors, and a load
balancer must not take every one of them out of rotation because photos wait. Only a database the museum cannot
use answers 503 (in the one error shape).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from flask import Blueprint, Flask, current_app
from pydantic import Field

from museum.core import db, migrate, openapi, payloads
from museum.core.errors import ApiError
from museum.core.jobs import QueueHealth, queue_health
from museum.core.payloads import Reply

bp = Blueprint("health", __name__, url_prefix="/api/v1")


@cache
def _head() -> str | None:
    return migrate.head()  # read from the migration scripts once per process


class Database(Reply):
    """The database the museum answers from."""

    revision: str | None = Field(description="Its schema's migration")


class Health(Reply):
    """Whether the museum can answer, and whether its job queue (photos, model tiers) is moving."""

    status: Literal["ok", "degraded"] = Field(description="degraded: the job queue stalled")
    database: Database
    queue: QueueHealth


def health_report(app: Flask) -> Health:
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
    return Health(status="degraded" if queue.stalled else "ok", database=Database(revision=revision), queue=queue)


@bp.get("/health")
def health() -> Any:
    """Answer the museum's health (200 ok or degraded; 503 when the database is unusable)."""
    return health_report(current_app).answer(), 200, {"Cache-Control": "no-store"}


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
OPENAPI_SCHEMAS = payloads.schemas(Health)


def init_app(app: Flask) -> None:
    """Register the health endpoint and document it."""
    app.register_blueprint(bp)
    openapi.add_paths(app, OPENAPI_PATHS, OPENAPI_SCHEMAS)
