"""Each manager's tiles: chosen, ordered and sized, saved per user."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from museum.cockpit.layout import TILES
from tests.museum.cockpit.conftest import headers_for


def test_layout_is_saved_per_user(app: Flask, client: FlaskClient, manager: dict[str, str]) -> None:
    default = client.get("/api/v1/cockpit/layout", headers=manager).get_json()
    assert [t["id"] for t in default["tiles"]] == list(TILES)
    chosen = [{"id": "booth", "size": "l"}, {"id": "key_figures", "size": "s"}]
    saved = client.put("/api/v1/cockpit/layout", json={"tiles": chosen}, headers=manager)
    assert saved.status_code == 200
    assert client.get("/api/v1/cockpit/layout", headers=manager).get_json()["tiles"] == chosen
    admin = headers_for(app, "admin")
    assert [t["id"] for t in client.get("/api/v1/cockpit/layout", headers=admin).get_json()["tiles"]] == list(TILES)


def test_bad_layouts_are_refused(client: FlaskClient, manager: dict[str, str]) -> None:
    for tiles, pointer in (([{"id": "weather"}], "/tiles/0/id"), ([{"id": "booth"}, {"id": "booth"}], "/tiles/1/id"),
                           ([{"id": "booth", "size": "xl"}], "/tiles/0/size"), ("booth", "/tiles")):
        response = client.put("/api/v1/cockpit/layout", json={"tiles": tiles}, headers=manager)
        assert response.status_code in (400, 422)
        assert response.get_json()["error"]["pointer"] == pointer
