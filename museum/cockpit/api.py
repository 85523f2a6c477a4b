"""The cockpit's HTTP edge: visitors' events in, the managers' figures, CSV, alerts and tile layout out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, request

from museum.catalogue.params import lang as request_lang
from museum.cockpit import alerts, events, layout, summary, tick
from museum.cockpit.access import cockpit_reader
from museum.cockpit.payloads import CockpitLayout, CockpitSummary
from museum.cockpit.rollup import day_start, local_day, timezone
from museum.core import db, jsonbody, payloads
from museum.core.errors import PayloadTooLarge, UnsupportedMedia
from museum.models.base import utcnow

bp = Blueprint("cockpit_api", __name__)

_NO_STORE = {"Cache-Control": "no-store"}
# sendBeacon sends a string as text/plain (no CORS preflight); a Blob or fetch sends application/json.
_EVENT_TYPES = ("application/json", "text/plain")


def _batch_body() -> Any:
    if request.mimetype not in _EVENT_TYPES:
        raise UnsupportedMedia("Send the events as JSON.", code="json_required")
    if (request.content_length or 0) > events.MAX_BODY_BYTES:
        raise PayloadTooLarge(f"A batch is at most {events.MAX_BODY_BYTES} bytes.", code="batch_too_large")
    raw = request.stream.read(events.MAX_BODY_BYTES + 1)
    if len(raw) > events.MAX_BODY_BYTES:
        raise PayloadTooLarge(f"A batch is at most {events.MAX_BODY_BYTES} bytes.", code="batch_too_large")
    return jsonbody.parse(raw, max_bytes=events.MAX_BODY_BYTES)


@bp.post("/api/v1/events")
def post_events() -> Any:
    """Take a batch of visitors' events (no sign-in; sent by the pages with navigator.sendBeacon)."""
    rows = events.parse_batch(_batch_body())
    now = utcnow()
    session = db.session()
    visitor = ""
    if not events.opted_out(request.headers):
        salt = events.salt_for(session, local_day(now, timezone(current_app)))
        # The address and user agent only feed the hash; neither is stored.
        visitor = events.visitor_hash(salt, request.remote_addr or "", request.headers.get("User-Agent", ""))
    accepted = events.record(session, rows, visitor, now)
    session.commit()
    tick.ensure_scheduled_now_and_then(current_app._get_current_object())  # type: ignore[attr-defined]
    return payloads.Accepted(accepted=accepted).answer(), 202, _NO_STORE


def _summary() -> CockpitSummary:
    cockpit_reader()
    tz = timezone(current_app)
    start, end = summary.parse_range(request.args.get("from"), request.args.get("to"), local_day(utcnow(), tz))
    session = db.session()
    shown = alerts.shown(session, day_start(start, tz), day_start(end + timedelta(days=1), tz),
                         current_app.config["MUSEUM_STORAGE_DIR"],
                         float(current_app.config["MUSEUM_ALERT_DISK_FREE_PERCENT"]), utcnow())
    return summary.build_summary(session, start, end, tz, request_lang(), shown)


@bp.get("/api/v1/cockpit/summary")
def get_summary() -> Any:
    """Return the cockpit's figures for ?from=&to= (local days; the last 30 by default)."""
    body = _summary()
    tick.ensure_scheduled_now_and_then(current_app._get_current_object())  # type: ignore[attr-defined]
    return body.answer(), 200, _NO_STORE


@bp.get("/api/v1/cockpit/export.csv")
def export_csv() -> Response:
    """Return the figures by day as CSV."""
    body = _summary()
    response = Response(summary.csv_text(body), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="cockpit-{body.from_}-{body.to}.csv"'
    response.headers.update(_NO_STORE)
    return response


@bp.post("/api/v1/cockpit/alerts/<int:alert_id>/acknowledge")
def acknowledge_alert(alert_id: int) -> Any:
    """Acknowledge an alert (a manager has seen it and is on it)."""
    principal = cockpit_reader()
    session = db.session()
    alert = alerts.acknowledge(session, alert_id, principal.user_id)
    session.commit()
    return alerts.reply(alert).answer(), 200, _NO_STORE


@bp.get("/api/v1/cockpit/layout")
def get_layout() -> Any:
    """Return the signed-in manager's tiles (the default layout until they choose)."""
    principal = cockpit_reader()
    return _layout(layout.layout_for(db.session(), principal.user_id)), 200, _NO_STORE


@bp.put("/api/v1/cockpit/layout")
def put_layout() -> Any:
    """Save the signed-in manager's tiles: which, in which order, at which size."""
    principal = cockpit_reader()
    tiles = layout.parse_tiles(jsonbody.value())
    session = db.session()
    layout.save_layout(session, principal.user_id, tiles)
    session.commit()
    return _layout(tiles), 200, _NO_STORE


def _layout(tiles: list[dict[str, Any]]) -> dict[str, Any]:
    return CockpitLayout.model_validate({"tiles": tiles, "available": layout.TILES, "sizes": layout.SIZES}).answer()
