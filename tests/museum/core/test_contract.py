"""What Schemathesis found against /api/openapi.json, one direct test per kind of defect (test_fuzz.py runs it)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from museum.core.bounds import MAX_INT
from museum.studio.documents import KINDS
from tests.museum.conftest import Catalogue, make_token
from tests.museum.core.test_openapi import _resolve_refs


def _doc(client: FlaskClient) -> dict[str, Any]:
    return client.get("/api/openapi.json").get_json()  # type: ignore[no-any-return]


def _bearer(app: Flask, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(app, f'{role}-script', role)}", "Accept": "application/json"}


def _allow(response: Any) -> set[str]:
    return {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}


def test_studio_routes_answer_only_their_own_methods(app: Flask, client: FlaskClient) -> None:
    # /review, /assets, /audit and /users/1 were also taken as a kind of content (`/<kind>`, `/<kind>/<id>`).
    admin = _bearer(app, "admin")
    for path, methods in [("/api/v1/studio/review", {"GET"}), ("/api/v1/studio/assets", {"GET"}),
                          ("/api/v1/studio/audit", {"GET"}), ("/api/v1/studio/users/1", {"PATCH"}),
                          ("/api/v1/studio/tokens/1", {"DELETE"}), ("/api/v1/studio/kiosks/1", {"DELETE"}),
                          ("/api/v1/studio/previews/1", {"DELETE"})]:
        assert _allow(client.options(path)) - {"HEAD", "OPTIONS"} == methods, path
        undeclared = "PUT" if "PUT" not in methods else "POST"
        response = client.open(path, method=undeclared, headers=admin, json={})
        assert response.status_code == 405, (path, response.status_code)
        assert _allow(response) - {"HEAD", "OPTIONS"} == methods
        assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert client.get("/api/v1/studio/nothing", headers=admin).status_code == 404
    assert client.get("/api/v1/studio/exhibits", headers=admin).status_code == 200


def test_an_id_too_large_for_a_row_is_not_found_whatever_the_method(app: Flask, client: FlaskClient) -> None:
    # It used to match no rule only after the method check: 405 with the other rules' methods in Allow.
    headers = _bearer(app, "curator")
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        for item in (str(MAX_INT + 1), "562949953421312", "9" * 30):
            response = client.open(f"/api/v1/studio/exhibits/{item}", method=method, headers=headers,
                                   json={"version": 1})
            assert response.status_code == 404, (method, item, response.status_code)
    assert client.get(f"/api/v1/studio/exhibits/{MAX_INT}", headers=headers).status_code == 404


def test_pages_document_their_400_for_an_unknown_language(client: FlaskClient, catalogue: Catalogue) -> None:
    doc = _doc(client)
    for path in ("/", "/g/{slug}", "/e/{slug}", "/t/{slug}", "/t/{slug}/{n}", "/timeline", "/cockpit",
                 "/api/v1/inquiry/keyboard"):
        assert "400" in doc["paths"][path]["get"]["responses"], path
    response = client.get("/g/history-hall?lang=AAA")
    assert response.status_code == 400 and response.get_json()["error"]["pointer"] == "/query/lang"


def test_search_documents_what_it_refuses(client: FlaskClient, catalogue: Catalogue) -> None:
    (q,) = [p for p in _doc(client)["paths"]["/api/v1/search"]["get"]["parameters"] if p["name"] == "q"]
    schema = Draft202012Validator(q["schema"])
    for value, status in (("", 400), ("   ", 400), ("x", 200), (" " * 150 + "x" + " " * 100, 400)):
        assert schema.is_valid(value) == (status == 200), repr(value)
        assert client.get("/api/v1/search", query_string={"q": value}).status_code == status, repr(value)


def test_an_unknown_era_filters_the_timeline_to_nothing(client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.get("/api/v1/timeline?era=no-such-era")
    assert response.status_code == 200
    assert response.get_json()["events"] == [] and response.get_json()["eras"]
    assert client.get("/api/v1/timeline?era=smart-hospital").get_json()["events"]


def test_a_preview_token_never_made_is_not_found(client: FlaskClient) -> None:
    response = client.get("/studio/preview/0")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "preview_not_found"
    assert "404" in _doc(client)["paths"]["/studio/preview/{token}"]["get"]["responses"]


def test_every_security_scheme_used_is_defined(client: FlaskClient) -> None:
    doc = _doc(client)
    defined = set(doc["components"]["securitySchemes"])
    used = {name for item in doc["paths"].values() for op in item.values()
            for requirement in op.get("security", []) for name in requirement}
    assert "kiosk" in used and used <= defined


def test_paging_and_ids_are_bounded_in_the_document(client: FlaskClient) -> None:
    doc = _doc(client)
    for path in ("/api/v1/exhibits", "/api/v1/studio/assets", "/api/v1/studio/audit"):
        (page,) = [p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "page"]
        assert page["schema"]["maximum"] == MAX_INT
    (item,) = [p for p in doc["paths"]["/api/v1/studio/exhibits/{item_id}"]["get"]["parameters"]
               if p["name"] == "item_id"]
    assert item["schema"]["maximum"] == MAX_INT


def _body_schema(doc: dict[str, Any], path: str, method: str) -> Draft202012Validator:
    content = doc["paths"][path][method]["requestBody"]["content"]
    return Draft202012Validator(_resolve_refs(content["application/json"]["schema"], doc))


@pytest.mark.parametrize("event, status", [
    ({"type": "tour_step", "tour": "", "step": 0}, 422),
    ({"type": "tour_step", "tour": "highlights"}, 422),
    ({"type": "exhibit_view"}, 422),
    ({"type": "search", "device": ""}, 422),
    ({"type": "tour_step", "tour": "highlights", "step": 2, "exhibit": None, "device": "phone"}, 202),
    ({"type": "search", "query": "x-ray", "results": 0, "exhibit": ""}, 202),
    ({"type": "vr_session", "dwell_ms": 27385.0, "step": 183.0}, 202),
    ({"type": "vr_session", "dwell_ms": 1.5}, 422),
])
def test_visitor_events_are_documented_as_they_are_checked(client: FlaskClient, event: dict[str, Any],
                                                           status: int) -> None:
    schema = _body_schema(_doc(client), "/api/v1/events", "post")
    assert schema.is_valid({"events": [event]}) == (status == 202)
    assert client.post("/api/v1/events", json={"events": [event]}).status_code == status


def test_a_slug_is_the_whole_value(client: FlaskClient) -> None:
    # The document's pattern ends in $, which matches no newline before the end; nor does the server any more.
    event = {"type": "gallery_view", "gallery": "lobby\n"}
    assert client.post("/api/v1/events", json={"events": [event]}).status_code == 422


def test_too_many_events_are_refused_like_any_invalid_field(client: FlaskClient) -> None:
    response = client.post("/api/v1/events", json={"events": [{"type": "timeline_view"}] * 101})
    assert response.status_code == 422 and response.get_json()["error"]["pointer"] == "/events/100"


def test_write_bodies_document_what_is_required(client: FlaskClient) -> None:
    doc = _doc(client)
    for kind in KINDS:
        for method in ("put", "patch", "delete"):
            schema = _body_schema(doc, f"/api/v1/studio/{kind}/{{item_id}}", method)
            assert not schema.is_valid({}) and schema.is_valid({"version": 1}), (kind, method)
        create = _body_schema(doc, f"/api/v1/studio/{kind}", "post")
        assert not create.is_valid({}) and not create.is_valid({"slug": "Bad Slug"})
        assert create.is_valid({"slug": "x"}) and not create.is_valid({"slug": "x", "colour": "red"}), kind
    exhibit = _body_schema(doc, "/api/v1/studio/exhibits/{item_id}", "patch")
    assert exhibit.is_valid({"version": 1, "title": {"en": "X-ray tube", "zh-Hant": None}, "real_height_m": 0.4})
    assert not exhibit.is_valid({"version": 1, "title": {"fr": "Tube"}})
    assert not exhibit.is_valid({"version": 1, "real_height_m": 0})
    session = _body_schema(doc, "/api/v1/session", "post")
    assert not session.is_valid({"name": "", "password": "p"})
    refused = client.post("/api/v1/session", json={"name": "", "password": "p"})
    assert refused.status_code == 422 and refused.get_json()["error"]["pointer"] == "/name"


def test_a_version_written_as_a_whole_float_is_that_version(app: Flask, client: FlaskClient,
                                                           catalogue: Catalogue) -> None:
    headers = _bearer(app, "admin")
    (item,) = [i for i in client.get("/api/v1/studio/exhibits", headers=headers).get_json()["items"]
               if i["slug"] == "secret-draft"]
    stale = client.patch(f"/api/v1/studio/exhibits/{item['id']}", headers=headers, json={"version": 99.0})
    assert stale.status_code == 412  # read as version 99, not refused as no version (428)
    saved = client.patch(f"/api/v1/studio/exhibits/{item['id']}", headers=headers,
                         json={"version": float(item["version"])})
    assert saved.status_code == 200, saved.get_json()


def test_the_last_version_a_column_holds_is_stale_not_an_overflow(app: Flask, client: FlaskClient,
                                                                  catalogue: Catalogue) -> None:
    # PostgreSQL refused the update's next version (MAX_INT + 1) as out of range: a 500 on PUT, PATCH and DELETE.
    headers = _bearer(app, "admin")
    item = client.post("/api/v1/studio/exhibits", headers=headers, json={"slug": "unplaced", "title": {"en": "U"}})
    url = f"/api/v1/studio/exhibits/{item.get_json()['id']}"
    for method in ("PUT", "PATCH", "DELETE"):
        by_body = client.open(url, method=method, headers=headers, json={"version": MAX_INT})
        by_header = client.open(url, method=method, headers={**headers, "If-Match": f'"{MAX_INT}"'}, json={})
        assert (by_body.status_code, by_header.status_code) == (412, 412), (method, by_body.get_json())
        assert by_body.get_json()["error"]["code"] == "version_conflict"
    status = client.post(f"{url}/status", headers=headers, json={"status": "review", "version": MAX_INT})
    assert status.status_code == 412, status.get_json()
    assert client.get(url, headers=headers).get_json()["version"] == item.get_json()["version"]


def test_deleting_through_an_unknown_photo_link_is_not_found(app: Flask, client: FlaskClient) -> None:
    # The POST's own transaction held SQLite's write lock while the failure was counted in another one: the request
    # waited out the busy timeout and answered 500 "database is locked".
    from museum.core.db import get_db
    from museum.models import RateLimit

    response = client.post(f"/p/{'x' * 32}/delete", data={"confirm": "yes"}, headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "photo_not_found"
    with app.app_context(), get_db().read() as session:
        assert session.get(RateLimit, "photo-lookup:127.0.0.1").count == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("url", ["/api/v1/search?q=heart&type=", "/api/v1/galleries/history-hall/scene.glb?tier=",
                                 "/api/v1/galleries/history-hall/manifest?tier=", "/api/v1/timeline?format=",
                                 "/api/v1/exhibits?page=", "/api/v1/galleries?per_page="])
def test_an_empty_value_is_not_one_of_the_documented_ones(client: FlaskClient, catalogue: Catalogue,
                                                          url: str) -> None:
    # The document lists the values (or says integer); an empty one was taken as absent and answered 200.
    response = client.get(url)
    assert response.status_code == 400 and response.get_json()["error"]["pointer"].startswith("/query/")


@pytest.mark.parametrize("path, method, payload", [
    ("/api/v1/session", "post", {"name": "nobody", "password": "a long password", "x": 1}),
    ("/api/v1/events", "post", {"events": [{"type": "timeline_view"}], "extra": 1}),
])
def test_closed_bodies_refuse_fields_they_do_not_have(client: FlaskClient, path: str, method: str,
                                                      payload: dict[str, Any]) -> None:
    # An extra field was ignored, so its value was whatever a client sent: a number past 2^53 there refused a
    # request the document called valid. Now the document closes these bodies and the server says so.
    doc = _doc(client)
    schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    assert _resolve_refs(schema, doc)["additionalProperties"] is False
    response = client.open(path, method=method.upper(), json=payload)
    assert response.status_code == 422 and response.get_json()["error"]["code"] in ("unknown_field", "invalid_batch")
    assert "422" in doc["paths"][path][method]["responses"]


def test_studio_bodies_are_closed_too(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    headers = _bearer(app, "admin")
    (item,) = [i for i in client.get("/api/v1/studio/exhibits", headers=headers).get_json()["items"]
               if i["slug"] == "secret-draft"]
    base = f"/api/v1/studio/exhibits/{item['id']}"
    for method, path, payload in [
        ("POST", f"{base}/status", {"status": "review", "version": item["version"], "why": "x"}),
        ("DELETE", base, {"version": item["version"], "force": True}),
        ("POST", "/api/v1/studio/users", {"name": "someone", "role": "curator", "password": "a long password",
                                          "admin": True}),
        ("POST", "/api/v1/studio/kiosks", {"name": "booth-9", "location": "hall"}),
    ]:
        response = client.open(path, method=method, headers=headers, json=payload)
        assert response.status_code == 422, (path, response.get_json())
        assert response.get_json()["error"]["code"] == "unknown_field"
    bad_name = client.post("/api/v1/studio/users", headers=headers,
                           json={"name": "someone\n", "role": "curator", "password": "a long password"})
    assert bad_name.status_code == 422 and bad_name.get_json()["error"]["pointer"] == "/name"


def test_a_layout_check_takes_lists_only(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    headers = _bearer(app, "admin")
    (hall,) = [i for i in client.get("/api/v1/studio/galleries", headers=headers).get_json()["items"]
               if i["slug"] == "history-hall"]
    for value in ("x", {"a": 1}, 3):
        response = client.post(f"/api/v1/studio/galleries/{hall['id']}/layout-check", headers=headers,
                                json={"spawns": value})
        assert response.status_code == 422 and response.get_json()["error"]["pointer"] == "/spawns", value
    for body in ({}, {"spawns": None}):
        assert client.post(f"/api/v1/studio/galleries/{hall['id']}/layout-check", headers=headers,
                           json=body).status_code == 200
