"""The OpenAPI 3.1 document of the HTTP API, served at /api/openapi.json and checked against the routes by tests."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from museum.http_cache import serialised

bp = Blueprint("openapi", __name__)

LANG_PARAM = {"name": "lang", "in": "query", "required": False,
              "description": "Language of the texts; otherwise Accept-Language, then zh-Hans.",
              "schema": {"type": "string", "enum": ["zh-Hans", "zh-Hant", "en"]}}
PAGE_PARAMS = [
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]
SLUG_PARAM = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def _obj(props: dict[str, Any], required: list[str] | None = None, extra: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props,
                              "required": list(props) if required is None else required}
    if not extra:
        schema["additionalProperties"] = False
    return schema


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
VEC3 = {"type": "array", "items": NUM, "minItems": 3, "maxItems": 3}
NSTR = _nullable(STR)

SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": _obj({"code": STR, "message": STR, "pointer": STR}, ["code", "message"])}),
    "ModelFile": _obj({"url": STR, "bytes": INT, "triangles": INT, "draw_calls": INT, "media_type": STR},
                      ["url", "bytes", "triangles", "draw_calls", "media_type"]),
    "Models": {"type": "object", "additionalProperties": _ref("ModelFile"),
               "propertyNames": {"enum": ["phone", "desktop", "vr", "original"]}},
    "EraRef": _nullable(_obj({"slug": STR, "title": STR})),
    "ExhibitSummary": _obj({
        "slug": STR, "title": STR, "summary": STR, "status": STR, "sample": BOOL, "era": _ref("EraRef"),
        "tags": {"type": "array", "items": STR}, "poster_url": NSTR, "models": _ref("Models"), "url": STR,
        "page_url": STR}),
    "Hotspot": _obj({
        "slug": STR, "kind": {"enum": ["point", "volume"]}, "anchor": {"type": "array", "items": NUM},
        "radius_m": NUM, "title": STR, "text": STR,
        "image": _nullable(_obj({"url": STR, "alt": STR, "credit": STR})),
        "audio_url": NSTR, "captions_url": NSTR}),
    "EventRef": _obj({"slug": STR, "title": STR, "date": STR, "precision": {"enum": ["year", "month", "day"]},
                      "sample": BOOL}),
    "Rights": _nullable(_obj({"licence": STR, "licence_url": NSTR, "credit": STR, "copyright": STR,
                              "source_url": NSTR})),
    "ExhibitDetail": {"allOf": [_ref("ExhibitSummary"), _obj({
        "body": STR, "object_date": STR, "narration": STR, "real_height_m": _nullable(NUM),
        "inspection": _nullable({"type": "object"}),
        "images": {"type": "array", "items": _obj({"url": NSTR, "alt": STR, "caption": STR, "credit": STR})},
        "audio": {"type": "array", "items": _obj({"lang": NSTR, "url": NSTR, "captions_url": NSTR})},
        "hotspots": {"type": "array", "items": _ref("Hotspot")},
        "events": {"type": "array", "items": _ref("EventRef")},
        "galleries": {"type": "array", "items": _obj({"slug": STR, "title": STR})},
        "rights": _ref("Rights"), "updated_at": STR})]},
    "GallerySummary": _obj({"slug": STR, "title": STR, "summary": STR, "status": STR, "lighting": STR,
                            "exhibit_count": INT, "poster_url": NSTR, "manifest_url": STR, "page_url": STR}),
    "GalleryDetail": {"allOf": [_ref("GallerySummary"), _obj({
        "exhibits": {"type": "array", "items": _ref("ExhibitSummary")},
        "doors": {"type": "array", "items": _obj({"to": STR, "title": STR})}})]},
    "PlacedModel": _nullable({"allOf": [_ref("ModelFile"), _obj({"tier": STR})]}),
    "GalleryManifest": _obj({
        "gallery": _obj({"slug": STR, "title": STR, "summary": STR, "size_m": {"type": "array", "items": NUM},
                         "page_url": STR}),
        "lang": STR, "tier": {"enum": ["phone", "desktop", "vr"]}, "tier_source": {"enum": ["query", "hints",
                                                                                               "default"]},
        "room": _ref("PlacedModel"),
        "spawns": {"type": "array", "items": _obj({"position": VEC3, "yaw_deg": NUM})},
        "floor": {"type": "array", "items": {"type": "array", "items": NUM, "minItems": 2, "maxItems": 2}},
        "doors": {"type": "array", "items": _obj({"to": STR, "title": STR, "position": VEC3, "yaw_deg": NUM,
                                                  "width_m": NUM, "height_m": NUM, "manifest_url": STR})},
        "lighting": {"type": "object"},
        "exhibits": {"type": "array", "items": _obj({
            "placement_id": INT, "slug": STR, "title": STR, "summary": STR, "label": STR, "mount": STR,
            "transform": _obj({"position": VEC3, "rotation_deg": VEC3, "scale": NUM,
                               "target_size_m": _nullable(NUM)}),
            "model": _ref("PlacedModel"), "poster_url": NSTR,
            "hotspots": {"type": "array", "items": _ref("Hotspot")}, "narration": STR, "sample": BOOL,
            "api_url": STR, "page_url": STR})},
        "totals": _obj({"bytes": INT, "triangles": INT, "draw_calls": INT}),
        "budget": _obj({"bytes": INT, "triangles": INT, "draw_calls": INT}),
        "within_budget": BOOL,
        "fallbacks": {"type": "array", "items": _obj({"exhibit": STR, "wanted": STR, "used": STR,
                                                      "reason": {"enum": ["tier_missing", "over_budget"]}})}}),
    "TourSummary": _obj({"slug": STR, "title": STR, "summary": STR, "status": STR, "stop_count": INT,
                         "galleries": {"type": "array", "items": STR}, "url": STR, "page_url": STR}),
    "TourDetail": _obj({
        "slug": STR, "title": STR, "summary": STR, "status": STR, "stop_count": INT, "url": STR, "page_url": STR,
        "lang": STR,
        "galleries": {"type": "array", "items": _obj({"slug": STR, "manifest_url": STR})},
        "stops": {"type": "array", "items": _obj({
            "index": INT, "gallery": STR, "gallery_title": STR, "manifest_url": STR, "exhibit": NSTR,
            "exhibit_title": NSTR, "hotspot": NSTR, "anchor": _nullable({"type": "array", "items": NUM}),
            "viewpoint": _nullable({"type": "object"}), "title": STR, "text": STR, "narration": STR,
            "duration_s": NUM, "page_url": STR})}}),
    "Era": _obj({"slug": STR, "title": STR, "summary": STR, "start_year": INT, "end_year": _nullable(INT),
                 "sample": BOOL}),
    "Event": {"allOf": [_ref("EventRef"), _obj({
        "year": INT, "month": _nullable(INT), "day": _nullable(INT), "era": NSTR, "body": STR,
        "image_url": NSTR, "page_url": STR,
        "exhibits": {"type": "array", "items": _obj({"slug": STR, "title": STR, "page_url": STR})}})]},
    "Timeline": _obj({"lang": STR, "eras": {"type": "array", "items": _ref("Era")},
                      "events": {"type": "array", "items": _ref("Event")}}),
    "TimelineJS": _obj({
        "title": {"type": "object"},
        "events": {"type": "array", "items": _obj({
            "unique_id": STR, "start_date": _obj({"year": INT}, ["year"]),
            "text": _obj({"headline": STR, "text": STR}), "group": STR}, ["start_date", "text"])},
        "eras": {"type": "array", "items": _obj({"start_date": {"type": "object"}, "end_date": {"type": "object"},
                                                 "text": {"type": "object"}})}}),
    "SearchResults": _obj({
        "query": STR, "lang": STR, "total": INT,
        "items": {"type": "array", "items": _obj({
            "type": {"enum": ["exhibit", "event", "gallery", "tour"]}, "slug": STR, "title": STR,
            "summary": STR, "score": NUM, "url": STR, "page_url": STR},
            ["type", "slug", "title", "summary", "score", "url", "page_url"])}}),
    "MuseumInfo": _obj({
        "name": STR, "tagline": STR, "description": STR, "hospital": STR, "lang": STR,
        "languages": {"type": "array", "items": STR},
        "counts": _obj({"exhibits": INT, "galleries": INT, "tours": INT, "events": INT}),
        "links": {"type": "object", "additionalProperties": STR}}),
}


def _list_of(item: str) -> dict[str, Any]:
    return _obj({"items": {"type": "array", "items": _ref(item)}, "total": INT,
                 "page": {"type": "integer", "minimum": 1},
                 "per_page": {"type": "integer", "minimum": 1, "maximum": 100}})


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}},
            "headers": {"ETag": {"schema": STR, "description": "Strong validator; send it in If-None-Match."}}}


ERRORS = {
    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
    "400": {"description": "Bad parameter", "content": {"application/json": {"schema": _ref("Error")}}},
    "404": {"description": "Not found (drafts are not found by visitors)",
            "content": {"application/json": {"schema": _ref("Error")}}},
}


def _get(summary: str, response: dict[str, Any], parameters: list[dict[str, Any]],
         errors: tuple[str, ...] = ("304", "400", "404")) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": {"200": response, **{code: ERRORS[code] for code in errors}}}}


def document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hospital-history museum API", "version": "1.0.0",
                 "description": "Public catalogue of a 3D/VR hospital-history museum; texts in zh-Hans, zh-Hant "
                                "and en. Every error answers {\"error\": {code, message, pointer?}}."},
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1": _get("Museum information", _json(_ref("MuseumInfo")), [LANG_PARAM], ("304", "400")),
            "/api/v1/exhibits": _get("List exhibits", _json(_list_of("ExhibitSummary")), [
                LANG_PARAM, *PAGE_PARAMS,
                {"name": "gallery", "in": "query", "required": False, "schema": STR},
                {"name": "era", "in": "query", "required": False, "schema": STR},
                {"name": "tag", "in": "query", "required": False, "schema": STR}], ("304", "400")),
            "/api/v1/exhibits/{slug}": _get("One exhibit", _json(_ref("ExhibitDetail")), [SLUG_PARAM, LANG_PARAM]),
            "/api/v1/galleries": _get("List galleries", _json(_list_of("GallerySummary")),
                                      [LANG_PARAM, *PAGE_PARAMS], ("304", "400")),
            "/api/v1/galleries/{slug}": _get("One gallery", _json(_ref("GalleryDetail")), [SLUG_PARAM, LANG_PARAM]),
            "/api/v1/galleries/{slug}/manifest": _get("Scene manifest of a gallery", _json(_ref("GalleryManifest")), [
                SLUG_PARAM, LANG_PARAM,
                {"name": "tier", "in": "query", "required": False,
                 "description": "Device tier; when absent the server suggests one from device hints.",
                 "schema": {"type": "string", "enum": ["phone", "desktop", "vr"]}}]),
            "/api/v1/tours": _get("List tours", _json(_list_of("TourSummary")), [LANG_PARAM, *PAGE_PARAMS],
                                  ("304", "400")),
            "/api/v1/tours/{slug}": _get("A tour with its stops", _json(_ref("TourDetail")), [SLUG_PARAM, LANG_PARAM]),
            "/api/v1/timeline": _get(
                "Eras and events", {"description": "OK", "content": {"application/json": {"schema": {
                    "oneOf": [_ref("Timeline"), _ref("TimelineJS")]}}}},
                [LANG_PARAM, {"name": "format", "in": "query", "required": False,
                              "schema": {"type": "string", "enum": ["json", "timelinejs"]}},
                 {"name": "era", "in": "query", "required": False, "schema": STR}], ("304", "400")),
            "/api/v1/search": _get("Search exhibits, events, galleries and tours", _json(_ref("SearchResults")), [
                {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 200}},
                {"name": "type", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["exhibit", "event", "gallery", "tour"]}},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100}}, LANG_PARAM], ("304", "400")),
            "/files/{name}": {
                "get": {"summary": "A stored file by content hash (<sha256>.<ext>); Range requests supported",
                        "parameters": [{"name": "name", "in": "path", "required": True, "schema": STR},
                                       {"name": "Range", "in": "header", "required": False, "schema": STR}],
                        "responses": {"200": {"description": "The file"}, "206": {"description": "Part of it"},
                                      "304": ERRORS["304"], "404": ERRORS["404"],
                                      "416": {"description": "Range not satisfiable",
                                              "content": {"application/json": {"schema": _ref("Error")}}}}}},
            "/api/openapi.json": {"get": {"summary": "This document",
                                          "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Curator API token from `museum token create`."}},
        },
    }


_BODY = serialised(document())


@bp.get("/api/openapi.json")
def openapi_json() -> Response:
    """Serve the OpenAPI document."""
    response = Response(_BODY.body, content_type="application/json")
    response.headers["ETag"] = _BODY.etag
    response.headers["Cache-Control"] = "public, no-cache"
    response.make_conditional(request)
    return response
