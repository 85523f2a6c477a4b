"""The OpenAPI description of the cockpit's routes."""

from __future__ import annotations

from typing import Any

from museum.cockpit.payloads import MAX_BATCH, CockpitAlert, CockpitLayout, CockpitSummary, EventBatch, TileChoice
from museum.core import payloads
from museum.core.openapi import INT, LANG_PARAM, STR, json_response, ref

_ERROR = {"application/json": {"schema": ref("Error")}}
_READER: list[dict[str, list[str]]] = [{"bearer": []}]  # or the studio session cookie


def _errors(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {code: {"description": text, "content": _ERROR} for code, text in pairs}


_ROLES = _errors(("401", "Not signed in"), ("403", "Not a manager or admin (curator, reviewer, kiosk device)"))
_RANGE = [
    {"name": "from", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
     "description": "First local day (default: 29 days before `to`)"},
    {"name": "to", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
     "description": "Last local day (default: today)"},
]

SCHEMAS: dict[str, Any] = payloads.schemas(EventBatch, payloads.Accepted, CockpitLayout, TileChoice, CockpitSummary,
                                            CockpitAlert)

PATHS: dict[str, Any] = {
    "/api/v1/events": {"post": {
        "summary": f"Visitors' events, at most {MAX_BATCH} a batch (no sign-in; navigator.sendBeacon)",
        "description": "A visitor is counted by a daily-salted hash of address and user agent; neither is stored. "
                       "Sec-GPC: 1 or DNT: 1: the events count, no visitor hash is made.",
        "tags": ["cockpit"],
        "requestBody": {"required": True, "content": {
            ct: {"schema": ref("EventBatch")} for ct in ("application/json", "text/plain")}},
        "responses": {
            "202": json_response(ref("Accepted"), "Stored"),
            **_errors(("400", "Not JSON, or no events list"), ("413", "A body over 64 KB"), ("415", "Not JSON"),
                      ("422", "An invalid event (pointer), or more than 100; nothing of the batch is stored")),
        }}},
    "/api/v1/cockpit/summary": {"get": {
        "summary": "Every figure of the cockpit for a range of local days, with alerts",
        "tags": ["cockpit"], "security": _READER, "parameters": [*_RANGE, LANG_PARAM],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref(
            "CockpitSummary")}}}, **_errors(("400", "A bad date or range")), **_ROLES}}},
    "/api/v1/cockpit/export.csv": {"get": {
        "summary": "The figures by day as CSV",
        "tags": ["cockpit"], "security": _READER, "parameters": _RANGE,
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": STR}}},
                      **_errors(("400", "A bad date or range")), **_ROLES}}},
    "/api/v1/cockpit/alerts/{alert_id}/acknowledge": {"post": {
        "summary": "Acknowledge an alert",
        "tags": ["cockpit"], "security": _READER,
        "parameters": [{"name": "alert_id", "in": "path", "required": True, "schema": INT}],
        "responses": {"200": {"description": "Acknowledged", "content": {"application/json": {"schema": ref(
            "CockpitAlert")}}}, **_errors(("404", "No such alert"), ("409", "Acknowledged already")), **_ROLES}}},
    "/api/v1/cockpit/layout": {
        "get": {"summary": "The signed-in manager's dashboard tiles", "tags": ["cockpit"], "security": _READER,
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref(
                    "CockpitLayout")}}}, **_ROLES}},
        "put": {"summary": "Choose, order and size the dashboard's tiles", "tags": ["cockpit"],
                "security": _READER,
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("TileChoice")}}},
                "responses": {"200": {"description": "Saved", "content": {"application/json": {"schema": ref(
                    "CockpitLayout")}}}, **_errors(("400", "No tiles list"), ("415", "Not JSON"),
                                                   ("422", "Unknown or repeated tile, bad size")), **_ROLES}},
    },
    "/cockpit": {"get": {
        "summary": "The managers' dashboard (signs in first)", "tags": ["pages"], "parameters": [LANG_PARAM],
        "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": STR}}},
                      **_errors(("400", "An unknown language in lang"))}}},
}

