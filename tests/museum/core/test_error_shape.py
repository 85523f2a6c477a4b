"""Every route answers errors with the one JSON error body, and never a 500, whatever it is sent."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing.converters import NumberConverter

from tests.museum.conftest import Catalogue

JSON = {"Accept": "application/json"}


def _check(response: Any, where: str) -> None:
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    if response.status_code >= 400:
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and set(body) == {"error"}, f"{where}: {response.data[:200]!r}"
        error = body["error"]
        assert isinstance(error["code"], str) and error["code"], where
        assert isinstance(error["message"], str) and error["message"], where
        assert set(error) <= {"code", "message", "pointer"}, where
        assert response.headers["Content-Type"].startswith("application/json"), where


def _urls(app: Flask) -> list[tuple[str, set[str]]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args: dict[str, object] = {}
        for name in rule.arguments:
            converter = rule._converters.get(name)
            numeric = isinstance(converter, NumberConverter)
            args[name] = 987654 if numeric else "no-such-thing"
        url = rule.build(args, append_unknown=False)
        assert url is not None
        urls.append((url[1], set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return urls


def test_every_route_answers_errors_in_the_one_shape(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    for url, methods in _urls(app):
        for method in methods:
            _check(client.open(url, method=method, headers=JSON), f"{method} {url}")
            _check(client.open(url, method=method, headers=JSON, data=b"\xff\x00not json",
                               content_type="application/json"), f"{method} {url} with a bad body")
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            response = client.open(url, method=method, headers=JSON)
            _check(response, f"{method} {url}")
    for url in ("/api/v1/nothing-here", "/files/" + "0" * 64 + ".glb", "/files/../../etc/passwd",
                "/api/v1/exhibits?page=-1", "/api/v1/search?q=" + "x" * 500):
        response = client.get(url, headers=JSON)
        assert response.status_code >= 400
        _check(response, url)


def test_browsers_get_a_friendly_page_on_pages_but_json_on_the_api(client: FlaskClient) -> None:
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = client.get("/no-such-page", headers=html)
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    text = page.get_data(as_text=True)
    assert "Back to the museum" in text
    # Only the museum's own words, in its three languages; Werkzeug's English sentence is for programs.
    assert "requested URL" not in text and "spelling" not in text
    for words in ("找不到这个页面", "找不到這個頁面", "We could not find this page", 'href="/help?lang=zh-Hans"'):
        assert words in text
    assert '<meta name="museum-error" content="not_found">' in text
    api = client.get("/api/v1/nothing-here", headers=html)
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"


def test_refusals_of_the_libraries_are_mapped_in_one_place(app: Flask) -> None:
    from ar_photo.errors import PhotoRejected
    from assets.errors import AssetRejected
    from scenes.errors import ComposeFailed, LayoutInvalid

    refusals: dict[str, Exception] = {
        "asset": AssetRejected("GLB_TRUNCATED", "The GLB ends early.", "/bin", status=400),
        "compose": ComposeFailed("NOT_GLB", "The room is not a GLB."),
        "layout": LayoutInvalid("NO_FLOOR", "The room has no floor."),
        "photo": PhotoRejected("PHOTO_TOO_LARGE", "The photo is too large.", status=413),
    }

    def raiser(kind: str) -> Any:
        raise refusals[kind]

    app.add_url_rule("/api/v1/test-refusal/<kind>", view_func=raiser)
    client = app.test_client()
    answers = {kind: client.get(f"/api/v1/test-refusal/{kind}") for kind in refusals}
    assert {k: (r.status_code, r.get_json()) for k, r in answers.items()} == {
        "asset": (400, {"error": {"code": "GLB_TRUNCATED", "message": "The GLB ends early.", "pointer": "/bin"}}),
        "compose": (422, {"error": {"code": "NOT_GLB", "message": "The room is not a GLB."}}),
        "layout": (422, {"error": {"code": "NO_FLOOR", "message": "The room has no floor."}}),
        "photo": (413, {"error": {"code": "PHOTO_TOO_LARGE", "message": "The photo is too large."}}),
    }
