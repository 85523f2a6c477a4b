"""Each kind's document is read through its model: a document read can be saved back as it is, nothing a save does
not name is lost (a start point's name), and a value the model refuses is named by its pointer and code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from museum.studio.documents import KINDS
from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio

Staff = Callable[[str], Studio]
CHANGED_BY_A_SAVE = ("version", "updated_at", "status")  # a curator's save of published content is a draft


def _same(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {key: (before.get(key), after.get(key)) for key in before.keys() | after.keys()
            if key not in CHANGED_BY_A_SAVE and before.get(key) != after.get(key)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_document_saved_back_as_it_was_read_changes_nothing(catalogue: Catalogue, staff: Staff,
                                                                  kind: str) -> None:
    curator = staff("curator")
    items = curator.get(f"/api/v1/studio/{kind}?per_page=100").get_json()["items"]
    for item in items:
        before = curator.get(f"/api/v1/studio/{kind}/{item['id']}").get_json()
        saved = curator.send("PUT", f"/api/v1/studio/{kind}/{item['id']}", before)
        assert saved.status_code == 200, (kind, item["slug"], saved.get_json())
        assert _same(before, saved.get_json()) == {}, (kind, item["slug"])
        assert _same(before, curator.get(f"/api/v1/studio/{kind}/{item['id']}").get_json()) == {}


def test_a_start_points_name_survives_a_save_of_the_gallery(catalogue: Catalogue, staff: Staff,
                                                           client: FlaskClient) -> None:
    """A door arrives at the start point named after the room it comes from: a save must not drop the names."""
    admin = staff("admin")  # an admin's save reaches visitors at once
    hall = admin.get("/api/v1/studio/galleries/2").get_json()
    spawns = [{"name": "entrance", "position": [0, 0, 3], "yaw_deg": 180},
              {"name": "from-smart-hospital-5g", "position": [4, 0, 0], "yaw_deg": -90}]
    saved = admin.send("PATCH", "/api/v1/studio/galleries/2", {"version": hall["version"], "spawns": spawns})
    assert saved.status_code == 200, saved.get_json()
    assert [s.get("name") for s in saved.get_json()["spawns"]] == ["entrance", "from-smart-hospital-5g"]
    again = admin.send("PATCH", "/api/v1/studio/galleries/2", {"version": saved.get_json()["version"],
                                                                "summary": {"en": "The hospital of tomorrow"}})
    assert [s.get("name") for s in again.get_json()["spawns"]] == ["entrance", "from-smart-hospital-5g"]
    manifest = client.get("/api/v1/galleries/smart-hospital-5g/manifest").get_json()
    assert [s.get("name") for s in manifest["spawns"]] == ["entrance", "from-smart-hospital-5g"]


@pytest.mark.parametrize(("change", "pointer", "code"), [
    ({"title": {"fr": "Bonjour"}}, "/title/fr", "invalid_field"),
    ({"title": {"en": 5}}, "/title/en", "invalid_field"),
    ({"title": "Heart"}, "/title", "invalid_field"),
    ({"sample": None}, "/sample", "invalid_field"),
    ({"sample": "yes"}, "/sample", "invalid_field"),
    ({"real_height_m": 0}, "/real_height_m", "out_of_range"),
    ({"real_height_m": True}, "/real_height_m", "invalid_field"),
    ({"triangle_budget": 1.5}, "/triangle_budget", "invalid_field"),
    ({"tags": ["x" * 61]}, "/tags/0", "invalid_field"),
    ({"slug": "Heart Model"}, "/slug", "invalid_field"),
    ({"slug": None}, "/slug", "invalid_field"),
    ({"colour": "red"}, "/colour", "unknown_field"),
    ({"hotspots": [{"slug": "aorta", "anchor": [0, 0]}]}, "/hotspots/0/anchor", "invalid_field"),
    ({"hotspots": [{"slug": "aorta"}]}, "/hotspots/0/anchor", "required"),
    ({"hotspots": [{"slug": "aorta", "anchor": [0, 0, 0], "size": 2}]}, "/hotspots/0/size", "unknown_field"),
    ({"hotspots": [{"slug": "aorta", "anchor": [0, 0, 0]}, {"slug": "aorta", "anchor": [0, 1, 0]}]},
     "/hotspots/1/slug", "duplicate"),
    ({"era_id": 99}, "/era_id", "unknown_reference"),
    ({"model_asset_id": 0}, "/model_asset_id", "out_of_range"),
])
def test_a_value_the_exhibit_document_refuses_is_named(catalogue: Catalogue, staff: Staff, change: dict[str, Any],
                                                       pointer: str, code: str) -> None:
    curator = staff("curator")
    before = curator.get("/api/v1/studio/exhibits/3").get_json()  # the draft
    refused = curator.send("PATCH", "/api/v1/studio/exhibits/3", {"version": before["version"], **change})
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert (error["pointer"], error["code"]) == (pointer, code), error
    after = curator.get("/api/v1/studio/exhibits/3").get_json()
    assert after == before  # nothing of a refused save is kept


@pytest.mark.parametrize(("change", "pointer", "code"), [
    ({"placements": [{"exhibit_id": 1, "plinth": {"width_m": 0.5, "depth_m": 0.5}}]},
     "/placements/0/plinth/height_m", "required"),
    ({"placements": [{"exhibit_id": 1, "plinth": {"width_m": 9, "depth_m": 0.5, "height_m": 1}}]},
     "/placements/0/plinth/width_m", "out_of_range"),
    ({"placements": [{"exhibit_id": 1, "mount": "ceiling"}]}, "/placements/0/mount", "invalid_field"),
    ({"placements": [{"exhibit_id": 1, "translation": [0, 0, 1e9]}]}, "/placements/0/translation/2",
     "out_of_range"),
    ({"placements": [{"exhibit_id": None}]}, "/placements/0/exhibit_id", "required"),
    ({"doors": [{"to_gallery_id": 1}]}, "/doors/0/to_gallery_id", "required"),  # a door to the room itself
    ({"spawns": [{"yaw_deg": 0}]}, "/spawns/0/position", "required"),
    ({"floor": [[0, 0], [1, 0]]}, "/floor", "invalid_field"),
    ({"size_m": [10, 4]}, "/size_m", "invalid_field"),
    ({"lighting": "disco"}, "/lighting", "invalid_field"),
])
def test_a_value_the_gallery_document_refuses_is_named(catalogue: Catalogue, staff: Staff, change: dict[str, Any],
                                                       pointer: str, code: str) -> None:
    admin = staff("admin")
    before = admin.get("/api/v1/studio/galleries/1").get_json()
    refused = admin.send("PATCH", "/api/v1/studio/galleries/1", {"version": before["version"], **change})
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert (error["pointer"], error["code"]) == (pointer, code), error
    assert admin.get("/api/v1/studio/galleries/1").get_json() == before


def test_a_blank_translation_is_a_missing_one_and_a_version_may_come_as_a_whole_float(catalogue: Catalogue,
                                                                                      staff: Staff) -> None:
    curator = staff("curator")
    before = curator.get("/api/v1/studio/exhibits/3").get_json()
    saved = curator.send("PATCH", "/api/v1/studio/exhibits/3", {
        "version": float(before["version"]), "title": {"zh-Hans": "草稿", "zh-Hant": "  ", "en": None}})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["title"] == {"zh-Hans": "草稿"}
    assert saved.get_json()["untranslated"]["title"] == ["zh-Hant", "en"]


def test_an_era_needs_its_start_year_and_ends_after_it(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    made = curator.send("POST", "/api/v1/studio/eras", {"slug": "no-year", "title": {"en": "No year"}})
    assert made.status_code == 422 and made.get_json()["error"]["pointer"] == "/start_year"
    made = curator.send("POST", "/api/v1/studio/eras", {"slug": "backwards", "start_year": 1990, "end_year": 1980})
    assert made.status_code == 422
    assert (made.get_json()["error"]["pointer"], made.get_json()["error"]["code"]) == ("/end_year", "out_of_range")
    made = curator.send("POST", "/api/v1/studio/eras", {"slug": "nineties", "start_year": 1990, "end_year": 1999})
    assert made.status_code == 201 and made.get_json()["end_year"] == 1999
