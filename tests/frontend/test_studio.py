"""The curator studio in a real browser: sign in, create an exhibit with a model upload, place it in a gallery in
3D, send both to review, publish them as a reviewer, and find them in the visitor API and pages."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.conftest import PG_URL, pg_schema_url, reset_pg_schema
from tests.frontend.browser import AXE, REPO, chromium, watch
from tests.frontend.conftest import MUSEUM, free_port, wait_for
from tests.museum.conftest import box_glb

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long studio password"


@dataclass
class Studio:
    """A running museum with one account per role."""

    url: str

    def api(self, path: str) -> dict:  # type: ignore[type-arg]
        """Return the JSON of a path, asked anonymously."""
        with urllib.request.urlopen(self.url + path) as response:
            return json.load(response)  # type: ignore[no-any-return]


def room_glb() -> bytes:
    """Return a 10 x 4 x 8 m room: a floor, four walls and a ceiling, as one GLB."""
    import trimesh

    parts = [trimesh.creation.box(extents=e, transform=trimesh.transformations.translation_matrix(c))
             for e, c in (([10, 0.1, 8], [0, -0.05, 0]), ([10, 0.1, 8], [0, 4.05, 0]), ([0.2, 4, 8], [-5.1, 2, 0]),
                          ([0.2, 4, 8], [5.1, 2, 0]), ([10, 4, 0.2], [0, 2, -4.1]), ([10, 4, 0.2], [0, 2, 4.1]))]
    buffer = io.BytesIO()
    trimesh.util.concatenate(parts).export(buffer, file_type="glb")
    return buffer.getvalue()


def seed() -> None:
    """Seed a lobby with one published exhibit and a second gallery (MUSEUM_INSTANCE_PATH names the instance)."""
    from museum import create_app
    from museum.asset_store import record_file, set_tier
    from museum.db import get_db
    from museum.http_cache import bump_catalogue
    from museum.models import Asset, Exhibit, Gallery, Placement

    app = create_app()
    store = app.extensions["museum.storage"]
    with app.app_context(), get_db().write() as s:
        models = []
        for glb in (room_glb(), box_glb(0.5)):
            asset = Asset(sha256=f"{len(glb):064x}"[-64:], kind="model", media_type="model/gltf-binary",
                          bytes=len(glb), inspection={"triangles": 12})
            s.add(asset)
            s.flush()
            stored = record_file(s, store, glb, "model/gltf-binary")
            for tier in ("phone", "desktop", "original"):
                set_tier(s, asset, tier, stored, 12, 1)
            models.append(asset)
        t = {"zh-Hans": "心脏模型", "zh-Hant": "心臟模型", "en": "Heart model"}
        heart = Exhibit(slug="heart-model", status="published", title=t, model_asset=models[1])
        lobby = Gallery(slug="lobby", status="published", title={"zh-Hans": "序厅", "zh-Hant": "序廳", "en": "Lobby"},
                        room_asset=models[0], size_m=[10, 4, 8], floor=[[-5, -4], [5, -4], [5, 4], [-5, 4]],
                        spawns=[{"position": [0, 0, 3], "yaw_deg": 180}])
        hall = Gallery(slug="hall", status="published", title={"zh-Hans": "院史馆", "zh-Hant": "院史館", "en": "Hall"},
                       size_m=[10, 4, 8], position=1)
        s.add_all([heart, lobby, hall])
        s.flush()
        lobby.placements = [Placement(exhibit=heart, translation=[-1.0, 0.0, -2.0], mount="pedestal")]
        bump_catalogue(s)


def _built() -> None:
    bundle = REPO / "static" / "build" / "studio_editor.js"
    source = REPO / "static" / "src" / "studio_editor.js"
    if not bundle.is_file() or bundle.stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["node", "scripts/build-frontend.mjs"], cwd=REPO, check=True, capture_output=True)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """Run `museum serve` on a small seeded museum with an admin, a curator and a reviewer."""
    _built()
    instance = tmp_path_factory.mktemp("studio")
    env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance), "MUSEUM_SESSION_COOKIE_SECURE": "false",
           "MUSEUM_WORKERS": "2", "MUSEUM_THREADS": "8"}
    env.pop("MUSEUM_STORAGE_DIR", None)
    env.pop("MUSEUM_DATABASE_URL", None)
    if PG_URL:  # the same run on PostgreSQL, in a schema of its own
        reset_pg_schema("museum_studio_browser")
        env["MUSEUM_DATABASE_URL"] = pg_schema_url("museum_studio_browser")
    subprocess.run([MUSEUM, "init"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", "from tests.frontend.test_studio import seed; seed()"], env=env, cwd=REPO,
                   check=True)
    for role in ("admin", "curator", "reviewer"):
        subprocess.run([MUSEUM, "user", "create", role, "--role", role], env=env, input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([MUSEUM, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/v1", proc)
        yield Studio(url)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _sign_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/studio")
    page.get_by_label("Name 用户名").fill(name)
    page.get_by_label("Password 密码").fill(PASSWORD)
    page.get_by_role("button", name="Sign in 登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")


def _serious_violations(page: Page) -> list[str]:
    page.evaluate(AXE.read_text())  # evaluated, not injected: the studio's CSP allows no inline scripts
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)")
    return list(found)


def test_a_curator_builds_a_gallery_and_a_reviewer_publishes_it(studio: Studio, tmp_path: Path) -> None:
    model = tmp_path / "stethoscope.glb"
    model.write_bytes(box_glb(0.4))
    lobby = next(g for g in studio.api("/api/v1/galleries?per_page=100")["items"] if g["slug"] == "lobby")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)

        _sign_in(page, studio.url, "curator")
        assert _serious_violations(page) == []

        # A new exhibit with its model.
        page.goto(studio.url + "/studio#/new/exhibits")
        page.get_by_label("Short name in links (slug)").fill("brass-stethoscope")
        title = page.locator("fieldset", has=page.locator("legend", has_text="Title")).first
        title.get_by_label("English").fill("Brass stethoscope")
        title.get_by_label("简体中文 (Simplified Chinese)").fill("黄铜听诊器")
        expect(title.locator(".lang.missing")).to_have_count(1)  # Traditional Chinese is flagged
        assert _serious_violations(page) == []
        page.get_by_label("Upload a new model (.glb, .gltf or .zip)").set_input_files(str(model))
        expect(page.locator("[data-status]")).to_have_attribute("data-status", "ready", timeout=120_000)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page).to_have_url(re.compile(r"#/edit/exhibits/\d+$"))
        exhibit_id = int(page.url.rsplit("/", 1)[1])
        page.get_by_role("button", name="Send to review").click()
        expect(page.get_by_text("Sent to review.")).to_be_visible()

        # Into the lobby, in 3D.
        page.get_by_role("link", name="Galleries").click()
        page.get_by_role("link", name="Lobby").click()
        page.get_by_role("link", name="Open the placement editor").click()
        page.wait_for_function("() => window.studioEditor && window.studioEditor.ready && "
                               "window.studioEditor.frames > 5", timeout=60_000)
        before = page.evaluate("() => window.studioEditor.objects")
        page.locator(f"[data-add-exhibit='{exhibit_id}']").click()
        page.wait_for_function(f"() => window.studioEditor.objects === {before + 1}")
        # A position far outside any room is refused, and the error is shown on that exhibit.
        page.get_by_label("Position x (m)").fill("100000")
        page.get_by_label("Position x (m)").dispatch_event("change")
        page.get_by_role("button", name="Save the room").click()
        error = page.locator(".object-error")
        expect(error).to_be_visible()
        assert error.get_attribute("data-pointer", timeout=5000).startswith(f"/placements/{lobby['exhibit_count']}")
        page.get_by_label("Position x (m)").fill("1.5")
        page.get_by_label("Position x (m)").dispatch_event("change")
        page.get_by_role("button", name="Save the room").click()
        page.wait_for_function("() => window.studioEditor.saved === 1")
        # A start point and a door to the hall, then a hotspot by clicking the new exhibit's model.
        page.get_by_role("button", name="Add a start point").click()
        page.get_by_role("button", name="Add a door").click()
        page.get_by_role("button", name="Save the room").click()
        page.wait_for_function("() => window.studioEditor.saved === 2")
        raw = page.locator(".viewport").screenshot()
        if os.environ.get("STUDIO_SCREENSHOT"):
            Path(os.environ["STUDIO_SCREENSHOT"]).write_bytes(raw)
        shot = Image.open(io.BytesIO(raw)).convert("RGB")
        assert len(set(shot.getdata())) > 50, "the room is not drawn"  # not a blank or one-colour canvas
        page.once("dialog", lambda dialog: dialog.accept("Chest piece"))
        page.locator("#hotspot-mode").check()
        x, y = page.evaluate(f"() => window.studioEditor.api.screenOf('placement', {lobby['exhibit_count']})")
        page.mouse.click(x, y)
        expect(page.get_by_text("Hotspot “Chest piece” added")).to_be_visible()
        page.get_by_role("link", name="Back to the gallery form").click()
        page.get_by_role("button", name="Send to review").click()
        expect(page.get_by_text("Sent to review.")).to_be_visible()
        # The hotspot changed the exhibit, which went back to draft; it goes to review again.
        page.goto(f"{studio.url}/studio#/edit/exhibits/{exhibit_id}")
        expect(page.get_by_text("Draft", exact=True)).to_be_visible()
        page.get_by_role("button", name="Send to review").click()
        expect(page.get_by_text("Sent to review.")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()

        # The reviewer publishes both.
        _sign_in(page, studio.url, "reviewer")
        page.get_by_role("link", name="Review queue").click()
        for name in ("Brass stethoscope", "Lobby"):
            page.get_by_role("link", name=name).click()
            page.get_by_role("button", name="Publish").click()
            expect(page.get_by_text("Published: visitors can see it now.")).to_be_visible()
            page.get_by_role("link", name="Review queue").click()
        expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
        assert _serious_violations(page) == []

        # The one refused save above is logged by the browser as a failed request; nothing else may fail.
        errors = [e for e in seen.console_errors if "status of 422" not in e]
        assert errors == [] and seen.blocked == [], (errors, seen.blocked)
        context.close()

    manifest = studio.api("/api/v1/galleries/lobby/manifest?lang=en")
    placed = next(x for x in manifest["exhibits"] if x["slug"] == "brass-stethoscope")
    assert placed["transform"]["position"][0] == 1.5 and placed["model"]["url"].startswith("/files/")
    assert [(h["slug"], h["title"]) for h in placed["hotspots"]] == [("chest-piece", "Chest piece")]
    assert len(manifest["spawns"]) == 2 and [d["to"] for d in manifest["doors"]] == ["hall"]
    assert studio.api("/api/v1/exhibits/brass-stethoscope?lang=zh-Hans")["title"] == "黄铜听诊器"
    with urllib.request.urlopen(studio.url + "/e/brass-stethoscope") as page_response:
        assert page_response.status == 200
