"""CSRF: cookie-authenticated writes need the session's token and a same-origin Origin/Referer; tokens do not."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import AuditEvent
from tests.museum.conftest import Catalogue, box_glb
from tests.museum.studio.conftest import ORIGIN, PASSWORD, add_user, sign_in

NEW = {"slug": "new-exhibit", "title": {"en": "New"}}


def test_a_write_with_the_token_from_the_same_origin_passes(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    assert studio.send("POST", "/api/v1/studio/exhibits", NEW).status_code == 201
    referer_only = client.post("/api/v1/studio/exhibits", json={**NEW, "slug": "by-referer"},
                               headers={"Referer": f"{ORIGIN}/studio", "X-CSRF-Token": studio.csrf})
    assert referer_only.status_code == 201


def test_a_write_from_a_foreign_origin_is_refused(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Origin": "http://localhost.evil.example"}, {"Referer": "https://evil.example/studio"}):
        response = client.post("/api/v1/studio/exhibits", json=NEW, headers={"X-CSRF-Token": studio.csrf, **headers})
        assert response.status_code == 403, headers
        assert response.get_json()["error"]["code"] == "csrf_foreign_origin"
    none = client.post("/api/v1/studio/exhibits", json=NEW, headers={"X-CSRF-Token": studio.csrf})
    assert none.status_code == 403 and none.get_json()["error"]["code"] == "csrf_origin_missing"
    assert studio.get("/api/v1/studio/exhibits").get_json()["total"] == 0


def test_a_write_without_the_token_is_refused(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    for token in (None, "", "wrong-token", studio.csrf[:-1]):
        headers = {"Origin": ORIGIN} if token is None else {"Origin": ORIGIN, "X-CSRF-Token": token}
        response = client.post("/api/v1/studio/exhibits", json=NEW, headers=headers)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "csrf_token_invalid"
    # Sign-out and uploads are state changes too.
    assert client.delete("/api/v1/session", headers={"Origin": ORIGIN}).status_code == 403
    upload = client.post("/api/v1/assets", data={"file": (io.BytesIO(box_glb()), "box.glb")},
                         content_type="multipart/form-data", headers={"Origin": ORIGIN})
    assert upload.status_code == 403
    form = client.post("/api/v1/assets", data={"file": (io.BytesIO(box_glb()), "box.glb"),
                                               "csrf_token": studio.csrf},
                       content_type="multipart/form-data", headers={"Origin": ORIGIN})
    assert form.status_code == 202  # the token may come as a form field
    with app.app_context(), get_db().read() as s:
        uploads = s.execute(select(AuditEvent.actor, AuditEvent.target_type).where(AuditEvent.action == "upload")).all()
    assert [tuple(u) for u in uploads] == [("ada", "asset")]  # the refused uploads left no trace but this one


def test_another_sessions_token_does_not_work(app: Flask) -> None:
    add_user(app, "ada", "curator")
    add_user(app, "bob", "curator")
    ada, bob = sign_in(app.test_client(), "ada"), sign_in(app.test_client(), "bob")
    response = ada.client.post("/api/v1/studio/exhibits", json=NEW,
                               headers={"Origin": ORIGIN, "X-CSRF-Token": bob.csrf})
    assert response.status_code == 403


def test_bearer_tokens_carry_no_ambient_authority_and_skip_csrf(client: FlaskClient,
                                                                 curator_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/studio/exhibits", json=NEW,
                           headers={**curator_headers, "Origin": "https://elsewhere.example"})
    assert response.status_code == 201


def test_sign_in_from_a_foreign_origin_is_refused(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    response = client.post("/api/v1/session", json={"name": "ada", "password": PASSWORD},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "museum_session=" not in ";".join(response.headers.getlist("Set-Cookie"))


def test_reads_need_no_token(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    add_user(app, "ada", "curator")
    sign_in(client, "ada")
    assert client.get("/api/v1/studio/exhibits").status_code == 200
    assert client.get("/api/v1/exhibits/secret-draft").status_code == 200  # staff see drafts in the public API


def test_the_public_origin_behind_a_tls_proxy_is_same_origin(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    app.config["MUSEUM_BASE_URL"] = "https://museum.example.org"
    for i, origin in enumerate(("https://localhost", "https://museum.example.org")):
        response = client.post("/api/v1/studio/exhibits", json={**NEW, "slug": f"proxied-{i}"},
                               headers={"Origin": origin, "X-CSRF-Token": studio.csrf})
        assert response.status_code == 201, origin
    other_port = client.post("/api/v1/studio/exhibits", json=NEW,
                             headers={"Origin": "http://localhost:8080", "X-CSRF-Token": studio.csrf})
    assert other_port.status_code == 403
