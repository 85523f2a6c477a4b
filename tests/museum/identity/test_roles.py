"""The role matrix: every studio route, asked by anonymous, a kiosk, a reviewer, a curator and an admin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from museum.core.db import get_db
from museum.identity.accounts import ensure_user
from museum.models import ApiToken, Exhibit, KioskDevice, TimelineEvent
from museum.photos.kiosks import register_kiosk
from museum.studio.documents import KINDS
from tests.museum.conftest import Catalogue, make_token
from tests.museum.studio.conftest import ORIGIN, add_user, sign_in

ROLES = ("anonymous", "kiosk", "reviewer", "curator", "admin")
DENY = (401, 401)  # anonymous, kiosk token


def row(method: str, url: str, body: Any, reviewer: int, curator: int, admin: int,
        headers: dict[str, str] | None = None, deny: tuple[int, int] = DENY) -> tuple[Any, ...]:
    """One request and the exact status expected for each role, in ROLES order."""
    return (method, url, body, headers or {}, (*deny, reviewer, curator, admin))


# In order: each row runs against the state the rows before it left (a fresh database per role).
# Seeded: catalogue exhibit 3 `secret-draft` (draft), exhibit 4 `waiting` (review), event 3 (review).
MATRIX = [
    row("GET", "/api/v1/session", None, 200, 200, 200, deny=(200, 401)),
    row("GET", "/api/v1/studio/exhibits", None, 200, 200, 200),
    row("GET", "/api/v1/studio/galleries?status=draft", None, 200, 200, 200),
    row("GET", "/api/v1/studio/eras", None, 200, 200, 200),
    row("GET", "/api/v1/studio/events", None, 200, 200, 200),
    row("GET", "/api/v1/studio/tours", None, 200, 200, 200),
    row("GET", "/api/v1/studio/photo-templates", None, 200, 200, 200),
    row("POST", "/api/v1/studio/exhibits", {"slug": "matrix-new", "title": {"en": "New"}}, 403, 201, 201),
    row("GET", "/api/v1/studio/exhibits/3", None, 200, 200, 200),
    row("PUT", "/api/v1/studio/exhibits/3", {"version": 1, "title": {"en": "Edited"}}, 403, 200, 200),
    row("PATCH", "/api/v1/studio/exhibits/3", {"summary": {"en": "Patched"}}, 403, 200, 200,
        headers={"If-Match": '"2"'}),
    row("POST", "/api/v1/studio/exhibits/3/status", {"status": "review"}, 403, 200, 200),
    row("GET", "/api/v1/studio/review", None, 200, 200, 200),
    row("POST", "/api/v1/studio/events/3/status", {"status": "published"}, 200, 403, 200),
    row("POST", "/api/v1/studio/exhibits/4/status", {"status": "draft", "note": "not yet"}, 200, 200, 200),
    row("POST", "/api/v1/studio/galleries/1/layout-check", {"placements": []}, 403, 200, 200),
    row("GET", "/api/v1/studio/exhibits/3/history", None, 200, 200, 200),
    row("GET", "/api/v1/studio/exhibits/3/changes", None, 200, 200, 200),
    row("GET", "/api/v1/studio/galleries/1/changes", None, 200, 200, 200),
    row("POST", "/api/v1/studio/exhibits/3/revert/2", {"version": 4}, 403, 200, 200),
    row("POST", "/api/v1/studio/exhibits/3/preview", None, 201, 201, 201),
    row("GET", "/api/v1/studio/exhibits/3/previews", None, 200, 200, 200),
    row("DELETE", "/api/v1/studio/previews/1", None, 204, 204, 204),
    row("DELETE", "/api/v1/studio/exhibits/5", None, 403, 204, 204, headers={"If-Match": '"1"'}),
    row("GET", "/api/v1/studio/translations/missing", None, 200, 200, 200),
    row("GET", "/api/v1/studio/assets", None, 200, 200, 200),
    row("GET", "/api/v1/studio/users", None, 403, 403, 200),
    row("POST", "/api/v1/studio/users", {"name": "newcomer", "role": "curator", "password": "a long password"},
        403, 403, 201),
    row("PATCH", "/api/v1/studio/users/{other_user}", {"role": "reviewer"}, 403, 403, 200),
    row("GET", "/api/v1/studio/tokens", None, 403, 403, 200),
    row("POST", "/api/v1/studio/tokens", {"name": "script", "user_id": 1}, 403, 403, 201),
    row("DELETE", "/api/v1/studio/tokens/{new_token}", None, 403, 403, 204),
    row("GET", "/api/v1/studio/kiosks", None, 403, 403, 200),
    row("POST", "/api/v1/studio/kiosks", {"name": "booth-2"}, 403, 403, 201),
    row("DELETE", "/api/v1/studio/kiosks/{new_kiosk}", None, 403, 403, 204),
    row("GET", "/api/v1/studio/audit", None, 403, 403, 200),
    row("POST", "/api/v1/session", {"name": "nobody", "password": "wrong password"}, 401, 401, 401,
        deny=(401, 401)),
    row("DELETE", "/api/v1/session", None, 200, 200, 200, deny=(200, 401)),
]


def _seed(app: Flask) -> dict[str, int]:
    """Add the rows the matrix works on; return the ids its URLs name."""
    with app.app_context(), get_db().write() as s:
        s.add(Exhibit(slug="waiting", status="review", title={"en": "Waiting"}))
        event = s.get(TimelineEvent, 3)
        assert event is not None and event.slug == "draft-event"
        event.status = "review"
        register_kiosk(s, "booth-1")
        other = ensure_user(s, "someone-else", "curator")
        s.flush()
        return {"other_user": other.id,
                "new_token": (s.scalar(select(func.max(ApiToken.id))) or 0) + 1,
                "new_kiosk": (s.scalar(select(func.max(KioskDevice.id))) or 0) + 1}


def _kiosk_token(app: Flask) -> str:
    with app.app_context(), get_db().write() as s:
        return register_kiosk(s, "booth-0")[1]


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app: Flask, client: FlaskClient, catalogue: Catalogue, role: str, via: str) -> None:
    headers = {"Accept": "application/json"}
    if role == "kiosk":
        headers["Authorization"] = f"Bearer {_kiosk_token(app)}"
    elif role != "anonymous" and via == "token":
        headers["Authorization"] = f"Bearer {make_token(app, role, role)}"
    elif role != "anonymous":
        add_user(app, role, role)
        headers.update({"Origin": ORIGIN, "X-CSRF-Token": sign_in(client, role).csrf})
    ids = _seed(app)
    index = ROLES.index(role)
    for method, url, body, extra, expected in MATRIX:
        response = client.open(url.format(**ids), method=method, json=body, headers={**headers, **extra})
        assert response.status_code == expected[index], (role, method, url, response.get_json(silent=True))


def test_the_matrix_covers_every_studio_route(app: Flask) -> None:
    # Each kind of content has its own routes, served by one view per route: a row for one kind covers them all.
    kinds = re.compile(r"^/api/v1/studio/(?:" + "|".join(re.escape(name) for name in KINDS) + r")(?=/|$)")
    covered = {(m, kinds.sub("/api/v1/studio/KIND", re.sub(r"\{[a-z_]+\}", "1", re.sub(r"\?.*", "", u))))
               for m, u, *_ in MATRIX}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/v1/studio", "/api/v1/session")):
            continue
        generic = kinds.sub("/api/v1/studio/KIND", rule.rule)
        pattern = re.compile("^" + re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "[^/]+", generic) + "$")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert any(m == method and pattern.match(u) for m, u in covered), f"{method} {rule.rule} not in MATRIX"


def test_a_kiosk_token_is_refused_even_on_reads(app: Flask, client: FlaskClient) -> None:
    response = client.get("/api/v1/studio/exhibits", headers={"Authorization": f"Bearer {_kiosk_token(app)}"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"
