"""The OpenAPI document describes every route, and real responses match its schemas."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from museum.catalogue.payloads import MODELS
from museum.core.openapi import SCHEMAS
from museum.core.payloads import schemas
from tests.museum.conftest import Catalogue


def _document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    return doc  # type: ignore[no-any-return]


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_route_is_documented_and_nothing_else(app: Flask, client: FlaskClient) -> None:
    doc = _document(client)
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods = {m.lower() for m in (rule.methods or ())} - {"head", "options"}
        routes.setdefault(_openapi_path(rule.rule), set()).update(methods)
    documented = {path: set(ops) for path, ops in doc["paths"].items()}
    assert documented == routes


def _resolve_refs(schema: Any, doc: dict[str, Any]) -> Any:
    """Inline #/components references so the schema stands alone."""
    if isinstance(schema, dict):
        if "$ref" in schema and schema["$ref"].startswith("#/"):
            target: Any = doc
            for part in schema["$ref"][2:].split("/"):
                target = target[part]
            return _resolve_refs(target, doc)
        return {k: _resolve_refs(v, doc) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolve_refs(v, doc) for v in schema]
    return schema


CALLS = [
    ("/api/v1", "/api/v1"),
    ("/api/v1/exhibits", "/api/v1/exhibits?lang=en"),
    ("/api/v1/exhibits/{slug}", "/api/v1/exhibits/heart-model?lang=zh-Hant"),
    ("/api/v1/galleries", "/api/v1/galleries"),
    ("/api/v1/galleries/{slug}", "/api/v1/galleries/history-hall"),
    ("/api/v1/galleries/{slug}/manifest", "/api/v1/galleries/history-hall/manifest?tier=vr"),
    ("/api/v1/tours", "/api/v1/tours"),
    ("/api/v1/tours/{slug}", "/api/v1/tours/highlights"),
    ("/api/v1/timeline", "/api/v1/timeline"),
    ("/api/v1/timeline", "/api/v1/timeline?format=timelinejs"),
    ("/api/v1/search", "/api/v1/search?q=心脏"),
]


def test_responses_match_their_schemas(client: FlaskClient, catalogue: Catalogue) -> None:
    doc = _document(client)
    for path, url in CALLS:
        response = client.get(url)
        assert response.status_code == 200, url
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = list(Draft202012Validator(_resolve_refs(schema, doc)).iter_errors(response.get_json()))
        assert errors == [], (url, [e.message for e in errors[:3]])
    bad = client.get("/api/v1/exhibits/nope")
    error_schema = _resolve_refs(doc["components"]["schemas"]["Error"], doc)
    assert list(Draft202012Validator(error_schema).iter_errors(bad.get_json())) == []


def test_documented_parameters_are_accepted(client: FlaskClient, catalogue: Catalogue) -> None:
    doc = _document(client)
    op = doc["paths"]["/api/v1/exhibits"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert names == {"lang", "page", "per_page", "gallery", "era", "tag"}
    query = "lang=en&page=1&per_page=100&gallery=history-hall&era=smart-hospital&tag=heart"
    response = client.get(f"/api/v1/exhibits?{query}")
    assert response.status_code == 200 and response.get_json()["total"] == 1


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"].rsplit("/", 1)[1]} if "$ref" in value else set()
        return found.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def test_the_catalogue_replies_are_their_models_schemas(client: FlaskClient) -> None:
    doc = _document(client)
    generated = schemas(*MODELS)
    named = _refs([doc["paths"][path] for path, _ in CALLS]) - {"Error"}
    assert named == {"MuseumInfo", "ExhibitSummary", "ExhibitDetail", "GallerySummary", "GalleryDetail",
                     "GalleryManifest", "TourSummary", "TourDetail", "Timeline", "TimelineJS", "SearchResults"}
    for name in named | _refs([generated[n] for n in named]):
        assert doc["components"]["schemas"][name] == generated[name], name
        assert generated[name].get("additionalProperties") is not True, name
    assert list(SCHEMAS) == ["Error"]  # the one shape still written by hand
