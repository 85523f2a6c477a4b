"""The OpenAPI 3.1 document of the HTTP API, served at /api/openapi.json and checked against the routes by tests."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from museum.core.http_cache import serialised

bp = Blueprint("openapi", __name__)

LANG_PARAM = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the texts; otherwise Accept-Language, then zh-Hans.",
    "schema": {"type": "string", "enum": ["zh-Hans", "zh-Hant", "en"]},
}
SLUG_PARAM = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def obj(props: dict[str, Any], required: list[str] | None = None, extra: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": list(props) if required is None else required,
    }
    if not extra:
        schema["additionalProperties"] = False
    return schema


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
VEC3 = {"type": "array", "items": NUM, "minItems": 3, "maxItems": 3}
NSTR = nullable(STR)

# The one error shape. Replies are described by the features' payload models (museum.core.payloads.schemas).
SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": obj({"code": STR, "message": STR, "pointer": STR}, ["code", "message"])}),
}


def list_of(item: str) -> dict[str, Any]:
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "total": INT,
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        }
    )


def json_response(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        "headers": {"ETag": {"schema": STR, "description": "Strong validator; send it in If-None-Match."}},
    }


ERRORS = {
    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
    "400": {"description": "Bad parameter", "content": {"application/json": {"schema": ref("Error")}}},
    "404": {
        "description": "Not found (drafts are not found by visitors)",
        "content": {"application/json": {"schema": ref("Error")}},
    },
}


BAD_TOKEN = {
    "description": "An Authorization header whose token is unknown, revoked, or not accepted here",
    "content": {"application/json": {"schema": ref("Error")}},
}


def get_operation(
    summary: str,
    response: dict[str, Any],
    parameters: list[dict[str, Any]],
    errors: tuple[str, ...] = ("304", "400", "404"),
) -> dict[str, Any]:
    """Return the path item of a cached public read: its 200 and its errors."""
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {"200": response, **{code: ERRORS[code] for code in errors}},
        }
    }


def document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hospital-history museum API",
            "version": "1.0.0",
            "description": "Public catalogue of a 3D/VR hospital-history museum; texts in zh-Hans, zh-Hant "
            'and en. Every error answers {"error": {code, message, pointer?}}.',
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/files/{name}": {
                "get": {
                    "summary": "A stored file by content hash (<sha256>.<ext>); Range requests supported",
                    "parameters": [
                        {"name": "name", "in": "path", "required": True, "schema": STR},
                        {"name": "Range", "in": "header", "required": False, "schema": STR},
                    ],
                    "responses": {
                        "200": {"description": "The file"},
                        "206": {"description": "Part of it"},
                        "304": ERRORS["304"],
                        "404": ERRORS["404"],
                        "416": {
                            "description": "Range not satisfiable",
                            "content": {"application/json": {"schema": ref("Error")}},
                        },
                    },
                }
            },
            "/api/openapi.json": {
                "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
            },
        },
        "components": {
            "schemas": dict(SCHEMAS),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Curator API token from `museum token create`.",
                },
                "kiosk": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Photo-booth device token from `museum kiosk register` (Authorization: Bearer).",
                },
            },
        },
    }


def add_paths(app: Flask, paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> None:
    """Document more routes (a feature's blueprint calls this when it registers)."""
    fragments = app.extensions.setdefault("museum.openapi", [])
    fragments.append((paths, schemas or {}))


def full_document(app: Flask) -> dict[str, Any]:
    """Return the document with every feature's routes merged in."""
    doc = document()
    for paths, schemas in app.extensions.get("museum.openapi", []):
        for path, operations in paths.items():
            doc["paths"].setdefault(path, {}).update(operations)
        known = doc["components"]["schemas"]
        for name, schema in schemas.items():
            if known.setdefault(name, schema) != schema:  # two features' models of one name: one would be lost
                raise ValueError(f"two different schemas are named {name!r} in the OpenAPI document")
    # Credentials are optional on public routes, but a token that is sent must be good: an unknown or revoked one, or
    # one of another kind (a booth's device token outside the kiosk API), is refused there too.
    for operations in doc["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault("401", BAD_TOKEN)
    return doc


@bp.get("/api/openapi.json")
def openapi_json() -> Response:
    """Serve the OpenAPI document."""
    body = current_app.extensions.get("museum.openapi_body")
    if body is None:
        body = current_app.extensions["museum.openapi_body"] = serialised(full_document(current_app))
    response = Response(body.body, content_type="application/json")
    response.headers["ETag"] = body.etag
    response.headers["Cache-Control"] = "public, no-cache"
    response.make_conditional(request)
    return response
