"""The studio's routes in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from museum.core import payloads
from museum.core.bounds import MAX_INT
from museum.core.openapi import INT, STR, list_of, obj, ref
from museum.core.payloads import Paged, query_parameters
from museum.identity import payloads as identity_payloads
from museum.studio import payloads as admin
from museum.studio.document_payloads import LayoutDraft, Versioned
from museum.studio.documents import KINDS, Kind

ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}  # a row id (larger numbers name no route: 404)
ITEM = {"name": "item_id", "in": "path", "required": True, "schema": ID}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": STR,
            "description": "The version the change is based on (instead of `version` in the body)."}
CSRF = {"name": "X-CSRF-Token", "in": "header", "required": False, "schema": STR,
        "description": "Required with the session cookie (from GET /api/v1/session); not with a Bearer token."}
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]  # or the studio session cookie with X-CSRF-Token


def _err(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


ERR = {
    "400": _err("Bad request"), "401": _err("Not signed in"), "403": _err("Role not allowed, or CSRF check failed"),
    "404": _err("Not found"), "409": _err("Conflict"), "412": _err("Someone saved a newer version first"),
    "415": _err("Not JSON"), "422": _err("A field is wrong (pointer names it)"),
    "428": _err("No version given"), "429": _err("Too many attempts"), "410": _err("Expired"),
}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(summary: str, responses: dict[str, Any], errors: tuple[str, ...], parameters: list[Any] | None = None,
        request: dict[str, Any] | None = None, secure: bool = True) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "parameters": parameters or [],
                          "responses": {**responses, **{c: ERR[c] for c in errors}}}
    if request is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    if secure:
        op["security"] = SECURITY
    return op


def _items(item: dict[str, Any]) -> dict[str, Any]:
    return obj({"items": {"type": "array", "items": item}, "total": INT}, ["items", "total"])


WRITE = ("400", "401", "403", "404", "409", "412", "415", "422", "428")
VERSIONED = {"allOf": [ref("Versioned"), {"required": ["version"]}]}  # a body says its version


def _with(model: str, required: str) -> dict[str, Any]:
    """Return a document's schema with one more field required (a new one's slug, a change's version)."""
    return {"allOf": [ref(model), {"required": [required]}]}


def _kind_paths(name: str, kind: Kind) -> dict[str, Any]:
    """Return the routes of one kind of content, their bodies and answers that kind's document."""
    doc, model = ref(kind.document.__name__), kind.document.__name__
    base = f"/api/v1/studio/{name}"
    return {
        base: {
            "get": _op(f"List {name}, drafts included", {"200": _json(_items(ref("StudioSummary")))},
                       ("400", "401", "403"),
                       query_parameters(admin.ContentFilter)),
            "post": _op("Create a draft", {"201": _json(doc)}, WRITE, [CSRF], request=_with(model, "slug")),
        },
        f"{base}/{{item_id}}": {
            "get": _op("A document with its version and untranslated fields", {"200": _json(doc)},
                       ("401", "403", "404"), [ITEM]),
            "put": _op("Save a document (optimistic locking: version or If-Match); a field left out is kept",
                       {"200": _json(doc)}, WRITE, [ITEM, IF_MATCH, CSRF], request=_with(model, "version")),
            "patch": _op("Save some fields of a document (optimistic locking)", {"200": _json(doc)}, WRITE,
                         [ITEM, IF_MATCH, CSRF], request=_with(model, "version")),
            "delete": _op("Delete (curators: drafts only)", {"204": {"description": "Deleted"}}, WRITE,
                          [ITEM, IF_MATCH, CSRF], request=VERSIONED),
        },
        f"{base}/{{item_id}}/status": {
            "post": _op("Move through the workflow: draft, review, published", {"200": _json(doc)}, WRITE,
                        [ITEM, CSRF], request=ref("StatusMove")),
        },
        f"{base}/{{item_id}}/history": {
            "get": _op("Revisions, newest first, with differences", {"200": _json(ref("History"))},
                       ("401", "403", "404"), [ITEM]),
        },
        f"{base}/{{item_id}}/changes": {
            "get": _op("What changed against the published version (or the previous revision): texts word by "
                       "word per language, placements moved, turned, added or removed, other fields",
                       {"200": _json(ref("Changes"))}, ("401", "403", "404"), [ITEM]),
        },
        f"{base}/{{item_id}}/revert/{{revision_id}}": {
            "post": _op("Restore texts and parts as they were at a revision", {"200": _json(doc)}, WRITE,
                        [ITEM, {"name": "revision_id", "in": "path", "required": True, "schema": ID}, IF_MATCH,
                         CSRF], request=VERSIONED),
        },
        f"{base}/{{item_id}}/preview": {
            "post": _op("An expiring, revocable preview link showing this draft (only it) as visitors will see it",
                        {"201": _json(ref("PreviewLinkCreated"))}, ("401", "403", "404"), [ITEM, CSRF]),
        },
        f"{base}/{{item_id}}/previews": {
            "get": _op("The preview links of this content that still work",
                       {"200": _json(_items(ref("PreviewLinkInfo")))}, ("401", "403", "404"), [ITEM]),
        },
    }


