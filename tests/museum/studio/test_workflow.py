"""Draft -> review -> published, optimistic locking, revisions and revert, preview links, validation, audit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import AuditEvent
from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio

Staff = Callable[[str], Studio]


def _new_exhibit(curator: Studio, slug: str = "stethoscope") -> dict[str, Any]:
    response = curator.send("POST", "/api/v1/studio/exhibits", {
        "slug": slug, "title": {"zh-Hans": "听诊器", "en": "Stethoscope"}, "summary": {"en": "A 1950s stethoscope"},
        "model_asset_id": 1, "tags": ["Instruments", "instruments", "1950s"],
        "hotspots": [{"slug": "chest-piece", "anchor": [0, 0.1, 0], "title": {"en": "Chest piece"}}]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def test_a_new_exhibit_is_a_draft_with_untranslated_fields_flagged(catalogue: Catalogue, staff: Staff,
                                                                   client: FlaskClient) -> None:
    doc = _new_exhibit(staff("curator"))
    assert doc["status"] == "draft" and doc["version"] == 1 and doc["tags"] == ["1950s", "instruments"]
    assert doc["untranslated"]["title"] == ["zh-Hant"]
    assert doc["untranslated"]["hotspots/0/title"] == ["zh-Hans", "zh-Hant"]
    assert client.get("/api/v1/exhibits/stethoscope").status_code == 404  # visitors do not see drafts
    missing = staff("reviewer").get("/api/v1/studio/translations/missing").get_json()["items"]
    assert {"type": "exhibits", "slug": "stethoscope", "field": "title", "missing": ["zh-Hant"]} in missing


def test_publishing_goes_through_review_and_reaches_visitors(catalogue: Catalogue, staff: Staff,
                                                            client: FlaskClient) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    doc = _new_exhibit(curator)
    before = client.get("/api/v1/exhibits?per_page=100").get_json()["total"]
    url = f"/api/v1/studio/exhibits/{doc['id']}"
    assert reviewer.send("POST", f"{url}/status", {"status": "published"}).status_code == 403  # not in review
    assert curator.send("POST", f"{url}/status", {"status": "review"}).get_json()["status"] == "review"
    assert [i["slug"] for i in reviewer.get("/api/v1/studio/review").get_json()["items"]] == ["stethoscope"]
    assert curator.send("POST", f"{url}/status", {"status": "published"}).status_code == 403
    published = reviewer.send("POST", f"{url}/status", {"status": "published"}).get_json()
    assert published["status"] == "published" and published["published_at"]
    assert client.get("/api/v1/exhibits?per_page=100").get_json()["total"] == before + 1  # the cache moved on
    assert client.get("/api/v1/exhibits/stethoscope?lang=en").get_json()["title"] == "Stethoscope"
    # A curator's later edit waits for a reviewer while visitors keep the published version.
    edited = curator.send("PATCH", url, {"version": published["version"], "title": {"en": "Binaural stethoscope"}})
    assert edited.get_json()["status"] == "draft" and edited.get_json()["live"] is True
    assert client.get("/api/v1/exhibits/stethoscope?lang=en").get_json()["title"] == "Stethoscope"


def test_editing_published_content_keeps_the_published_version_live_until_published(
        catalogue: Catalogue, staff: Staff, client: FlaskClient) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    url = "/api/v1/studio/exhibits/1"
    doc = curator.get(url).get_json()
    assert doc["status"] == "published" and doc["live"] is True
    hotspots = doc["hotspots"] + [{"slug": "valve", "anchor": [0, 0.2, 0], "title": {"en": "Valve"}}]
    edited = curator.send("PATCH", url, {"version": doc["version"], "title": {"en": "Heart (fixed typo)"},
                                         "slug": "heart-model-fixed", "hotspots": hotspots}).get_json()
    assert edited["status"] == "draft" and edited["title"]["en"] == "Heart (fixed typo)"
    assert edited["hotspots"][-1]["id"] is None  # a part added by pending changes exists only once published
    # Visitors keep the published exhibit: its page, API, gallery, search and timeline are unchanged.
    assert client.get("/e/heart-model").status_code == 200
    live = client.get("/api/v1/exhibits/heart-model?lang=en").get_json()
    assert live["title"] != "Heart (fixed typo)" and len(live["hotspots"]) == len(doc["hotspots"])
    assert client.get("/api/v1/exhibits/heart-model-fixed").status_code == 404
    manifest = client.get("/api/v1/galleries/history-hall/manifest").get_json()
    assert "heart-model" in str(manifest)
    # The studio reads the working copy, lists it in review once sent, and a second save builds on it.
    again = curator.send("PATCH", url, {"version": edited["version"], "summary": {"en": "Fixed."}}).get_json()
    assert again["title"]["en"] == "Heart (fixed typo)" and again["summary"]["en"] == "Fixed."
    sent = curator.send("POST", f"{url}/status", {"status": "review"}).get_json()
    assert sent["status"] == "review" and sent["live"] is True
    queue = reviewer.get("/api/v1/studio/review").get_json()["items"]
    assert [(i["slug"], i["status"], i["live"]) for i in queue] == [("heart-model-fixed", "review", True)]
    assert client.get("/api/v1/exhibits/heart-model").status_code == 200
    # Publishing writes the changes into the exhibit; the studio's document is the published one again.
    published = reviewer.send("POST", f"{url}/status", {"status": "published"}).get_json()
    assert published["status"] == "published" and published["title"]["en"] == "Heart (fixed typo)"
    assert len(published["hotspots"]) == len(doc["hotspots"]) + 1 and published["hotspots"][-1]["id"]
    fresh = client.get("/api/v1/exhibits/heart-model-fixed?lang=en").get_json()
    assert fresh["title"] == "Heart (fixed typo)" and fresh["summary"] == "Fixed."
    assert curator.get(url).get_json()["status"] == "published"


def test_an_admin_edit_keeps_published_content_published(catalogue: Catalogue, staff: Staff,
                                                          client: FlaskClient) -> None:
    admin = staff("admin")
    doc = admin.send("PATCH", "/api/v1/studio/exhibits/1", {"version": 1, "title": {"en": "Heart"}}).get_json()
    assert doc["status"] == "published"
    assert client.get("/api/v1/exhibits/heart-model?lang=en").get_json()["title"] == "Heart"


def test_an_admin_cannot_place_a_draft_in_a_published_gallery(catalogue: Catalogue, staff: Staff) -> None:
    admin = staff("admin")
    response = admin.send("PATCH", "/api/v1/studio/galleries/2",
                          {"version": 1, "placements": [{"exhibit_id": 2}, {"exhibit_id": 3}]})
    assert response.status_code == 422 and response.get_json()["error"]["pointer"] == "/placements/1/exhibit_id"


def test_two_editors_racing_on_one_exhibit_lose_nothing(app: Flask, catalogue: Catalogue, staff: Staff) -> None:
    editors = [staff("curator"), staff("admin")]
    start = threading.Barrier(2)
    results: list[Any] = [None, None]

    def edit(i: int) -> None:
        start.wait()
        results[i] = editors[i].send("PUT", "/api/v1/studio/exhibits/3",
                                     {"version": 1, "summary": {"en": f"Editor {i}"}})

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 412]
    winner = next(i for i, r in enumerate(results) if r.status_code == 200)
    loser = results[1 - winner].get_json()["error"]
    assert loser["code"] == "version_conflict" and "Someone else saved this" in loser["message"]
    now = editors[0].get("/api/v1/studio/exhibits/3").get_json()
    assert now["summary"] == {"en": f"Editor {winner}"} and now["version"] == 2
    history = editors[0].get("/api/v1/studio/exhibits/3/history").get_json()["revisions"]
    assert [r["version"] for r in history] == [2, 1]  # the losing save wrote nothing


def test_a_save_must_name_its_version(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    missing = curator.send("PUT", "/api/v1/studio/exhibits/3", {"title": {"en": "x"}})
    assert missing.status_code == 428 and missing.get_json()["error"]["code"] == "version_required"
    stale = curator.send("PUT", "/api/v1/studio/exhibits/3", {"title": {"en": "x"}}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    ok = curator.send("PUT", "/api/v1/studio/exhibits/3", {"title": {"en": "x"}}, headers={"If-Match": 'W/"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'


def test_revert_restores_earlier_text_and_placement(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    url = "/api/v1/studio/galleries/1"
    first = curator.get(url).get_json()
    doc = dict(first)
    doc["placements"] = [dict(p) for p in first["placements"]]
    doc["title"] = {**first["title"], "en": "The old hall"}
    doc["placements"][0]["translation"] = [2.0, 0.9, -1.0]
    doc["placements"][0]["rotation_deg"] = [0.0, 90.0, 0.0]
    second = curator.send("PUT", url, doc).get_json()
    assert second["placements"][0]["translation"] == [2.0, 0.9, -1.0] and second["version"] == 2
    third = curator.send("PATCH", url, {"version": 2, "title": {"en": "A third title"},
                                        "placements": second["placements"][1:]}).get_json()
    assert len(third["placements"]) == 1
    history = curator.get(f"{url}/history").get_json()["revisions"]
    assert [r["version"] for r in history] == [3, 2, 1]  # 1: the seeded state, kept before the first edit
    changed = {c["path"]: c for c in history[1]["changes"]}
    assert changed["/title/en"]["after"] == "The old hall"  # differences between revisions
    reverted = curator.send("POST", f"{url}/revert/{history[1]['id']}", {"version": 3})
    assert reverted.status_code == 200, reverted.get_json()
    back = reverted.get_json()
    assert back["title"]["en"] == "The old hall" and back["version"] == 4
    assert [p["exhibit_id"] for p in back["placements"]] == [1, 3]
    assert back["placements"][0]["translation"] == [2.0, 0.9, -1.0]
    assert back["placements"][0]["rotation_deg"] == [0.0, 90.0, 0.0]
    assert curator.get(f"{url}/history").get_json()["revisions"][0]["message"] == "reverted to version 2"
    stale = curator.send("POST", f"{url}/revert/{history[1]['id']}", {"version": 3})
    assert stale.status_code == 412
    seeded = curator.send("POST", f"{url}/revert/{history[2]['id']}", {"version": 4}).get_json()
    assert seeded["title"]["en"] == "History hall" and seeded["placements"][0]["translation"] == [1.0, 0.9, -2.0]


def test_placements_are_validated_and_errors_point_at_the_placement(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    url = "/api/v1/studio/galleries/2"
    base = {"version": 1}
    cases = [
        ({"placements": [{"exhibit_id": 2}, {"exhibit_id": 1, "mount": "ceiling"}]}, "/placements/1/mount"),
        ({"placements": [{"exhibit_id": 2, "translation": [0, "up", 0]}]}, "/placements/0/translation/1"),
        ({"placements": [{"exhibit_id": 2, "translation": [0, 1e9, 0]}]}, "/placements/0/translation/1"),
        ({"placements": [{"exhibit_id": 2, "scale": 0}]}, "/placements/0/scale"),
        ({"placements": [{"exhibit_id": 999}]}, "/placements/0/exhibit_id"),
        ({"doors": [{"to_gallery_id": 2}]}, "/doors/0/to_gallery_id"),
        ({"spawns": [{"position": [0, 0]}]}, "/spawns/0/position"),
        ({"lighting": "disco"}, "/lighting"),
        ({"colour": "red"}, "/colour"),
    ]
    for change, pointer in cases:
        response = curator.send("PATCH", url, {**base, **change})
        assert response.status_code == 422, change
        assert response.get_json()["error"]["pointer"] == pointer, change
    assert curator.get(url).get_json()["version"] == 1  # nothing was half-saved


def test_a_gallery_cannot_be_published_with_unpublished_exhibits(catalogue: Catalogue, staff: Staff) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    url = "/api/v1/studio/galleries/1"  # places the draft `secret-draft` second
    curator.send("PATCH", url, {"version": 1, "summary": {"en": "Edited"}})
    curator.send("POST", f"{url}/status", {"status": "review"})
    refused = reviewer.send("POST", f"{url}/status", {"status": "published"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["pointer"] == "/placements/1/exhibit_id"
    assert "secret-draft" in refused.get_json()["error"]["message"]


def test_preview_links_show_a_draft_to_any_device_until_they_expire(app: Flask, catalogue: Catalogue,
                                                                    staff: Staff, client: FlaskClient) -> None:
    link = staff("reviewer").send("POST", "/api/v1/studio/exhibits/3/preview").get_json()
    assert link["visitor_path"] == "/e/secret-draft"
    phone = app.test_client()
    assert phone.get("/api/v1/exhibits/secret-draft").status_code == 404
    opened = phone.get(link["url"].replace("http://localhost", ""))
    assert opened.status_code == 303 and opened.headers["Location"] == "/e/secret-draft"
    shown = phone.get("/api/v1/exhibits/secret-draft?lang=en")
    assert shown.status_code == 200 and shown.get_json()["title"] == "Draft exhibit"
    assert client.get("/api/v1/exhibits/secret-draft").status_code == 404  # not cached for everybody
    assert phone.post("/api/v1/studio/exhibits", json={"slug": "x"}).status_code == 401  # no authority to write
    forged = app.test_client().get(link["url"].replace("http://localhost", "")[:-2] + "xx")
    assert forged.status_code == 404  # never made (an expired or revoked link is 410)


def test_curators_delete_only_unused_drafts(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    published = curator.send("DELETE", "/api/v1/studio/exhibits/1", headers={"If-Match": '"1"'})
    assert published.status_code == 403
    placed = curator.send("DELETE", "/api/v1/studio/exhibits/3", headers={"If-Match": '"1"'})
    assert placed.status_code == 409 and "history-hall" in placed.get_json()["error"]["message"]
    admin = staff("admin")
    toured = admin.send("DELETE", "/api/v1/studio/galleries/2", headers={"If-Match": '"1"'})
    assert toured.status_code == 409 and "highlights" in toured.get_json()["error"]["message"]
    target = admin.send("POST", "/api/v1/studio/galleries", {"slug": "target-room"}).get_json()
    admin.send("POST", "/api/v1/studio/galleries", {"slug": "annex", "doors": [{"to_gallery_id": target["id"]}]})
    door = admin.send("DELETE", f"/api/v1/studio/galleries/{target['id']}", headers={"If-Match": '"1"'})
    assert door.status_code == 409 and "annex" in door.get_json()["error"]["message"]
    doc = _new_exhibit(curator, "to-delete")
    assert curator.send("DELETE", f"/api/v1/studio/exhibits/{doc['id']}", {"version": 1}).status_code == 204
    assert curator.get(f"/api/v1/studio/exhibits/{doc['id']}").status_code == 404


def test_every_change_is_audited(app: Flask, catalogue: Catalogue, staff: Staff) -> None:
    curator, reviewer, admin = staff("curator"), staff("reviewer"), staff("admin")
    doc = _new_exhibit(curator)
    url = f"/api/v1/studio/exhibits/{doc['id']}"
    curator.send("PATCH", url, {"version": 1, "body": {"en": "Body"}})
    curator.send("POST", f"{url}/status", {"status": "review"})
    reviewer.send("POST", f"{url}/status", {"status": "published"})
    admin.send("DELETE", url, headers={"If-Match": '"4"'})
    token = admin.send("POST", "/api/v1/studio/tokens", {"name": "import script", "user_id": 1}).get_json()
    admin.send("DELETE", f"/api/v1/studio/tokens/{token['id']}")
    with app.app_context(), get_db().read() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.action != "sign_in")
                         .order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [("create", "curator"), ("edit", "curator"), ("submit", "curator"),
                                        ("publish", "reviewer"), ("delete", "admin"), ("token_create", "admin"),
                                        ("token_revoke", "admin")]
    audit = admin.get("/api/v1/studio/audit?action=publish").get_json()
    assert audit["total"] == 1 and audit["items"][0]["target_id"] == str(doc["id"])


def test_every_kind_of_content_can_be_created(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    created = {
        "eras": {"slug": "war-years", "title": {"en": "War years"}, "start_year": 1937, "end_year": 1945},
        "events": {"slug": "new-wing", "title": {"en": "New wing"}, "year": 1988, "month": 5, "exhibit_ids": [1]},
        "galleries": {"slug": "new-room", "title": {"en": "New room"}, "size_m": [8, 3, 6],
                      "placements": [{"exhibit_id": 1, "translation": [0, 0, -1], "mount": "pedestal"}],
                      "doors": [{"to_gallery_id": 1, "translation": [4, 0, 0], "yaw_deg": 90}],
                      "spawns": [{"position": [0, 0, 2], "yaw_deg": 180}]},
        "tours": {"slug": "short-tour", "title": {"en": "Short"}, "stops": [{"gallery_id": 1, "exhibit_id": 1}]},
        "photo-templates": {"slug": "red-frame", "title": {"en": "Red frame"}, "spec": {"width": 1200}},
    }
    for kind, doc in created.items():
        response = curator.send("POST", f"/api/v1/studio/{kind}", doc)
        assert response.status_code == 201, (kind, response.get_json())
        assert response.get_json()["status"] == "draft"
    room = curator.get("/api/v1/studio/galleries?q=new-room").get_json()["items"][0]
    floor = curator.get(f"/api/v1/studio/galleries/{room['id']}").get_json()["floor"]
    assert floor == [[-4, -3], [4, -3], [4, 3], [-4, 3]]  # from the size, for a curator who gave no floor
    clash = curator.send("POST", "/api/v1/studio/eras", created["eras"])
    assert clash.status_code == 409 and clash.get_json()["error"]["pointer"] == "/slug"
    assert curator.get("/api/v1/studio/nothing").status_code == 404


def _model_of_half_a_metre(app: Flask) -> None:
    """Give the catalogue's one model the bounds of a 0.5 m box standing on its origin, so layouts can be judged."""
    from museum.models import Asset

    with app.app_context(), get_db().write() as s:
        asset = s.scalars(select(Asset)).one()
        asset.inspection = {**asset.inspection, "bounds": {"min": [-0.25, 0.0, -0.25], "max": [0.25, 0.5, 0.25]}}


