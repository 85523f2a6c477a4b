"""The response cache: keyed on what was negotiated, bounded by least-recent use, dropping only what changed."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from museum.catalogue import params
from museum.core.db import get_db
from museum.core.http_cache import ResponseCache, bump_catalogue, changes_between, serialised, subjects_of
from museum.models import Exhibit
from tests.museum.conftest import Catalogue

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
XIAOMI = "Mozilla/5.0 (Linux; Android 13; 2211133C) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36"


def _cache(app: Flask) -> ResponseCache:
    return app.extensions["museum.cache"]


def test_phones_share_one_cached_manifest_whatever_their_user_agent(app: Flask, client: FlaskClient,
                                                                    catalogue: Catalogue) -> None:
    url = "/api/v1/galleries/history-hall/manifest"
    answers = [client.get(url, headers={"User-Agent": agent}) for agent in (IPHONE, ANDROID, XIAOMI)]
    assert all(a.status_code == 200 and a.get_json()["tier"] == "phone" for a in answers)
    assert len({a.headers["ETag"] for a in answers}) == 1
    assert len(_cache(app)) == 1
    desktop = client.get(url, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"})
    assert desktop.get_json()["tier"] == "desktop" and len(_cache(app)) == 2


def test_languages_are_keyed_as_negotiated(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    english = [client.get("/api/v1/exhibits", headers={"Accept-Language": header}).get_json()
               for header in ("en-US,en;q=0.9", "en-GB", "en;q=0.8, fr;q=0.5")]
    assert english[0] == english[1] == english[2] and english[0]["items"][0]["title"] == "Cardiac heart model"
    assert len(_cache(app)) == 1
    chinese = client.get("/api/v1/exhibits", headers={"Accept-Language": "zh-TW"}).get_json()
    assert chinese["items"][0]["title"] == "心臟模型" and len(_cache(app)) == 2


def test_a_bad_parameter_is_refused_even_when_the_url_was_cached(client: FlaskClient, catalogue: Catalogue) -> None:
    assert client.get("/api/v1/exhibits?lang=xx").status_code == 400
    assert client.get("/api/v1/galleries/history-hall/manifest?tier=watch").status_code == 400
    assert client.get("/api/v1/galleries/history-hall/manifest?tier=watch").status_code == 400


def test_least_recently_used_entries_go_first() -> None:
    store = ResponseCache(database=None, check_seconds=3600, max_entries=2)
    store._version = 1
    store._checked_at = float("inf")  # never re-read the (absent) database in this test

    def environ(path: str) -> dict[str, str]:
        return {"PATH_INFO": path, "QUERY_STRING": "", "REQUEST_METHOD": "GET"}

    def key(_environ: dict[str, str]) -> str:
        return "en"

    for path in ("/a", "/b"):
        store.store(environ(path), key, serialised({"path": path}), "Accept-Language")
    assert store.lookup(environ("/a")) is not None  # /a is now the most recently used
    store.store(environ("/c"), key, serialised({"path": "/c"}), "Accept-Language")
    assert len(store) == 2
    assert store.lookup(environ("/b")) is None
    assert store.lookup(environ("/a")) is not None and store.lookup(environ("/c")) is not None


def test_bytes_are_bounded_too() -> None:
    store = ResponseCache(database=None, check_seconds=3600, max_entries=100, max_bytes=100)
    store._version, store._checked_at = 1, float("inf")
    for i in range(5):
        store.store({"PATH_INFO": f"/{i}", "QUERY_STRING": ""}, lambda e: "", serialised({"x": "y" * 30}), "")
    assert store._bytes <= 100 and len(store) == 2


def test_gzip_is_a_negotiated_variant_with_its_own_etag(app: Flask, client: FlaskClient,
                                                         catalogue: Catalogue) -> None:
    plain = client.get("/api/v1/galleries/history-hall?lang=en")
    packed = client.get("/api/v1/galleries/history-hall?lang=en", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
    assert packed.headers["ETag"] != plain.headers["ETag"] and "Accept-Encoding" in packed.headers["Vary"]
    refused = client.get("/api/v1/galleries/history-hall?lang=en", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    again = client.get("/api/v1/galleries/history-hall?lang=en", headers={"Accept-Encoding": "gzip",
                                                                          "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def _publish(app: Flask, slug: str) -> None:
    with app.app_context(), get_db().write() as s:
        row = s.scalar(select(Exhibit).where(Exhibit.slug == slug))
        assert row is not None
        row.status = "published"
        bump_catalogue(s, subjects_of("exhibit", slug))


def test_a_change_drops_only_what_depends_on_it(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    heart = client.get("/api/v1/exhibits/heart-model?lang=en")
    listed = client.get("/api/v1/exhibits?lang=en").get_json()["total"]
    client.get("/api/v1/galleries/history-hall/manifest?lang=en&tier=phone")
    cache = _cache(app)
    entries = len(cache)
    _publish(app, "secret-draft")
    assert client.get("/api/v1/exhibits?lang=en").get_json()["total"] == listed + 1
    # The heart model's page does not name the newly published exhibit: it stays cached, served by the fast path.
    assert len(cache) < entries + 1
    assert cache.lookup(app.test_request_context("/api/v1/exhibits/heart-model?lang=en").request.environ)
    assert client.get("/api/v1/exhibits/heart-model?lang=en").headers["ETag"] == heart.headers["ETag"]
    assert client.get("/api/v1/exhibits/secret-draft?lang=en").status_code == 200


def test_a_change_to_an_exhibit_reaches_the_gallery_it_is_placed_in(app: Flask, client: FlaskClient,
                                                                     catalogue: Catalogue) -> None:
    url = "/api/v1/galleries/history-hall/manifest?lang=en&tier=phone"
    before = client.get(url).get_json()
    with app.app_context(), get_db().write() as s:
        heart = s.scalar(select(Exhibit).where(Exhibit.slug == "heart-model"))
        assert heart is not None
        heart.title = {**heart.title, "en": "The first heart"}
        bump_catalogue(s, subjects_of("exhibit", "heart-model"))
    after = client.get(url).get_json()
    assert before["exhibits"][0]["title"] == "Cardiac heart model"
    assert after["exhibits"][0]["title"] == "The first heart"


def test_changes_are_read_in_full_or_not_at_all(app: Flask) -> None:
    with app.app_context(), get_db().write() as s:
        bump_catalogue(s, subjects_of("exhibit", "a"))
        bump_catalogue(s, subjects_of("gallery", "b"))
        bump_catalogue(s)
    with app.app_context(), get_db().read() as s:
        assert changes_between(s, 0, 2) == {"exhibit", "exhibit:a", "gallery", "gallery:b"}
        assert changes_between(s, 1, 3) is None  # the third bump said nothing about what changed
        assert changes_between(s, 3, 3) == set()
        assert changes_between(s, 0, 9) is None  # versions this worker cannot account for


def test_while_one_thread_rebuilds_a_dropped_answer_the_others_get_it_stale_at_once(
        app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    url = "/api/v1/exhibits?lang=en"
    before = client.get(url)
    cache = _cache(app)
    _publish(app, "secret-draft")
    environ = app.test_request_context(url).request.environ
    cache.version()  # the worker notices the change and drops the list
    assert cache.lookup(environ) is None
    rebuilding = cache.filling(environ, params.cache_key)
    with ThreadPoolExecutor(1) as pool, rebuilding:  # a rebuild is under way: this visitor does not queue behind it
        stale = pool.submit(client.get, url).result(timeout=30)
    assert stale.get_json()["total"] == before.get_json()["total"]
    assert stale.headers["ETag"] == before.headers["ETag"]
    fresh = client.get(url)  # the next visitor builds the new answer, which replaces the stale one
    assert fresh.get_json()["total"] == before.get_json()["total"] + 1
    assert cache.stale(environ, params.cache_key) is None
    with rebuilding:  # now current: answered from the cache, with no rebuild to wait for
        assert client.get(url).headers["ETag"] == fresh.headers["ETag"]


def test_a_stale_answer_does_not_outlive_its_content(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    url = "/api/v1/exhibits/heart-model?lang=en"
    assert client.get(url).status_code == 200
    with app.app_context(), get_db().write() as s:
        heart = s.scalar(select(Exhibit).where(Exhibit.slug == "heart-model"))
        assert heart is not None
        heart.status = "draft"
        bump_catalogue(s, subjects_of("exhibit", "heart-model"))
    environ = app.test_request_context(url).request.environ
    cache = _cache(app)
    cache.version()
    assert cache.stale(environ, params.cache_key) is not None
    assert client.get(url, headers={"Accept": "application/json"}).status_code == 404
    # The rebuild found nothing: no visitor arriving during a later rebuild is shown the withdrawn exhibit.
    assert cache.stale(environ, params.cache_key) is None
