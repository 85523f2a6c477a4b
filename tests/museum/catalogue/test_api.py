"""The public read API v1 over a small catalogue."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import Asset, Placement
from tests.museum.conftest import Catalogue


def test_exhibit_list_shows_published_only_with_pagination(client: FlaskClient, catalogue: Catalogue) -> None:
    body = client.get("/api/v1/exhibits?lang=en").get_json()
    assert body["total"] == 2
    assert {e["slug"] for e in body["items"]} == {"heart-model", "medical-uav"}
    assert (body["page"], body["per_page"]) == (1, 20)
    page2 = client.get("/api/v1/exhibits?per_page=1&page=2").get_json()
    assert len(page2["items"]) == 1 and page2["total"] == 2 and page2["page"] == 2


def test_exhibit_filters(client: FlaskClient, catalogue: Catalogue) -> None:
    by_gallery = client.get("/api/v1/exhibits?gallery=smart-hospital-5g").get_json()
    assert [e["slug"] for e in by_gallery["items"]] == ["medical-uav"]
    by_tag = client.get("/api/v1/exhibits?tag=heart").get_json()
    assert [e["slug"] for e in by_tag["items"]] == ["heart-model"]
    by_era = client.get("/api/v1/exhibits?era=early-years").get_json()
    assert by_era["items"] == [] and by_era["total"] == 0


def test_bad_pagination_is_a_400_naming_the_parameter(client: FlaskClient, catalogue: Catalogue) -> None:
    for query, name in (("per_page=101", "per_page"), ("page=0", "page"), ("page=x", "page"), ("lang=fr", "lang")):
        response = client.get(f"/api/v1/exhibits?{query}")
        assert response.status_code == 400
        assert response.get_json()["error"]["pointer"] == f"/query/{name}"


def test_language_from_query_then_accept_language(client: FlaskClient, catalogue: Catalogue) -> None:
    assert client.get("/api/v1/exhibits/heart-model?lang=zh-Hant").get_json()["title"] == "心臟模型"
    accept = client.get("/api/v1/exhibits/heart-model", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert accept.get_json()["title"] == "Cardiac heart model"
    tw = client.get("/api/v1/exhibits/heart-model", headers={"Accept-Language": "zh-TW"})
    assert tw.get_json()["title"] == "心臟模型"
    assert client.get("/api/v1/exhibits/heart-model").get_json()["title"] == "心脏模型"


def test_exhibit_detail_has_models_hotspots_events_rights(client: FlaskClient, catalogue: Catalogue) -> None:
    body = client.get("/api/v1/exhibits/heart-model?lang=en").get_json()
    assert body["models"]["phone"]["url"] == f"/files/{catalogue.phone_sha}.glb"
    assert set(body["models"]) == {"phone", "desktop", "original"}
    assert body["hotspots"][0]["title"] == "Aorta" and body["hotspots"][0]["anchor"] == [0.0, 0.25, 0.0]
    assert [e["slug"] for e in body["events"]] == ["first-cardiac-surgery"]
    assert body["events"][0]["precision"] == "year"
    assert body["rights"]["licence"] == "CC-BY-4.0" and body["rights"]["credit"] == "The hospital"
    assert body["galleries"] == [{"slug": "history-hall", "title": "History hall"}]


def test_drafts_are_not_found_by_visitors(client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.get("/api/v1/exhibits/secret-draft")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "exhibits_not_found"
    assert client.get("/api/v1/galleries/draft-gallery/manifest").status_code == 404
    timeline = client.get("/api/v1/timeline").get_json()
    assert "draft-event" not in {e["slug"] for e in timeline["events"]}
    hall = client.get("/api/v1/galleries/history-hall").get_json()
    assert [e["slug"] for e in hall["exhibits"]] == ["heart-model"]


def test_etag_and_304(client: FlaskClient, catalogue: Catalogue) -> None:
    first = client.get("/api/v1/exhibits")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith('W/')
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/api/v1/exhibits", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other_lang = client.get("/api/v1/exhibits?lang=en", headers={"If-None-Match": etag})
    assert other_lang.status_code == 200


def test_cached_list_changes_after_publish(app, client: FlaskClient, catalogue: Catalogue) -> None:
    from museum.core.db import get_db
    from museum.core.http_cache import bump_catalogue
    from museum.models import Exhibit

    before = client.get("/api/v1/exhibits").get_json()["total"]
    with app.app_context(), get_db().write() as s:
        from sqlalchemy import select

        draft = s.scalar(select(Exhibit).where(Exhibit.slug == "secret-draft"))
        assert draft is not None
        draft.status = "published"
        bump_catalogue(s)
    assert client.get("/api/v1/exhibits").get_json()["total"] == before + 1


def test_galleries_and_manifest(client: FlaskClient, catalogue: Catalogue) -> None:
    galleries = client.get("/api/v1/galleries?lang=en").get_json()
    assert [g["slug"] for g in galleries["items"]] == ["history-hall", "smart-hospital-5g"]
    manifest = client.get("/api/v1/galleries/history-hall/manifest?tier=phone&lang=en").get_json()
    assert manifest["tier"] == "phone" and manifest["tier_source"] == "query"
    assert manifest["room"]["url"] == f"/files/{catalogue.phone_sha}.glb"
    assert [e["slug"] for e in manifest["exhibits"]] == ["heart-model"]
    assert manifest["doors"][0]["to"] == "smart-hospital-5g"
    assert manifest["totals"]["bytes"] == 2 * manifest["room"]["bytes"]
    vr = client.get("/api/v1/galleries/history-hall/manifest?tier=vr").get_json()
    assert vr["exhibits"][0]["model"]["tier"] == "phone"
    assert vr["fallbacks"][0]["reason"] == "tier_missing"


def _walkable_at(walkable: dict[str, Any], x: float, z: float) -> bool:
    col = int((x - walkable["origin"][0]) // walkable["cell_m"])
    row = int((z - walkable["origin"][1]) // walkable["cell_m"])
    at = row * walkable["width"] + col
    for i, length in enumerate(walkable["runs"]):
        if at < length:
            return bool(i % 2)
        at -= length
    raise AssertionError("the runs end before the cell")


def test_manifest_carries_the_walkable_floor_of_the_layout_rules(app: Flask, client: FlaskClient,
                                                                 catalogue: Catalogue) -> None:
    """The room's furniture (from its model's inspection) and the shown exhibits are off the visitor's floor."""
    with app.app_context(), get_db().write() as s:
        asset = s.scalars(select(Asset)).one()
        rope = [[-1.0, 1.4], [1.0, 1.4], [1.0, 1.6], [-1.0, 1.6]]
        asset.inspection = {"triangles": 12, "bounds": {"min": [-0.3, 0.0, -0.3], "max": [0.3, 0.6, 0.3]},
                            "obstacles": [rope]}
        assert len(s.scalars(select(Placement)).all()) == 3
    walkable = client.get("/api/v1/galleries/history-hall/manifest").get_json()["walkable"]
    assert walkable["cell_m"] == 0.1 and sum(walkable["runs"]) == walkable["width"] * walkable["height"]
    assert _walkable_at(walkable, 0.0, 3.0)  # the spawn point
    assert not _walkable_at(walkable, 0.0, 1.5) and not _walkable_at(walkable, 0.9, 1.5)  # the rope
    assert not _walkable_at(walkable, 1.0, -2.0)  # the heart model on its pedestal
    assert _walkable_at(walkable, -1.0, -2.0)  # where the draft exhibit stands: visitors do not see it
    assert not _walkable_at(walkable, 4.9, 0.0)  # against the wall


