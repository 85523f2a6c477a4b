"""What a reviewer sees: the differences of content in review against the published version or the revision before."""

from __future__ import annotations

from collections.abc import Callable

from museum.studio.changes import word_ops
from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio

Staff = Callable[[str], Studio]


def test_word_steps_mark_inserted_and_deleted_words_and_chinese_characters() -> None:
    assert word_ops("The history of heart surgery.", "The early history of cardiac surgery.") == [
        ["equal", "The "], ["insert", "early "], ["equal", "history of "], ["delete", "heart "],
        ["insert", "cardiac "], ["equal", "surgery."]]
    assert word_ops("心脏外科的历史。", "心脏外科百年的历史。") == [
        ["equal", "心脏外科"], ["insert", "百年"], ["equal", "的历史。"]]
    assert word_ops("", "New") == [["insert", "New"]]


def test_a_reviewer_sees_the_words_changed_in_a_published_exhibit_per_language(catalogue: Catalogue,
                                                                               staff: Staff) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    url = "/api/v1/studio/exhibits/1"
    doc = curator.get(url).get_json()
    body = {**doc["body"], "en": "The early history of cardiac surgery.", "zh-Hans": "心脏外科百年的历史。"}
    saved = curator.send("PATCH", url, {"version": doc["version"], "body": body, "real_height_m": 0.32})
    assert saved.status_code == 200, saved.get_json()
    assert curator.send("POST", f"{url}/status", {"status": "review"}).status_code == 200
    answer = reviewer.get(f"{url}/changes")
    assert answer.status_code == 200, answer.get_json()
    changes = answer.get_json()
    assert changes["base"]["kind"] == "published" and changes["status"] == "review" and changes["live"] is True
    texts = {(t["field"], t["lang"]): t for t in changes["texts"]}
    assert set(texts) == {("/body", "en"), ("/body", "zh-Hans")}
    assert ["insert", "early "] in texts[("/body", "en")]["ops"]
    assert ["delete", "heart "] in texts[("/body", "en")]["ops"]
    assert ["insert", "百年"] in texts[("/body", "zh-Hans")]["ops"]
    assert changes["fields"] == [{"path": "/real_height_m", "before": 0.3, "after": 0.32}]
    assert changes["placements"] == [] and changes["total"] == 3


def test_a_reviewer_sees_placements_moved_turned_added_and_removed(catalogue: Catalogue, staff: Staff) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    url = "/api/v1/studio/galleries/2"
    doc = curator.get(url).get_json()
    moved = {**doc["placements"][0], "translation": [3.0, 0.0, -2.0], "rotation_deg": [0, 90, 0]}
    added = {"exhibit_id": 1, "translation": [-3.0, 0.0, 1.0], "rotation_deg": [0, 0, 0]}
    saved = curator.send("PUT", url, {"version": doc["version"], "placements": [moved, added]})
    assert saved.status_code == 200, saved.get_json()
    changes = reviewer.get(f"{url}/changes").get_json()
    assert changes["base"]["kind"] == "published"
    by_change = {p["change"]: p for p in changes["placements"]}
    assert set(by_change) == {"changed", "added"}
    assert by_change["changed"]["exhibit"] == "medical-uav" and by_change["changed"]["moved_m"] == 3.0
    assert by_change["changed"]["turned_deg"] == 90.0
    assert by_change["changed"]["fields"] == ["translation", "rotation_deg"]
    assert by_change["added"]["exhibit"] == "heart-model" and by_change["added"]["placement_id"] is None
    # Taking it out again is a removal against the published layout.
    doc = curator.get(url).get_json()
    assert curator.send("PUT", url, {"version": doc["version"], "placements": []}).status_code == 200
    changes = reviewer.get(f"{url}/changes").get_json()
    assert [(p["change"], p["exhibit"]) for p in changes["placements"]] == [("removed", "medical-uav")]


def test_a_never_published_draft_is_compared_with_its_revision_before(catalogue: Catalogue, staff: Staff) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    created = curator.send("POST", "/api/v1/studio/exhibits", {"slug": "lamp", "title": {"en": "Lamp"}}).get_json()
    url = f"/api/v1/studio/exhibits/{created['id']}"
    first = reviewer.get(f"{url}/changes").get_json()
    assert first["base"]["kind"] == "none" and first["texts"] == [{
        "path": "/title/en", "field": "/title", "lang": "en", "before": None, "after": "Lamp",
        "ops": [["insert", "Lamp"]]}]
    curator.send("PATCH", url, {"version": created["version"], "title": {"en": "Operating Lamp"}})
    curator.send("POST", f"{url}/status", {"status": "review"})
    changes = reviewer.get(f"{url}/changes").get_json()
    assert changes["base"]["kind"] == "revision" and changes["base"]["version"] == 1
    assert changes["texts"][0]["ops"] == [["insert", "Operating "], ["equal", "Lamp"]]


def test_changes_of_nothing_are_a_404(catalogue: Catalogue, staff: Staff) -> None:
    reviewer = staff("reviewer")
    assert reviewer.get("/api/v1/studio/exhibits/999/changes").status_code == 404
    assert reviewer.get("/api/v1/studio/visitors/1/changes").status_code == 404
    unchanged = reviewer.get("/api/v1/studio/exhibits/2/changes").get_json()
    assert unchanged["total"] == 0
