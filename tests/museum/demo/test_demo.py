"""The demo museum: seeded by `museum demo`, complete in three languages, searchable, inside its budgets."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from museum import create_app
from museum.core.db import get_db
from museum.demo import narration
from museum.demo.seed import seed_demo
from museum.models import Asset, Exhibit, TimelineEvent
from museum.studio.translations import untranslated

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """Seed the demo once into a SQLite file and a file store; tests copy the database."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copy(sqlite_template, root / "museum.db")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(root / "instance"),
                      "DATABASE_URL": f"sqlite:///{root / 'museum.db'}", "STORAGE_DIR": str(root / "storage"),
                      "SECRET_KEY": "test"})
    seed_demo(get_db(app), app.extensions["museum.storage"])
    app.extensions["museum.db"].dispose()
    return root


@pytest.fixture
def demo_app(demo_instance: Path, tmp_path: Path) -> Iterator[Flask]:
    shutil.copy(demo_instance / "museum.db", tmp_path / "museum.db")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'museum.db'}",
                      "STORAGE_DIR": str(demo_instance / "storage"), "SECRET_KEY": "test",
                      "CACHE_CHECK_SECONDS": 0.0})
    yield app
    app.extensions["museum.db"].dispose()


def test_demo_holds_what_the_museum_promises(demo_app: Flask) -> None:
    client = demo_app.test_client()
    info = client.get("/api/v1?lang=en").get_json()
    assert info["counts"]["galleries"] >= 3 and info["counts"]["exhibits"] >= 15
    assert info["counts"]["events"] >= 20 and info["counts"]["tours"] >= 2
    timeline = client.get("/api/v1/timeline").get_json()
    assert len(timeline["eras"]) == 4
    exhibits = client.get("/api/v1/exhibits?per_page=100").get_json()["items"]
    for exhibit in exhibits:
        if exhibit["slug"] != "hospital-culture-film":  # the film is a screen, not a model
            assert set(exhibit["models"]) == {"original", "phone", "desktop", "vr"}, exhibit["slug"]
        assert exhibit["poster_url"], exhibit["slug"]
    with demo_app.app_context(), get_db().read() as s:
        assert untranslated(s) == []
        samples = s.scalar(select(func.count()).select_from(TimelineEvent).where(TimelineEvent.sample))
        assert samples and samples < s.scalar(select(func.count()).select_from(TimelineEvent))


def test_demo_search(demo_app: Flask) -> None:
    client = demo_app.test_client()
    heart = client.get("/api/v1/search?q=心脏").get_json()["items"]
    kinds = {i["type"] for i in heart}
    assert {"exhibit", "event"} <= kinds
    assert heart[0]["slug"] == "cardiac-surgery-heart-model"
    fiveg = client.get("/api/v1/search?q=5G&type=gallery").get_json()["items"]
    assert fiveg[0]["slug"] == "smart-hospital-5g"
    uav = client.get("/api/v1/search?q=drone blood&lang=en").get_json()["items"]
    assert uav and uav[0]["slug"] == "medical-uav"


def test_demo_galleries_fit_the_phone_budget(demo_app: Flask) -> None:
    client = demo_app.test_client()
    for gallery in client.get("/api/v1/galleries").get_json()["items"]:
        manifest = client.get(f"/api/v1/galleries/{gallery['slug']}/manifest?tier=phone").get_json()
        assert manifest["within_budget"], (gallery["slug"], manifest["totals"])
        assert manifest["fallbacks"] == [], gallery["slug"]
        assert manifest["room"] and manifest["exhibits"] and manifest["spawns"] and manifest["floor"]
        for placed in manifest["exhibits"]:
            if placed["film"] is not None:
                continue
            assert placed["model"]["tier"] == "phone"
            assert placed["hotspots"], placed["slug"]
    lobby = client.get("/api/v1/galleries/lobby/manifest?tier=phone").get_json()
    assert lobby["totals"]["bytes"] <= 3_000_000


def test_demo_tours_cross_galleries(demo_app: Flask) -> None:
    client = demo_app.test_client()
    tours = client.get("/api/v1/tours").get_json()["items"]
    assert len(tours) == 2
    assert max(len(t["galleries"]) for t in tours) == 3
    for summary in tours:
        tour = client.get(f"/api/v1/tours/{summary['slug']}").get_json()
        for stop in tour["stops"]:
            if stop["exhibit"]:
                assert stop["viewpoint"]["position"][1] == 1.6