def test_overlapping_exhibits_are_refused_on_save_naming_the_placement(app: Flask, catalogue: Catalogue,
                                                                       staff: Staff) -> None:
    _model_of_half_a_metre(app)
    curator = staff("curator")
    url = "/api/v1/studio/galleries/1"
    together = curator.send("PATCH", url, {"version": 1, "placements": [
        {"exhibit_id": 1, "translation": [1.0, 0.0, -2.0]}, {"exhibit_id": 2, "translation": [1.1, 0.0, -2.0]}]})
    assert together.status_code == 422
    error = together.get_json()["error"]
    assert error["code"] == "OVERLAP" and error["pointer"] in ("/placements/0", "/placements/1")
    outside = curator.send("PATCH", url, {"version": 1, "placements": [
        {"exhibit_id": 1, "translation": [9.0, 0.0, -2.0]}]})
    assert outside.status_code == 422 and outside.get_json()["error"]["code"] == "OUTSIDE_ROOM"
    apart = curator.send("PATCH", url, {"version": 1, "placements": [
        {"exhibit_id": 1, "translation": [1.0, 0.0, -2.0]}, {"exhibit_id": 2, "translation": [-1.0, 0.0, -2.0]}]})
    assert apart.status_code == 200, apart.get_json()


def test_every_kind_of_published_content_stays_live_while_its_changes_wait(catalogue: Catalogue, staff: Staff,
                                                                           client: FlaskClient) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    visitor_views = {"galleries": "/api/v1/galleries/history-hall?lang=en",
                     "eras": "/api/v1/timeline?lang=en", "events": "/api/v1/timeline?lang=en",
                     "tours": "/api/v1/tours/highlights?lang=en"}
    for kind, view in visitor_views.items():
        item = next(i for i in curator.get(f"/api/v1/studio/{kind}?status=published").get_json()["items"])
        url = f"/api/v1/studio/{kind}/{item['id']}"
        doc = curator.get(url).get_json()
        before = client.get(view).get_json()
        field = "title"
        edited = curator.send("PATCH", url, {"version": doc["version"], field: {**doc[field], "en": "Fixed"}})
        assert edited.status_code == 200, edited.get_json()
        assert edited.get_json()["live"] and edited.get_json()["status"] == "draft"
        assert client.get(view).get_json() == before, kind
        assert curator.send("POST", f"{url}/status", {"status": "review"}).status_code == 200
        assert reviewer.send("POST", f"{url}/status", {"status": "published"}).status_code == 200
        assert "Fixed" in str(client.get(view).get_json()), kind