def test_manifest_suggests_tier_from_device_hints(client: FlaskClient, catalogue: Catalogue) -> None:
    phone_ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"
    quest_ua = "Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 OculusBrowser/35.0 Chrome/128"
    assert client.get("/api/v1/galleries/history-hall/manifest",
                      headers={"User-Agent": phone_ua}).get_json()["tier"] == "phone"
    assert client.get("/api/v1/galleries/history-hall/manifest",
                      headers={"User-Agent": quest_ua}).get_json()["tier"] == "vr"
    desktop = client.get("/api/v1/galleries/history-hall/manifest", headers={"User-Agent": "Mozilla/5.0 (X11)"})
    assert desktop.get_json()["tier"] == "desktop"
    assert "User-Agent" in desktop.headers["Vary"]


def test_tours(client: FlaskClient, catalogue: Catalogue) -> None:
    tours = client.get("/api/v1/tours?lang=en").get_json()
    assert tours["items"][0]["galleries"] == ["history-hall", "smart-hospital-5g"]
    tour = client.get("/api/v1/tours/highlights?lang=en").get_json()
    assert [s["gallery"] for s in tour["stops"]] == ["history-hall", "smart-hospital-5g"]
    assert tour["stops"][0]["hotspot"] == "aorta" and tour["stops"][0]["anchor"] == [0.0, 0.25, 0.0]


