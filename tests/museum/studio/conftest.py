"""Staff accounts with passwords and signed-in test clients for the studio's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from museum.core.db import get_db
from museum.identity.accounts import create_user
from tests.museum.conftest import make_token

PASSWORD = "correct horse battery"
ORIGIN = "http://localhost"


def add_user(app: Flask, name: str, role: str, password: str = PASSWORD) -> None:
    """Create a staff account with a password."""
    with app.app_context(), get_db().write() as s:
        create_user(s, name, role, password)


class Studio:
    """A test client signed in to the studio: sends the CSRF token and a same-origin Origin on writes."""

    def __init__(self, client: FlaskClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Accept": "application/json", "Origin": ORIGIN, "X-CSRF-Token": self.csrf, **(extra or {})}

    def get(self, url: str, **kw):  # type: ignore[no-untyped-def]
        """GET as the signed-in user."""
        return self.client.get(url, headers=self._headers(kw.pop("headers", None)), **kw)

    def send(self, method: str, url: str, json: object = None, **kw):  # type: ignore[no-untyped-def]
        """Send a state-changing request as the signed-in user, with the CSRF token."""
        return self.client.open(url, method=method, json=json, headers=self._headers(kw.pop("headers", None)), **kw)


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD) -> Studio:
    """Sign a client in and return it wrapped with its CSRF token."""
    response = client.post("/api/v1/session", json={"name": name, "password": password},
                           headers={"Origin": ORIGIN})
    assert response.status_code == 201, response.get_json()
    return Studio(client, response.get_json()["csrf_token"])


@pytest.fixture
def staff(app: Flask) -> Callable[[str], Studio]:
    """Return a factory of signed-in clients by role (one account per role)."""

    def make(role: str) -> Studio:
        add_user(app, role, role)
        return sign_in(app.test_client(), role)

    return make


@pytest.fixture
def token_for(app: Flask) -> Callable[[str], dict[str, str]]:
    """Return a factory of Bearer headers by role."""

    def make(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {make_token(app, f'{role}-script', role)}", "Accept": "application/json"}

    return make
