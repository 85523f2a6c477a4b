"""The studio's page: one shell in the curator's language, its script and styles bundled with the visitor pages'."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(("accept", "lang", "title"), [("zh-CN,zh;q=0.9", "zh-Hans", "策展工作室"),
                                                      ("zh-TW", "zh-Hant", "策展工作室"),
                                                      ("en-GB,en;q=0.8", "en", "Curator studio"),
                                                      ("fr-FR", "zh-Hans", "策展工作室")])
def test_the_studio_page_speaks_the_browsers_language_or_simplified_chinese(client: FlaskClient, accept: str,
                                                                            lang: str, title: str) -> None:
    response = client.get("/studio", headers={"Accept-Language": accept})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Accept-Language" in response.headers["Vary"]
    assert f'<html lang="{lang}">' in html and f"<title>{title}</title>" in html
    # The one static route serves its bundle; the studio's own file routes are gone.
    assert re.search(r'<script type="module" src="/static/build/studio\.js\?v=[0-9a-f]+">', html), html
    assert re.search(r'<link rel="stylesheet" href="/static/build/studio\.css\?v=[0-9a-f]+">', html), html
    assert client.get("/studio/static/app.js").status_code == 404


def test_the_studio_page_follows_lang_in_the_address(client: FlaskClient) -> None:
    html = client.get("/studio?lang=zh-Hant", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in html and "跳到主要內容" in html