def _counts(app: Flask) -> tuple[int | None, ...]:
    with app.app_context(), get_db().read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Exhibit, Asset, TimelineEvent))


def test_demo_is_idempotent(demo_app: Flask) -> None:
    before = _counts(demo_app)
    seed_demo(get_db(demo_app), demo_app.extensions["museum.storage"])
    assert _counts(demo_app) == before


def test_demo_exhibit_pages_of_every_language(demo_app: Flask) -> None:
    client: FlaskClient = demo_app.test_client()
    for lang, word in (("zh-Hans", "无人机"), ("zh-Hant", "無人機"), ("en", "UAV")):
        body = client.get(f"/api/v1/exhibits/medical-uav?lang={lang}").get_json()
        assert word in body["title"] + body["summary"] + body["body"], lang


FLAGSHIPS = ("cardiac-surgery-heart-model", "monaural-stethoscope", "brass-microscope")


@pytest.mark.skipif(not narration.available(), reason="espeak-ng is not installed (scripts/setup.sh installs it)")
def test_demo_flagships_have_synthetic_zh_hans_narration_with_captions(demo_app: Flask) -> None:
    client: FlaskClient = demo_app.test_client()
    for slug in FLAGSHIPS:
        detail = client.get(f"/api/v1/exhibits/{slug}?lang=zh-Hans").get_json()
        [audio] = [a for a in detail["audio"] if a["lang"] == "zh-Hans"]
        assert audio["synthetic"] is True, slug
        with client.get(audio["url"]) as sound:
            assert sound.status_code == 200 and sound.mimetype in ("audio/mpeg", "audio/wav"), slug
            assert len(sound.data) > 20_000, slug
        with client.get(audio["captions_url"]) as captions:
            assert captions.status_code == 200 and captions.mimetype == "text/vtt", slug
            text = captions.get_data(as_text=True)
        assert text.startswith("WEBVTT\n"), slug
        # One cue per sentence of the narration, in order, each starting after the one before.
        cues = [block.split("\n") for block in text.split("\n\n")[1:] if "-->" in block]
        assert [c[2] for c in cues] == narration.sentences(detail["narration"]), slug
        starts = [c[1].split(" --> ")[0] for c in cues]
        assert starts == sorted(starts) and starts[0] == "00:00:00.000" and len(set(starts)) == len(starts), slug
        # Another language has no recording: the panel reads that one with the device's voice.
        english = client.get(f"/api/v1/exhibits/{slug}?lang=en").get_json()
        assert [a["lang"] for a in english["audio"]] == ["zh-Hans"]
    others = client.get("/api/v1/exhibits/iron-ward-bed?lang=zh-Hans").get_json()
    assert others["audio"] == []


def test_demo_film_plays_with_captions_in_three_languages_on_the_lobby_wall(demo_app: Flask) -> None:
    client = demo_app.test_client()
    film = client.get("/api/v1/exhibits/hospital-culture-film?lang=zh-Hans").get_json()["film"]
    assert {c["lang"] for c in film["captions"]} == {"zh-Hans", "zh-Hant", "en"}
    assert [s["size"] for s in film["sources"]] == ["small", "large"]
    assert film["sources"][0]["height"] == 360 and 10 < film["seconds"] < 60
    with client.get(next(c["url"] for c in film["captions"] if c["lang"] == "zh-Hans")) as captions:
        assert captions.data.startswith(b"WEBVTT") and "医院文化".encode() in captions.data
    with client.get(film["sources"][0]["url"], headers={"Range": "bytes=0-31"}) as head:
        assert head.status_code == 206 and head.data[4:8] == b"ftyp"
    lobby = client.get("/api/v1/galleries/lobby/manifest?tier=phone").get_json()
    screen = next(p for p in lobby["exhibits"] if p["slug"] == "hospital-culture-film")
    assert screen["mount"] == "wall" and screen["model"] is None and screen["film"] == film
    assert screen["transform"]["target_size_m"] == 1.125  # its height: 2 m wide at 16:9
