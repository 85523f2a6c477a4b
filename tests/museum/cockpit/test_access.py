"""Who reads the cockpit: managers and admins; curators, reviewers and kiosks 403; anonymous 401."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from museum.cli import main
from museum.core.db import get_db
from museum.photos.kiosks import register_kiosk
from tests.museum.cockpit.conftest import headers_for

ROUTES = ["/api/v1/cockpit/summary", "/api/v1/cockpit/export.csv", "/api/v1/cockpit/layout"]


@pytest.mark.parametrize("role, status", [("manager", 200), ("admin", 200), ("curator", 403), ("reviewer", 403)])
def test_roles(app: Flask, client: FlaskClient, role: str, status: int) -> None:
    headers = headers_for(app, role)
    for route in ROUTES:
        response = client.get(route, headers=headers)
        assert response.status_code == status, (route, role)
        if status == 403:
            assert response.get_json()["error"]["code"] == "cockpit_forbidden"


def test_anonymous_and_kiosk(app: Flask, client: FlaskClient) -> None:
    with app.app_context(), get_db().write() as session:
        _, kiosk = register_kiosk(session, "booth-1")
    for route in ROUTES:
        anonymous = client.get(route, headers={"Accept": "application/json"})
        assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"] == "unauthorized"
        booth = client.get(route, headers={"Authorization": f"Bearer {kiosk}"})
        assert booth.status_code == 403


def test_a_manager_may_not_use_the_studio(app: Flask, client: FlaskClient) -> None:
    headers = headers_for(app, "manager")
    assert client.get("/api/v1/studio/exhibits", headers=headers).status_code == 403
    assert client.get("/api/v1/studio/users", headers=headers).status_code == 403


def test_manager_from_the_command_line(app: Flask, client: FlaskClient) -> None:
    env = {"MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"], "MUSEUM_INSTANCE_PATH": app.instance_path,
           "MUSEUM_STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"], "MUSEUM_SECRET_KEY": "test-secret"}
    created = CliRunner().invoke(main, ["user", "create", "mei", "--role", "manager"], env=env,
                                 input="a long password\n")
    assert created.exit_code == 0, created.output
    token = CliRunner().invoke(main, ["token", "create", "wall", "--user", "mei"], env=env)
    assert token.exit_code == 0 and "(manager)" in token.output
    bearer = token.output.strip().splitlines()[-1]
    assert client.get("/api/v1/cockpit/summary", headers={"Authorization": f"Bearer {bearer}"}).status_code == 200
    signed = client.post("/api/v1/session", json={"name": "mei", "password": "a long password"})
    assert signed.status_code == 201
    assert client.get("/api/v1/cockpit/summary").status_code == 200
