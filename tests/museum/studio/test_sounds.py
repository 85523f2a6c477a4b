"""Curators place sound zones in a gallery: an ambient loop for the room and spot sounds with a radius; visitors'
manifests carry them; a file that is not audio, or a zone out of bounds, is refused where it is named."""

from __future__ import annotations

from collections.abc import Callable

from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio
from tests.museum.studio.test_media import _upload
from tests.museum.uploads.test_media_checks import mp3_frames

Staff = Callable[[str], Studio]


def test_sound_zones_reach_the_gallery_manifest_in_the_visitors_language(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    hum = _upload(curator, mp3_frames(), "hum.mp3")
    gallery = curator.get("/api/v1/studio/galleries/2").get_json()
    assert gallery["sounds"] == []
    zones = [{"kind": "ambient", "asset_id": hum, "volume": 0.3, "title": {"zh-Hans": "环境声", "en": "Ambience"}},
             {"kind": "spot", "asset_id": hum, "translation": [1.0, 1.5, -2.0], "radius_m": 3.0,
              "title": {"zh-Hans": "心跳", "en": "Heartbeat"}}]
    saved = curator.send("PATCH", "/api/v1/studio/galleries/2", {"version": gallery["version"], "sounds": zones})
    assert saved.status_code == 200, saved.get_json()
    assert [(z["kind"], z["radius_m"], z["volume"]) for z in saved.get_json()["sounds"]] == [
        ("ambient", 4.0, 0.3), ("spot", 3.0, 0.6)]
    curator.send("POST", "/api/v1/studio/galleries/2/status", {"status": "review"})
    published = staff("reviewer").send("POST", "/api/v1/studio/galleries/2/status", {"status": "published"})
    assert published.status_code == 200, published.get_json()
    manifest = curator.get("/api/v1/galleries/smart-hospital-5g/manifest?lang=zh-Hans").get_json()
    assert [(s["kind"], s["title"], s["position"]) for s in manifest["sounds"]] == [
        ("ambient", "环境声", [0.0, 1.5, 0.0]), ("spot", "心跳", [1.0, 1.5, -2.0])]
    assert manifest["sounds"][0]["url"].endswith(".mp3") and manifest["sounds"][0]["media_type"] == "audio/mpeg"


def test_a_sound_zone_that_cannot_be_heard_is_refused_where_it_is_wrong(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    hum = _upload(curator, mp3_frames(), "hum.mp3")
    vtt = _upload(curator, b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", "c.vtt")
    gallery = curator.get("/api/v1/studio/galleries/2").get_json()
    for zone, pointer, code in (
        ({"asset_id": vtt}, "/sounds/0/asset_id", "wrong_kind"),
        ({}, "/sounds/0/asset_id", "required"),
        ({"asset_id": hum, "kind": "siren"}, "/sounds/0/kind", None),
        ({"asset_id": hum, "radius_m": 0}, "/sounds/0/radius_m", None),
        ({"asset_id": hum, "volume": 2}, "/sounds/0/volume", None),
        ({"asset_id": hum, "loop": True}, "/sounds/0/loop", "unknown_field"),
    ):
        refused = curator.send("PATCH", "/api/v1/studio/galleries/2", {"version": gallery["version"],
                                                                      "sounds": [zone]})
        assert refused.status_code == 422, zone
        error = refused.get_json()["error"]
        assert error["pointer"] == pointer and (code is None or error["code"] == code), (zone, error)
    assert curator.get("/api/v1/studio/galleries/2").get_json()["sounds"] == []


def test_the_placement_editors_check_finds_a_wrong_sound_zone_before_it_is_saved(catalogue: Catalogue,
                                                                                staff: Staff) -> None:
    curator = staff("curator")
    hum = _upload(curator, mp3_frames(), "hum.mp3")
    before = curator.get("/api/v1/studio/galleries/2").get_json()
    check = "/api/v1/studio/galleries/2/layout-check"
    refused = curator.send("POST", check, {"sounds": [{"asset_id": hum}, {"kind": "spot", "radius_m": 3}]})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error"]["pointer"] == "/sounds/1/asset_id"  # the second: no sound chosen yet
    fine = curator.send("POST", check, {"sounds": [{"asset_id": hum, "kind": "spot", "radius_m": 3}]})
    assert fine.status_code == 200, fine.get_json()
    assert not [p for p in fine.get_json()["problems"] if str(p.get("pointer", "")).startswith("/sounds")]
    after = curator.get("/api/v1/studio/galleries/2").get_json()
    assert (after["sounds"], after["version"]) == (before["sounds"], before["version"])  # a check saves nothing
