"""Every page carries a Content-Security-Policy that forbids framing; HSTS is sent when configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from museum import create_app
from tests.museum.conftest import Catalogue

PAGES = ["/", "/g/history-hall", "/e/heart-model", "/timeline", "/kiosk", "/studio", "/api/v1/exhibits",
         "/p/" + "x" * 32]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_policy_that_forbids_framing(client: FlaskClient, catalogue: Catalogue, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives.get("frame-ancestors") == "'none'", (path, csp)
    assert "'unsafe-inline'" not in directives.get("script-src", ""), path
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_visitor_pages_allow_the_wasm_decoders_and_their_workers(client: FlaskClient, catalogue: Catalogue) -> None:
    csp = client.get("/g/history-hall").headers["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in csp and "worker-src 'self' blob:" in csp


def test_the_kiosk_may_show_its_camera(client: FlaskClient) -> None:
    csp = client.get("/kiosk").headers["Content-Security-Policy"]
    assert "mediastream:" in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]


def test_hsts_when_configured(database_url: str, tmp_path: Path) -> None:
    app: Flask = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "DATABASE_URL": database_url,
                             "STORAGE_DIR": str(tmp_path / "s"), "SECRET_KEY": "k", "HSTS_SECONDS": 31536000})
    try:
        response = app.test_client().get("/", base_url="https://museum.example.org")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    finally:
        app.extensions["museum.db"].dispose()