def test_timeline_and_timelinejs(client: FlaskClient, catalogue: Catalogue) -> None:
    body = client.get("/api/v1/timeline?lang=en").get_json()
    assert [e["slug"] for e in body["eras"]] == ["early-years", "smart-hospital"]
    event = next(e for e in body["events"] if e["slug"] == "5g-demonstration-hospital")
    assert (event["date"], event["precision"]) == ("2019-03-09", "day")
    assert event["exhibits"][0]["slug"] == "medical-uav"
    tjs = client.get("/api/v1/timeline?format=timelinejs&lang=en").get_json()
    dated = next(e for e in tjs["events"] if e["unique_id"] == "5g-demonstration-hospital")
    assert dated["start_date"] == {"year": 2019, "month": 3, "day": 9}
    assert dated["group"] == "Smart hospital"
    assert tjs["title"]["text"]["headline"] == "Hospital History Museum"
    assert client.get("/api/v1/timeline?format=xml").status_code == 400


def test_search_chinese_without_spaces_and_english(client: FlaskClient, catalogue: Catalogue) -> None:
    heart = client.get("/api/v1/search?q=心脏").get_json()["items"]
    found = {(i["type"], i["slug"]) for i in heart}
    assert ("exhibit", "heart-model") in found and ("event", "first-cardiac-surgery") in found
    assert heart[0]["slug"] == "heart-model"  # a title hit ranks first
    fiveg = client.get("/api/v1/search?q=5G").get_json()["items"]
    assert ("gallery", "smart-hospital-5g") in {(i["type"], i["slug"]) for i in fiveg}
    english = client.get("/api/v1/search?q=cardiac&lang=en").get_json()["items"]
    assert english[0]["slug"] == "heart-model" and english[0]["title"] == "Cardiac heart model"
    trad = client.get("/api/v1/search?q=心臟").get_json()["items"]
    assert "heart-model" in {i["slug"] for i in trad}
    assert client.get("/api/v1/search?q=secret").get_json()["items"] == []
    assert client.get("/api/v1/search?q=").status_code == 400


def test_museum_info(client: FlaskClient, catalogue: Catalogue) -> None:
    info = client.get("/api/v1?lang=en").get_json()
    assert info["name"] == "Hospital History Museum"
    assert info["counts"] == {"exhibits": 2, "galleries": 2, "tours": 1, "events": 2}


def test_cache_never_mixes_curators_and_visitors(app, client: FlaskClient, catalogue: Catalogue) -> None:
    from tests.museum.conftest import make_token

    anonymous = client.get("/api/v1/exhibits").get_json()
    curator = {"Authorization": f"Bearer {make_token(app)}"}
    with_drafts = client.get("/api/v1/exhibits", headers=curator)
    assert with_drafts.get_json()["total"] == anonymous["total"] + 1
    assert with_drafts.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/exhibits")
    assert again.get_json() == anonymous and again.headers["Cache-Control"] == "public, no-cache"
    head = client.head("/api/v1/exhibits")
    assert head.status_code == 200 and head.headers["ETag"] == again.headers["ETag"] and head.data == b""
    assert client.get("/api/v1/exhibits/secret-draft", headers=curator).status_code == 200
    assert client.get("/api/v1/exhibits/secret-draft").status_code == 404
