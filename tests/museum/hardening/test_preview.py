"""A preview link shows only the draft it names (a gallery: with what is placed in it), and can be revoked."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio

JSON = {"Accept": "application/json"}


def _open(app: Flask, url: str) -> FlaskClient:
    phone = app.test_client()
    opened = phone.get(url.replace("http://localhost", ""))
    assert opened.status_code == 303, opened.data
    return phone


def _ids(app: Flask, staff_client: Studio, kind: str, slug: str) -> int:
    items = staff_client.get(f"/api/v1/studio/{kind}?per_page=100").get_json()["items"]
    return next(i["id"] for i in items if i["slug"] == slug)


def test_an_exhibit_preview_shows_that_exhibit_and_no_other_draft(app: Flask, catalogue: Catalogue,
                                                                  staff: Callable[[str], Studio]) -> None:
    reviewer = staff("reviewer")
    exhibit = _ids(app, reviewer, "exhibits", "secret-draft")
    phone = _open(app, reviewer.send("POST", f"/api/v1/studio/exhibits/{exhibit}/preview").get_json()["url"])
    assert phone.get("/api/v1/exhibits/secret-draft", headers=JSON).status_code == 200
    assert phone.get("/e/secret-draft").status_code == 200
    # Nothing else that is unpublished: not another draft, not in lists, search or the timeline.
    assert phone.get("/api/v1/galleries/draft-gallery", headers=JSON).status_code == 404
    assert phone.get("/g/draft-gallery").status_code == 404
    assert phone.get("/api/v1/galleries/draft-gallery/manifest", headers=JSON).status_code == 404
    listed = phone.get("/api/v1/galleries", headers=JSON).get_json()["items"]
    assert "draft-gallery" not in {g["slug"] for g in listed}
    timeline = phone.get("/api/v1/timeline?lang=en", headers=JSON).get_json()
    assert "draft-event" not in {e["slug"] for e in timeline["events"]}
    # In its (published) gallery the draft stands where visitors will find it.
    hall = phone.get("/api/v1/galleries/history-hall", headers=JSON).get_json()
    assert "secret-draft" in {e["slug"] for e in hall["exhibits"]}
    assert "secret-draft" not in {e["slug"] for e in app.test_client().get(
        "/api/v1/galleries/history-hall", headers=JSON).get_json()["exhibits"]}


def test_a_gallery_preview_shows_the_gallery_with_what_is_placed_in_it(app: Flask, catalogue: Catalogue,
                                                                       staff: Callable[[str], Studio]) -> None:
    reviewer = staff("reviewer")
    hall = _ids(app, reviewer, "galleries", "history-hall")
    phone = _open(app, reviewer.send("POST", f"/api/v1/studio/galleries/{hall}/preview").get_json()["url"])
    shown = phone.get("/api/v1/galleries/history-hall", headers=JSON).get_json()
    assert "secret-draft" in {e["slug"] for e in shown["exhibits"]}
    assert phone.get("/api/v1/exhibits/secret-draft", headers=JSON).status_code == 200
    assert phone.get("/api/v1/galleries/draft-gallery", headers=JSON).status_code == 404


def test_a_revoked_preview_shows_nothing_more(app: Flask, catalogue: Catalogue,
                                             staff: Callable[[str], Studio]) -> None:
    reviewer = staff("reviewer")
    exhibit = _ids(app, reviewer, "exhibits", "secret-draft")
    link = reviewer.send("POST", f"/api/v1/studio/exhibits/{exhibit}/preview").get_json()
    phone = _open(app, link["url"])
    assert phone.get("/api/v1/exhibits/secret-draft", headers=JSON).status_code == 200
    listed = reviewer.get(f"/api/v1/studio/exhibits/{exhibit}/previews").get_json()["items"]
    assert [p["id"] for p in listed] == [link["id"]]
    assert reviewer.send("DELETE", f"/api/v1/studio/previews/{link['id']}").status_code == 204
    assert phone.get("/api/v1/exhibits/secret-draft", headers=JSON).status_code == 404
    assert app.test_client().get(link["url"].replace("http://localhost", "")).status_code == 410
    assert reviewer.get(f"/api/v1/studio/exhibits/{exhibit}/previews").get_json()["items"] == []
