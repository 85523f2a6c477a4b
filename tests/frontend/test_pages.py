"""The page routes answer HTML shells for visible content and serve front-end files with the right headers."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from museum.catalogue import pages
from museum.core.db import get_db
from museum.models import Exhibit
from tests.museum.conftest import Catalogue

HTML = {"Accept": "text/html"}


@pytest.fixture
def static_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "static"
    (root / "build" / "chunks").mkdir(parents=True)
    (root / "vendor" / "basis").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "build" / "museum.js").write_text("export const a = 1;\n" * 50)
    (root / "build" / "museum.js.gz").write_bytes(gzip.compress((root / "build" / "museum.js").read_bytes()))
    (root / "build" / "museum.css").write_text("body{}")
    (root / "build" / "timeline.js").write_text("export {};")
    (root / "build" / "chunks" / "chunk-ABC.js").write_text("export {};")
    (root / "vendor" / "basis" / "basis_transcoder.wasm").write_bytes(b"\0asm\1\0\0\0")
    (root / "src" / "museum.js").write_text("secret source")
    monkeypatch.setattr(pages, "STATIC_DIR", root)
    return root


def _route(html: str) -> dict[str, object]:
    match = re.search(r'data-route="([^"]*)"', html)
    assert match
    return json.loads(match.group(1).replace("&#34;", '"'))  # type: ignore[no-any-return]


def test_pages_are_shells_with_title_language_and_route(client: FlaskClient, catalogue: Catalogue,
                                                        static_dir: Path) -> None:
    cases = {
        "/": {"view": "home", "page": "museum"},
        "/g/history-hall": {"view": "gallery", "gallery": "history-hall", "page": "museum"},
        "/e/heart-model": {"view": "exhibit", "exhibit": "heart-model", "page": "museum"},
        "/t/highlights": {"view": "tour", "tour": "highlights", "stop": 1, "page": "museum"},
        "/t/highlights/2": {"view": "tour", "tour": "highlights", "stop": 2, "page": "museum"},
        "/timeline": {"view": "timeline", "page": "timeline"},
    }
    for url, route in cases.items():
        response = client.get(url + "?lang=en", headers=HTML)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        html = response.get_data(as_text=True)
        found = _route(html)
        found.pop("detail", None)  # an exhibit's page brings its exhibit (tested below)
        assert '<html lang="en">' in html and found == route, url
        assert re.search(r'src="/static/build/(museum|timeline)\.js\?v=[0-9a-f]{16}"', html), url
    assert "<title>Cardiac heart model · Hospital History Museum</title>" in client.get("/e/heart-model?lang=en").text
    assert "<title>心臟模型 · 醫院歷史博物館</title>" in client.get(
        "/e/heart-model", headers={"Accept-Language": "zh-TW"}).text


def test_pages_of_missing_or_draft_content_are_not_found(client: FlaskClient, catalogue: Catalogue) -> None:
    for url in ("/g/draft-gallery", "/e/secret-draft", "/g/nope", "/t/highlights/3", "/t/highlights/0", "/t/nope"):
        response = client.get(url, headers=HTML)
        assert response.status_code == 404, url
        assert response.headers["Content-Type"].startswith("text/html")
    assert client.get("/e/secret-draft", headers={"Accept": "application/json"}).get_json()["error"]["code"]


def test_static_files_have_media_types_etags_and_gzip(client: FlaskClient, static_dir: Path) -> None:
    plain = client.get("/static/build/museum.js")
    assert plain.status_code == 200 and plain.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "Content-Encoding" not in plain.headers and plain.headers["Cache-Control"] == "public, no-cache"
    assert plain.headers["Vary"] == "Accept-Encoding"
    zipped = client.get("/static/build/museum.js", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/static/build/museum.js", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    versioned = client.get("/static/build/museum.js?v=abc")
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/build/chunks/chunk-ABC.js").headers["Cache-Control"].endswith("immutable")
    assert client.get("/static/build/museum.css").headers["Content-Type"] == "text/css; charset=utf-8"
    wasm = client.get("/static/vendor/basis/basis_transcoder.wasm")
    assert wasm.headers["Content-Type"] == "application/wasm" and wasm.data == b"\0asm\1\0\0\0"


def test_static_refuses_sources_traversal_and_missing_files(client: FlaskClient, static_dir: Path) -> None:
    for url in ("/static/src/museum.js", "/static/../museum/pages.py", "/static/build/nothing.js",
                "/static/build/museum.js.gz", "/static/build", "/static/%2e%2e/pyproject.toml"):
        response = client.get(url, headers={"Accept": "application/json"})
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] in ("static_not_found", "not_found"), url


def test_an_exhibit_link_brings_its_title_summary_poster_and_what_to_load_first(app: Flask, catalogue: Catalogue,
                                                                                client: FlaskClient) -> None:
    """An SMS link shows the exhibit from the first HTML and starts its model and gallery beside the scripts."""
    with app.app_context(), get_db().write() as s:
        heart = s.scalars(select(Exhibit).where(Exhibit.slug == "heart-model")).one()
        assert heart.model_asset is not None
        heart.model_asset.poster_sha256 = "ab" * 32
    html = client.get("/e/heart-model?lang=en", headers={**HTML, "User-Agent": "Mozilla/5.0 (Linux; Android 14) "
                                                        "Mobile"}).get_data(as_text=True)
    first = re.search(r'<article class="first-view".*?</article>', html, re.S)
    assert first, html[:2000]
    assert ">Cardiac heart model</h2>" in first.group(0) and 'elementtiming="exhibit-title"' in first.group(0)
    detail = client.get("/api/v1/exhibits/heart-model?lang=en").get_json()
    assert f'<img class="first-poster" src="/files/{"ab" * 32}.webp"' in first.group(0)
    route = _route(html)
    assert route["detail"]["title"] == "Cardiac heart model"  # type: ignore[index]
    assert route["detail"]["galleries"] == detail["galleries"]  # type: ignore[index]
    assert f'rel="preload" as="fetch" crossorigin href="{detail["models"]["phone"]["url"]}"' in html
    assert 'href="/api/v1/galleries/history-hall/manifest?lang=en"' in html


def test_help_carries_all_three_languages_and_shows_the_visitors(client: FlaskClient) -> None:
    for lang, title, first in (("zh-Hans", "使用帮助", "怎样走动"), ("zh-Hant", "使用說明", "怎樣走動"),
                               ("en", "Help", "How to move")):
        html = client.get(f"/help?lang={lang}", headers=HTML).get_data(as_text=True)
        assert f"<title>{title} · " in html and f'<html lang="{lang}">' in html
        shown = re.findall(r'<div class="help-lang" lang="([^"]+)" data-lang="[^"]+">', html)
        hidden = re.findall(r'<div class="help-lang" lang="([^"]+)" data-lang="[^"]+" hidden>', html)
        assert shown == [lang] and sorted(hidden + shown) == sorted(["zh-Hans", "zh-Hant", "en"])
        assert first in html and html.count('class="help-picture"') == 18
        assert _route(html) == {"view": "help", "page": "help"}


def test_the_icons_are_images_and_every_page_links_them(client: FlaskClient, catalogue: Catalogue) -> None:
    from PIL import Image

    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.headers["Content-Type"] == "image/x-icon"
    with Image.open(io.BytesIO(ico.data)) as image:
        assert image.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= set(image.info["sizes"])
    touch = client.get("/apple-touch-icon.png")
    with Image.open(io.BytesIO(touch.data)) as image:
        assert image.format == "PNG" and image.size == (180, 180)
    assert client.get("/favicon.ico", headers={"If-None-Match": ico.headers["ETag"]}).status_code == 304
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["Content-Type"] == "image/svg+xml" and b"<svg" in svg.data
    for url in ("/", "/g/history-hall", "/e/heart-model", "/timeline", "/help", "/studio", "/inquiry",
                "/no-such-page"):
        html = client.get(url, headers=HTML).get_data(as_text=True)
        assert '<link rel="icon" href="/favicon.ico"' in html and 'href="/static/favicon.svg"' in html, url
        assert 'href="data:,"' not in html, url
