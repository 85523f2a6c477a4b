"""The search index is updated document by document when the catalogue changes, never rebuilt for a publish."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from museum.catalogue.search import Document, SearchIndex
from museum.catalogue.search_service import build_index
from museum.core.db import get_db
from museum.core.http_cache import bump_catalogue, subjects_of
from museum.models import Exhibit
from tests.museum.conftest import Catalogue


def _docs() -> list[Document]:
    return [
        Document("exhibit", "heart", {"title": "心脏模型 Cardiac heart model", "tags": "heart surgery",
                                      "summary": "中国首例心脏手术", "body": "cardiology cardiac history"}),
        Document("exhibit", "lung", {"title": "肺 Lung", "tags": "lung", "summary": "胸外科", "body": "cardiac"}),
        Document("event", "first-surgery", {"title": "首例心脏手术", "body": "The first cardiac operation"}),
        Document("gallery", "hall", {"title": "院史馆 History hall", "summary": "心脏 heart"}),
    ]


def test_updates_give_the_same_answers_as_a_fresh_index() -> None:
    docs = _docs()
    grown = SearchIndex(docs[:2])
    grown.put(docs[3])
    grown.put(Document("exhibit", "lung", {"title": "旧的 old", "tags": "", "summary": "", "body": ""}))
    grown.put(docs[1])  # replaced by its new text
    grown.put(docs[2])
    grown.put(Document("tour", "gone", {"title": "心脏 cardiology tour", "summary": ""}))
    grown.remove("tour", "gone")
    grown.remove("tour", "never-there")
    assert len(grown) == 4 and ("tour", "gone") not in grown
    fresh = SearchIndex(docs)
    for query in ("心脏", "心", "cardiac", "card", "heart surgery", "首例", "旧的", "old", "cardiology", "手术 card"):
        assert grown.search(query) == fresh.search(query), query
    assert grown.search("旧的") == [] and grown.search("cardiology")[0].slug == "heart"
    assert fresh.search("card", {"event"})[0].slug == "first-surgery"


def test_a_publish_updates_the_index_in_place(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    assert client.get("/api/v1/search?q=secret").get_json()["items"] == []
    index = app.extensions["museum.search"]["index"]
    with app.app_context(), get_db().write() as s:
        draft = s.scalar(select(Exhibit).where(Exhibit.slug == "secret-draft"))
        assert draft is not None
        draft.status = "published"
        bump_catalogue(s, subjects_of("exhibit", "secret-draft"))
    found = client.get("/api/v1/search?q=draft+exhibit&lang=en").get_json()["items"]
    assert [i["slug"] for i in found] == ["secret-draft"]
    assert app.extensions["museum.search"]["index"] is index  # updated, not rebuilt
    with app.app_context(), get_db().read() as s:
        rebuilt = build_index(s)
    for query in ("心脏", "draft exhibit", "草稿", "5G", "heart"):
        assert index.search(query) == rebuilt.search(query)
    with app.app_context(), get_db().write() as s:
        draft = s.scalar(select(Exhibit).where(Exhibit.slug == "secret-draft"))
        assert draft is not None
        draft.status = "draft"
        bump_catalogue(s, subjects_of("exhibit", "secret-draft"))
    assert client.get("/api/v1/search?q=draft+exhibit&lang=en").get_json()["items"] == []


def test_a_curators_searches_share_one_drafts_index_until_content_changes(
        app: Flask, client: FlaskClient, catalogue: Catalogue, curator_headers: dict[str, str]) -> None:
    def search(q: str) -> list[str]:
        answer = client.get(f"/api/v1/search?q={q}&lang=en", headers=curator_headers)
        assert answer.status_code == 200, answer.get_json()
        return [i["slug"] for i in answer.get_json()["items"]]

    assert "secret-draft" in search("draft+exhibit")
    index = app.extensions["museum.search.drafts"]["index"]
    search("heart")
    assert app.extensions["museum.search.drafts"]["index"] is index  # nothing changed: not built again
    created = client.post("/api/v1/studio/exhibits", headers=curator_headers, json={
        "slug": "iron-lung", "title": {"zh-Hans": "铁肺", "zh-Hant": "鐵肺", "en": "Iron lung respirator"}})
    assert created.status_code == 201, created.get_json()
    assert search("respirator") == ["iron-lung"]  # a new draft is found at once
    assert app.extensions["museum.search.drafts"]["index"] is not index
    deleted = client.delete(f"/api/v1/studio/exhibits/{created.get_json()['id']}", headers={
        **curator_headers, "If-Match": f'"{created.get_json()["version"]}"'})
    assert deleted.status_code == 204, deleted.get_json()
    assert search("respirator") == []  # and a deleted one is gone
