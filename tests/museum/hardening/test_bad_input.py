"""Hostile request bodies, parameters and ids get a 4xx in the one error shape, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing.converters import NumberConverter

from tests.museum.conftest import Catalogue, make_token
from tests.museum.core.test_error_shape import _check, _urls
from tests.museum.photos.conftest import photo_jpeg

DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
HUGE_INT = 2**63 + 1


def _body_routes(app: Flask) -> list[tuple[str, str]]:
    return [(url, method) for url, methods in _urls(app) for method in sorted(methods)
            if method in ("POST", "PUT", "PATCH", "DELETE")]


@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deeply_nested_json_is_refused_on_every_route(app: Flask, client: FlaskClient, catalogue: Catalogue,
                                                      body: bytes) -> None:
    headers = {"Accept": "application/json", "Authorization": f"Bearer {make_token(app, 'root', 'admin')}"}
    for url, method in _body_routes(app):
        for sent in ({"Accept": "application/json"}, headers):
            response = client.open(url, method=method, headers=sent, data=body, content_type="application/json")
            _check(response, f"{method} {url}")


def test_session_sign_in_names_the_nesting(client: FlaskClient) -> None:
    response = client.post("/api/v1/session", data=DEEP_JSON, content_type="application/json",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "json_too_deep"


@pytest.mark.parametrize("text,code", [
    ('{"name": ' + "9" * 400 + ', "password": "x"}', "json_number_out_of_range"),
    ('{"name": 1e999, "password": "x"}', "json_number_out_of_range"),
    ('{"name": NaN, "password": "x"}', "invalid_json"),
    ('{"name": "a", "name": "b", "password": "x"}', "json_duplicate_key"),
])
def test_json_numbers_and_keys_outside_json_are_refused(client: FlaskClient, text: str, code: str) -> None:
    response = client.post("/api/v1/session", data=text, content_type="application/json",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400, response.data
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("props", [
    '[{"asset": "heart-model", "x": ' + "9" * 400 + ', "y": 0.5}]',
    '[{"asset": "heart-model", "x": 1e999, "y": 0.5}]',
    "[" * 20_000 + "]" * 20_000,
])
def test_kiosk_props_with_huge_numbers_or_nesting_are_refused(client: FlaskClient, kiosk_token: str,
                                                              templates: list[str], props: str) -> None:
    from io import BytesIO

    response = client.post("/api/v1/kiosk/photos", headers={"Authorization": f"Bearer {kiosk_token}"},
                           data={"consent": "true", "props": props,
                                 "photo": (BytesIO(photo_jpeg(320, 240)), "me.jpg", "image/jpeg")},
                           content_type="multipart/form-data")
    _check(response, "POST /api/v1/kiosk/photos")
    assert response.status_code == 400
    assert response.get_json()["error"]["pointer"] == "/props"


@pytest.mark.parametrize("value", [str(2**63 + 1), str(2**63), "9" * 40, str(2**31)])
@pytest.mark.parametrize("name", ["page", "per_page"])
def test_page_numbers_past_the_database_range_are_refused(client: FlaskClient, catalogue: Catalogue,
                                                          name: str, value: str) -> None:
    for path in ("/api/v1/exhibits", "/api/v1/galleries", "/api/v1/tours"):
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}{name}={value}", headers={"Accept": "application/json"})
        _check(response, path)
        assert response.status_code == 400, f"{path} {name}={value}: {response.status_code}"
        assert response.get_json()["error"]["pointer"] == f"/query/{name}"


@pytest.mark.parametrize("big", [2**31, 2**63 + 1, 10**30], ids=["2^31", "2^63+1", "10^30"])
def test_ids_past_the_database_range_are_not_found(app: Flask, client: FlaskClient, catalogue: Catalogue,
                                                   big: int) -> None:
    headers = {"Accept": "application/json", "Authorization": f"Bearer {make_token(app, 'root', 'admin')}"}
    tried = 0
    for rule in app.url_map.iter_rules():
        numeric = [n for n in rule.arguments if isinstance(rule._converters.get(n), NumberConverter)]
        if not numeric:
            continue
        url = rule.rule
        for name in rule.arguments:
            value = str(big) if name in numeric else "exhibits" if name == "kind" else "heart-model"
            url = url.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        for method in set(rule.methods or ()) - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method, headers=headers, json={"version": 1, "status": "draft"})
            _check(response, f"{method} {url}")
            assert response.status_code in (404, 405), f"{method} {url}: {response.status_code}"
            tried += 1
    assert tried >= 10


@pytest.mark.parametrize("sent", [{"version": 2**40}, {"version": 2**53 - 1}])
def test_versions_and_body_ids_past_the_database_range_are_refused(app: Flask, client: FlaskClient,
                                                                    catalogue: Catalogue, sent: dict[str, int]) -> None:
    headers = {"Accept": "application/json", "Authorization": f"Bearer {make_token(app, 'root', 'admin')}"}
    listed = client.get("/api/v1/studio/exhibits", headers=headers).get_json()["items"]
    item = listed[0]["id"]
    for method, url, body in [
        ("PATCH", f"/api/v1/studio/exhibits/{item}", {**sent}),
        ("POST", f"/api/v1/studio/exhibits/{item}/status", {"status": "review", **sent}),
        ("PATCH", f"/api/v1/studio/exhibits/{item}", {"version": 1, "era_id": 2**40}),
        ("POST", "/api/v1/studio/tokens", {"user_id": 2**40, "label": "x"}),
    ]:
        response = client.open(url, method=method, headers=headers, json=body)
        _check(response, f"{method} {url} {body}")
        assert 400 <= response.status_code < 500
    response = client.patch(f"/api/v1/studio/exhibits/{item}", headers={**headers, "If-Match": '"' + "9" * 30 + '"'},
                            json={"summary": {"en": "x"}})
    assert response.status_code == 428


def test_ids_with_thousands_of_digits_match_no_route(client: FlaskClient) -> None:
    response = client.get("/api/v1/assets/" + "9" * 5000, headers={"Accept": "application/json"})
    assert response.status_code == 404
    _check(response, "GET /api/v1/assets/<5000 digits>")