SCHEMAS: dict[str, Any] = payloads.schemas(*identity_payloads.MODELS, *admin.MODELS,
                                           *(kind.document for kind in KINDS.values()), LayoutDraft, Versioned)

PATHS: dict[str, Any] = {
    "/api/v1/session": {
        "post": _op("Sign in (sets the HttpOnly session cookie; returns the CSRF token)",
                    {"201": _json(ref("SignedIn"))}, ("400", "401", "403", "415", "422", "429"),
                    request=ref("SignIn"), secure=False),
        "get": _op("Who is signed in, and the session's CSRF token", {"200": _json(ref("SessionState"))}, ("401",),
                   secure=False),
        "delete": _op("Sign out", {"200": _json(ref("SignedOut"))}, ("403",), [CSRF], secure=False),
    },
    **{path: item for name, kind in KINDS.items() for path, item in _kind_paths(name, kind).items()},
    "/api/v1/studio/galleries/{item_id}/layout-check": {
        "post": _op("Check a gallery's layout as the placement editor has it now; nothing is saved",
                    {"200": _json(ref("LayoutCheck"))},
                    ("400", "401", "403", "404", "415", "422"), [ITEM, CSRF], request=ref("LayoutDraft")),
    },
    "/api/v1/studio/previews/{link_id}": {
        "delete": _op("Revoke a preview link (every device that opened it stops seeing the draft)",
                      {"204": {"description": "Revoked"}}, ("401", "403", "404"),
                      [{"name": "link_id", "in": "path", "required": True, "schema": ID}, CSRF]),
    },
    "/api/v1/studio/review": {
        "get": _op("Everything waiting in review", {"200": _json(_items(ref("StudioSummary")))}, ("401", "403")),
    },
    "/api/v1/studio/translations/missing": {
        "get": _op("Texts still missing a language", {"200": _json(_items(ref("MissingTranslation")))},
                   ("401", "403")),
    },
    "/api/v1/studio/assets": {
        "get": _op("Uploaded assets with status, tiers, poster and problems",
                   {"200": _json(list_of("StudioAsset"))}, ("400", "401", "403"), query_parameters(Paged)),
    },
    "/api/v1/studio/users": {
        "get": _op("Staff accounts (admins)", {"200": _json(list_of("StaffUser"))}, ("401", "403")),
        "post": _op("Create a staff account (admins)", {"201": _json(ref("StaffUser"))},
                    ("400", "401", "403", "409", "415", "422"), [CSRF], request=ref("NewUser")),
    },
    "/api/v1/studio/users/{user_id}": {
        "patch": _op("Change role, password or active (admins)", {"200": _json(ref("StaffUser"))},
                     ("400", "401", "403", "404", "415", "422"),
                     [{"name": "user_id", "in": "path", "required": True, "schema": ID}, CSRF],
                     request=ref("UserChange")),
    },
    "/api/v1/studio/tokens": {
        "get": _op("API tokens (admins)", {"200": _json(list_of("ApiTokenInfo"))}, ("401", "403")),
        "post": _op("Create an API token; its secret is shown once (admins)", {"201": _json(ref("ApiTokenCreated"))},
                    ("400", "401", "403", "415", "422"), [CSRF], request=ref("NewToken")),
    },
    "/api/v1/studio/tokens/{token_id}": {
        "delete": _op("Revoke an API token (admins)", {"204": {"description": "Revoked"}}, ("401", "403", "404"),
                      [{"name": "token_id", "in": "path", "required": True, "schema": ID}, CSRF]),
    },
    "/api/v1/studio/kiosks": {
        "get": _op("Kiosk devices (admins)", {"200": _json(list_of("KioskInfo"))}, ("401", "403")),
        "post": _op("Register a kiosk; its device token is shown once (admins)",
                    {"201": _json(ref("KioskCreated"))}, ("400", "401", "403", "409", "415", "422"), [CSRF],
                    request=ref("NewKiosk")),
    },
    "/api/v1/studio/kiosks/{kiosk_id}": {
        "delete": _op("Revoke a kiosk device (admins)", {"204": {"description": "Revoked"}}, ("401", "403", "404"),
                      [{"name": "kiosk_id", "in": "path", "required": True, "schema": ID}, CSRF]),
    },
    "/api/v1/studio/audit": {
        "get": _op("The audit log, newest first (admins)", {"200": _json(list_of("AuditEntry"))},
                   ("400", "401", "403"), query_parameters(admin.AuditFilter)),
    },
    "/studio": {"get": {"summary": "The curator studio (HTML page)",
                        "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}},
    "/studio/preview/{token}": {"get": {"summary": "Open a preview link (sets a preview cookie, redirects)",
                                        "parameters": [{"name": "token", "in": "path", "required": True,
                                                        "schema": STR}],
                                        "responses": {"303": {"description": "To the visitor page"},
                                                      "404": _err("No link was ever made with this token"),
                                                      "410": _err("Expired or revoked, or what it showed "
                                                                  "was deleted")}}},
}
