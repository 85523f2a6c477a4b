"""Films through the API: uploaded, made into renditions by the job queue, shown by an exhibit with its captions;
files that are not films are refused at once and leave nothing behind."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from museum.core.jobs import run_pending
from tests.assets.test_video import film
from tests.museum.conftest import Catalogue
from tests.museum.studio.conftest import Studio

Staff = Callable[[str], Studio]


def _send(curator: Studio, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return curator.send("POST", "/api/v1/assets", None, data={"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def _staged(app: Flask) -> list[Path]:
    root = Path(app.instance_path) / "uploads"
    return list(root.iterdir()) if root.exists() else []


def test_a_film_with_captions_reaches_visitors_on_an_exhibit_and_in_its_gallery(
        app: Flask, catalogue: Catalogue, staff: Staff, tmp_path: Path) -> None:
    curator = staff("curator")
    data = film(tmp_path / "opening.mp4", "640x360", 2.0).read_bytes()
    queued = _send(curator, data, "开馆典礼.mp4")
    assert queued.status_code == 202, queued.get_json()
    body = queued.get_json()
    assert (body["kind"], body["status"], body["original_name"]) == ("video", "queued", "开馆典礼.mp4")
    assert _send(curator, data, "again.mp4").status_code == 200  # the same bytes are one asset
    assert run_pending(app) == 1
    status = curator.get(body["status_url"]).get_json()
    assert status["status"] == "ready" and status["job"]["progress"] == 1.0, status
    assert [s["size"] for s in status["film"]["sources"]] == ["small", "large"]
    assert status["film"]["sources"][0]["height"] == 360 and status["poster_url"].endswith(".webp")
    assert _staged(app) == []
    captions = {}
    for lang, text in (("zh-Hans", "欢迎"), ("en", "Welcome")):
        sent = _send(curator, f"WEBVTT\n\n00:00.000 --> 00:01.500\n{text}\n".encode(), f"film-{lang}.vtt")
        captions[lang] = sent.get_json()["id"]
    exhibit = curator.get("/api/v1/studio/exhibits/2").get_json()  # the UAV, placed in the 5G hall
    saved = curator.send("PATCH", "/api/v1/studio/exhibits/2", {
        "version": exhibit["version"],
        "media": [{"asset_id": body["id"]},
                  *({"asset_id": asset, "role": "film_captions", "lang": lang} for lang, asset in captions.items())]})
    assert saved.status_code == 200, saved.get_json()
    assert [m["role"] for m in saved.get_json()["media"]] == ["film", "film_captions", "film_captions"]
    curator.send("POST", "/api/v1/studio/exhibits/2/status", {"status": "review"})
    assert staff("reviewer").send("POST", "/api/v1/studio/exhibits/2/status",
                                  {"status": "published"}).status_code == 200
    detail = curator.get("/api/v1/exhibits/medical-uav?lang=zh-Hans").get_json()
    assert detail["film"]["sources"] == status["film"]["sources"]
    assert sorted(c["lang"] for c in detail["film"]["captions"]) == ["en", "zh-Hans"]
    assert detail["audio"] == []  # film captions are not narration captions
    manifest = curator.get("/api/v1/galleries/smart-hospital-5g/manifest").get_json()
    assert manifest["exhibits"][0]["film"] == detail["film"]
    with curator.client.get(detail["film"]["sources"][0]["url"], headers={"Range": "bytes=0-15"}) as part:
        assert part.status_code == 206 and part.headers["Content-Type"] == "video/mp4"
        assert part.headers["Content-Range"].startswith("bytes 0-15/") and part.data[4:8] == b"ftyp"


def test_a_film_is_placed_where_its_role_and_languages_fit(catalogue: Catalogue, staff: Staff, app: Flask,
                                                           tmp_path: Path) -> None:
    curator = staff("curator")
    movie = _send(curator, film(tmp_path / "a.mp4", sound=False).read_bytes(), "a.mp4").get_json()["id"]
    other = _send(curator, film(tmp_path / "b.mp4", "320x180").read_bytes(), "b.mp4").get_json()["id"]
    vtt = _send(curator, b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", "c.vtt").get_json()["id"]
    exhibit = curator.get("/api/v1/studio/exhibits/1").get_json()

    def save(media: list[dict[str, object]]):  # type: ignore[no-untyped-def]
        return curator.send("PATCH", "/api/v1/studio/exhibits/1", {"version": exhibit["version"], "media": media})

    for media, pointer, code in (
        ([{"asset_id": movie}, {"asset_id": other, "role": "film"}], "/media/1/role", "duplicate"),
        ([{"asset_id": vtt, "role": "film_captions"}], "/media/0/lang", "required"),
        ([{"asset_id": vtt, "role": "film"}], "/media/0/asset_id", "wrong_kind"),
        ([{"asset_id": movie, "role": "audio"}], "/media/0/asset_id", "wrong_kind"),
        ([{"asset_id": vtt, "role": "film_captions", "lang": "en"},
          {"asset_id": vtt, "role": "film_captions", "lang": "en"}], "/media/1/role", "duplicate"),
    ):
        refused = save(media)
        assert refused.status_code == 422, media
        assert (refused.get_json()["error"]["pointer"], refused.get_json()["error"]["code"]) == (pointer, code)
    run_pending(app)


def test_files_that_are_not_films_are_refused_at_once_and_leave_nothing(
        app: Flask, catalogue: Catalogue, staff: Staff, tmp_path: Path) -> None:
    curator = staff("curator")
    stored = set(app.extensions["museum.storage"].hashes())
    sound = tmp_path / "sound.mp4"
    film(tmp_path / "src.mp4")  # makes sure ffmpeg works before the cases below rely on it
    import subprocess

    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac",
                    str(sound)], check=True, capture_output=True, timeout=60)
    whole = (tmp_path / "src.mp4").read_bytes()
    for data, name, status, code in (
        (b"\x00" * 100, "zeros.mp4", 415, "VIDEO_UNRECOGNISED"),
        (b"<html>not a film</html>", "page.webm", 415, "VIDEO_UNRECOGNISED"),
        (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64, "empty.mp4", 422, "VIDEO_UNREADABLE"),
        (sound.read_bytes(), "sound.mp4", 422, "VIDEO_NO_PICTURE"),
        (whole[:200], "cut.mov", 422, "VIDEO_UNREADABLE"),
    ):
        refused = _send(curator, data, name)
        assert refused.status_code == status, (name, refused.get_json())
        error = refused.get_json()["error"]
        assert (error["code"], error["pointer"]) == (code, "/file"), name
    assert set(app.extensions["museum.storage"].hashes()) == stored
    assert _staged(app) == []
    assert run_pending(app) == 0
