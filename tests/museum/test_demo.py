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
from museum.db import get_db
from museum.demo.seed import seed_demo
from museum.models import Asset, Exhibit, TimelineEvent
from museum.translations import untranslated

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
