"""Curators attach pictures, audio and captions to exhibits and hotspots; a file of the wrong kind is refused."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image

from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio
from tests.museum.uploads.test_media_checks import mp3_frames

Staff = Callable[[str], Studio]


def _upload(curator: Studio, data: bytes, name: str) -> int:
    response = curator.send("POST", "/api/v1/assets", None, data={"file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def test_pictures_audio_and_captions_reach_the_visitor_api(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 90, 160)).save(png, "PNG")
    picture = _upload(curator, png.getvalue(), "x-ray.png")
    audio = _upload(curator, mp3_frames(), "guide-en.mp3")
    captions = _upload(curator, b"WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome\n", "guide-en.vtt")
    exhibit = curator.get("/api/v1/studio/exhibits/1").get_json()
    hotspots = exhibit["hotspots"]
    hotspots[0].update(image_asset_id=picture, image_alt={"en": "An X-ray"}, audio_asset_id=audio,
                       captions_asset_id=captions)
    saved = curator.send("PATCH", "/api/v1/studio/exhibits/1", {
        "version": exhibit["version"], "hotspots": hotspots,
        "media": [{"asset_id": picture, "alt": {"en": "The heart model"}, "credit": {"en": "Museum"}},
                  {"asset_id": audio, "lang": "en", "synthetic": True}, {"asset_id": captions, "lang": "en"}]})
    assert saved.status_code == 200, saved.get_json()
    assert [m["role"] for m in saved.get_json()["media"]] == ["image", "audio", "captions"]
    assert [m["synthetic"] for m in saved.get_json()["media"]] == [False, True, False]
    assert curator.send("POST", "/api/v1/studio/exhibits/1/status", {"status": "review"}).status_code == 200
    assert staff("reviewer").send("POST", "/api/v1/studio/exhibits/1/status",
                                  {"status": "published"}).status_code == 200
    detail = curator.get("/api/v1/exhibits/heart-model?lang=en").get_json()
    assert detail["images"][0]["alt"] == "The heart model" and detail["images"][0]["url"].endswith(".webp")
    assert detail["audio"] == [{"lang": "en", "url": detail["audio"][0]["url"],
                                "captions_url": detail["audio"][0]["captions_url"], "synthetic": True}]
    assert detail["audio"][0]["url"].endswith(".mp3") and detail["audio"][0]["captions_url"].endswith(".vtt")
    spot = detail["hotspots"][0]
    assert spot["image"]["alt"] == "An X-ray" and spot["audio_url"].endswith(".mp3")


def test_a_file_of_the_wrong_kind_is_refused_where_it_is_used(catalogue: Catalogue, staff: Staff) -> None:
    curator = staff("curator")
    captions = _upload(curator, b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", "short.vtt")
    exhibit = curator.get("/api/v1/studio/exhibits/1").get_json()
    hotspots = exhibit["hotspots"]
    hotspots[0]["image_asset_id"] = captions
    refused = curator.send("PATCH", "/api/v1/studio/exhibits/1", {"version": exhibit["version"],
                                                                 "hotspots": hotspots})
    assert refused.status_code == 422
    assert refused.get_json()["error"] == {"code": "wrong_kind", "pointer": "/hotspots/0/image_asset_id",
                                           "message": refused.get_json()["error"]["message"]}
    as_model = curator.send("PATCH", "/api/v1/studio/exhibits/1", {"version": exhibit["version"],
                                                                  "model_asset_id": captions})
    assert as_model.status_code == 422 and as_model.get_json()["error"]["pointer"] == "/model_asset_id"
    mislabelled = curator.send("PATCH", "/api/v1/studio/exhibits/1", {
        "version": exhibit["version"], "media": [{"asset_id": captions, "role": "image"}]})
    assert mislabelled.status_code == 422 and mislabelled.get_json()["error"]["pointer"] == "/media/0/asset_id"
    not_a_flag = curator.send("PATCH", "/api/v1/studio/exhibits/1", {
        "version": exhibit["version"], "media": [{"asset_id": captions, "synthetic": "yes"}]})
    assert not_a_flag.status_code == 422 and not_a_flag.get_json()["error"]["pointer"] == "/media/0/synthetic"
