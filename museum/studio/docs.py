"""The studio's routes in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from museum.core import payloads
from museum.core.bounds import MAX_INT
from museum.core.openapi import BOOL, INT, NSTR, NUM, STR, VEC3, list_of, nullable, obj, ref
from museum.identity import payloads as identity_payloads
from museum.studio import payloads as admin

TEXT = {"type": "object", "description": "A text per language; a missing language is untranslated.",
        "properties": {"zh-Hans": STR, "zh-Hant": STR, "en": STR}, "additionalProperties": False}
KIND = {"name": "kind", "in": "path", "required": True,
        "schema": {"type": "string", "enum": ["exhibits", "galleries", "eras", "events", "tours", "photo-templates"]}}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}  # a row id (larger numbers name no route: 404)
ITEM = {"name": "item_id", "in": "path", "required": True, "schema": ID}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": STR,
            "description": "The version the change is based on (instead of `version` in the body)."}
CSRF = {"name": "X-CSRF-Token", "in": "header", "required": False, "schema": STR,
        "description": "Required with the session cookie (from GET /api/v1/session); not with a Bearer token."}
PAGING = [{"name": "page", "in": "query", "required": False,
           "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INT}},
          {"name": "per_page", "in": "query", "required": False,
           "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]
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


DOC = ref("StudioDocument")
VERSION = {"type": "integer", "minimum": 1, "maximum": MAX_INT,
           "description": "The version the change is based on (or send If-Match)."}
# The fields of each kind's document (texts, numbers, references) are checked by the studio's document models.
CHANGES = {"type": "object", "properties": {"version": VERSION}, "required": ["version"]}
NEW = {"type": "object", "properties": {"slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,119}$"}},
       "required": ["slug"]}
WRITE = ("400", "401", "403", "404", "409", "412", "415", "422", "428")

SCHEMAS: dict[str, Any] = {
    **payloads.schemas(*identity_payloads.MODELS, *admin.MODELS),
    "Text": TEXT,
    "StudioDocument": obj({"id": INT, "kind": STR, "slug": STR, "status": {"enum": ["draft", "review", "published"]},
                           "version": INT, "updated_at": NSTR, "published_at": NSTR,
                           "untranslated": {"type": "object", "additionalProperties": {"type": "array",
                                                                                      "items": STR}}},
                          ["id", "kind", "slug", "status", "version", "untranslated"]),
    "Placement": obj({"id": INT, "exhibit_id": INT, "translation": VEC3, "rotation_deg": VEC3, "scale": NUM,
                      "target_size_m": nullable(NUM), "mount": {"enum": ["pedestal", "wall", "floor", "showcase"]},
                      "label": TEXT, "plinth": nullable(ref("Plinth"))}, ["exhibit_id"]),
    "Plinth": obj({"width_m": {"type": "number", "minimum": 0.1, "maximum": 5.0},
                   "depth_m": {"type": "number", "minimum": 0.1, "maximum": 5.0},
                   "height_m": {"type": "number", "minimum": 0.05, "maximum": 2.0},
                   "case_height_m": {"type": "number", "minimum": 0.0, "maximum": 2.0},
                   "finish": {"enum": ["walnut", "white"]}}, ["width_m", "depth_m", "height_m"], extra=False),
    "Changes": obj({
        "id": INT, "kind": STR, "slug": STR, "status": STR, "live": BOOL, "version": INT,
        "base": obj({"kind": {"enum": ["published", "revision", "none"]}, "version": nullable(INT),
                     "revision_id": nullable(INT), "at": NSTR}, ["kind", "version", "revision_id", "at"]),
        "texts": {"type": "array", "items": obj({
            "path": STR, "field": STR, "lang": {"enum": ["zh-Hans", "zh-Hant", "en"]}, "before": NSTR,
            "after": NSTR, "ops": {"type": "array", "items": {
                "type": "array", "items": STR, "minItems": 2, "maxItems": 2,
                "description": "[step, text]: the step is equal, delete or insert"}}},
            ["path", "field", "lang", "before", "after", "ops"])},
        "placements": {"type": "array", "items": obj({
            "change": {"enum": ["added", "removed", "changed"]}, "placement_id": nullable(INT),
            "exhibit_id": nullable(INT), "exhibit": NSTR, "title": TEXT, "before": nullable({"type": "object"}),
            "after": nullable({"type": "object"}), "fields": {"type": "array", "items": STR}, "moved_m": NUM,
            "turned_deg": NUM}, ["change", "placement_id", "exhibit_id", "fields", "moved_m", "turned_deg"])},
        "fields": {"type": "array", "items": obj({"path": STR, "before": {}, "after": {}}, ["path"])},
        "total": INT, "more": INT}, ["id", "kind", "base", "texts", "placements", "fields", "total"]),
    "Revision": obj({"id": INT, "version": INT, "at": STR, "author": NSTR, "message": STR,
                     "changes": {"type": "array", "items": obj({"path": STR, "before": {}, "after": {}})},
                     "more_changes": INT}),
}

PATHS: dict[str, Any] = {
    "/api/v1/session": {
        "post": _op("Sign in (sets the HttpOnly session cookie; returns the CSRF token)",
                    {"201": _json(ref("SignedIn"))}, ("400", "401", "403", "415", "422", "429"),
                    request=ref("SignIn"), secure=False),
        "get": _op("Who is signed in, and the session's CSRF token", {"200": _json(ref("SessionState"))}, ("401",),
                   secure=False),
        "delete": _op("Sign out", {"200": _json(ref("SignedOut"))}, ("403",), [CSRF], secure=False),
    },
    "/api/v1/studio/{kind}": {
        "get": _op("List content of a kind, drafts included", {"200": _json(_items(ref("StudioSummary")))},
                   ("400", "401", "403", "404"),
                   [KIND, {"name": "status", "in": "query", "required": False,
                           "schema": {"enum": ["draft", "review", "published"]}},
                    {"name": "q", "in": "query", "required": False, "schema": STR}, *PAGING]),
        "post": _op("Create a draft", {"201": _json(DOC)}, WRITE, [KIND, CSRF], request=NEW),
    },
    "/api/v1/studio/{kind}/{item_id}": {
        "get": _op("A document with its version and untranslated fields", {"200": _json(DOC)},
                   ("401", "403", "404"), [KIND, ITEM]),
        "put": _op("Save a document (optimistic locking: version or If-Match)", {"200": _json(DOC)}, WRITE,
                   [KIND, ITEM, IF_MATCH, CSRF], request=CHANGES),
        "patch": _op("Save some fields of a document (optimistic locking)", {"200": _json(DOC)}, WRITE,
                     [KIND, ITEM, IF_MATCH, CSRF], request=CHANGES),
        "delete": _op("Delete (curators: drafts only)", {"204": {"description": "Deleted"}}, WRITE,
                      [KIND, ITEM, IF_MATCH, CSRF], request=obj({"version": VERSION}, extra=False)),
    },
    "/api/v1/studio/{kind}/{item_id}/status": {
        "post": _op("Move through the workflow: draft, review, published", {"200": _json(DOC)}, WRITE,
                    [KIND, ITEM, CSRF], request=ref("StatusMove")),
    },
    "/api/v1/studio/galleries/{item_id}/layout-check": {
        "post": _op("Check a gallery's layout as the placement editor has it now; nothing is saved",
                    {"200": _json(ref("LayoutCheck"))},
                    ("400", "401", "403", "404", "415", "422"), [ITEM, CSRF],
                    request=obj({"placements": nullable({"type": "array", "items": ref("Placement")}),
                                 "doors": nullable({"type": "array", "items": {"type": "object"}}),
                                 "spawns": nullable({"type": "array", "items": {"type": "object"}}),
                                 "sounds": nullable({"type": "array", "items": {"type": "object"}})}, [])),
    },
    "/api/v1/studio/{kind}/{item_id}/history": {
        "get": _op("Revisions, newest first, with differences", {"200": _json(obj({
            "id": INT, "version": INT, "revisions": {"type": "array", "items": ref("Revision")}}))},
            ("401", "403", "404"), [KIND, ITEM]),
    },
    "/api/v1/studio/{kind}/{item_id}/changes": {
        "get": _op("What changed against the published version (or the previous revision): texts word by word "
                   "per language, placements moved, turned, added or removed, other fields",
                   {"200": _json(ref("Changes"))}, ("401", "403", "404"), [KIND, ITEM]),
    },
    "/api/v1/studio/{kind}/{item_id}/revert/{revision_id}": {
        "post": _op("Restore texts and parts as they were at a revision", {"200": _json(DOC)}, WRITE,
                    [KIND, ITEM, {"name": "revision_id", "in": "path", "required": True, "schema": ID}, IF_MATCH,
                     CSRF], request=obj({"version": VERSION}, extra=False)),
    },
    "/api/v1/studio/{kind}/{item_id}/preview": {
        "post": _op("An expiring, revocable preview link showing this draft (only it) as visitors will see it",
                    {"201": _json(ref("PreviewLinkCreated"))},
                    ("401", "403", "404"), [KIND, ITEM, CSRF]),
    },
    "/api/v1/studio/{kind}/{item_id}/previews": {
        "get": _op("The preview links of this content that still work", {"200": _json(_items(ref("PreviewLinkInfo")))},
                   ("401", "403", "404"), [KIND, ITEM]),
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
                   {"200": _json(list_of("StudioAsset"))}, ("400", "401", "403"), PAGING),
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
                   ("400", "401", "403"), [{"name": "action", "in": "query", "required": False, "schema": STR},
                                          *PAGING]),
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