def test_placements_moved_in_a_published_gallery_reach_visitors_only_when_published(
        catalogue: Catalogue, staff: Staff, client: FlaskClient) -> None:
    curator, reviewer = staff("curator"), staff("reviewer")
    url = "/api/v1/studio/galleries/1"
    doc = curator.get(url).get_json()
    placements = [dict(p) for p in doc["placements"][:1]]  # without the draft exhibit, so it can be published
    placements[0]["translation"] = [2.0, 0.9, -1.0]
    saved = curator.send("PUT", url, {**doc, "placements": placements}).get_json()
    assert saved["placements"][0]["translation"] == [2.0, 0.9, -1.0] and saved["live"]
    manifest = client.get("/api/v1/galleries/history-hall/manifest").get_json()
    assert manifest["exhibits"][0]["transform"]["position"] == [1.0, 0.9, -2.0]
    assert curator.send("POST", f"{url}/status", {"status": "review"}).status_code == 200
    published = reviewer.send("POST", f"{url}/status", {"status": "published"})
    assert published.status_code == 200, published.get_json()
    manifest = client.get("/api/v1/galleries/history-hall/manifest").get_json()
    assert manifest["exhibits"][0]["transform"]["position"] == [2.0, 0.9, -1.0]


def test_the_placement_editor_checks_a_layout_without_saving_it(app: Flask, catalogue: Catalogue,
                                                                 staff: Staff) -> None:
    _model_of_half_a_metre(app)
    curator = staff("curator")
    url = "/api/v1/studio/galleries/1"
    before = curator.get(url).get_json()
    lifted = curator.send("POST", url + "/layout-check", {"placements": [
        {"exhibit_id": 1, "translation": [1.0, 4.96, -2.0]}, {"exhibit_id": 2, "translation": [-1.0, 0.0, -2.0]}]})
    assert lifted.status_code == 200, lifted.get_json()
    faults = [(p["pointer"], p["code"], p["blocks_save"]) for p in lifted.get_json()["problems"]]
    assert ("/placements/0", "ABOVE_CEILING", True) in faults
    assert not any(pointer == "/placements/1" for pointer, _, _ in faults)
    fine = curator.send("POST", url + "/layout-check", {"placements": [
        {"exhibit_id": 1, "translation": [1.0, 0.0, -2.0]}, {"exhibit_id": 2, "translation": [-1.0, 0.0, -2.0]}]})
    assert [p for p in fine.get_json()["problems"] if p["blocks_save"]] == []
    after = curator.get(url).get_json()
    assert after["version"] == before["version"] and after["placements"] == before["placements"]  # nothing saved
    unreadable = curator.send("POST", url + "/layout-check", {"placements": [{"exhibit_id": 1,
                                                                              "translation": [0, "up", 0]}]})
    assert unreadable.status_code == 422
    assert unreadable.get_json()["error"]["pointer"] == "/placements/0/translation/1"
    assert staff("reviewer").send("POST", url + "/layout-check", {}).status_code == 403
    assert curator.send("POST", "/api/v1/studio/galleries/999/layout-check", {}).status_code == 404
