"""The curator studio in a real browser: sign in, create an exhibit with a model upload, place it in a gallery in
3D, send both to review, publish them as a reviewer, and find them in the visitor API and pages."""

from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import urllib.request
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, Route, expect

from tests.conftest import PG_URL, pg_schema_url, reset_pg_schema, worker_name
from tests.frontend.browser import AXE, PATIENCE_MS, REPO, chromium, fill_sound_zone, studio_sign_in, watch
from tests.frontend.conftest import MUSEUM, free_port, wait_for
from tests.museum.conftest import box_glb

# One worker runs them all, in this order: they share one seeded studio, and a later test starts from what an
# earlier one published.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("studio")]

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


def standing_box_glb(size: float = 0.5) -> bytes:
    """Return a GLB of a box standing on its origin (its base at y = 0), as exhibit models do."""
    import trimesh

    box = trimesh.creation.box(extents=[size] * 3, transform=trimesh.transformations.translation_matrix(
        [0, size / 2, 0]))
    buffer = io.BytesIO()
    box.export(buffer, file_type="glb")
    return buffer.getvalue()


def seed() -> None:
    """Seed a lobby with one published exhibit and a second gallery (MUSEUM_INSTANCE_PATH names the instance)."""
    from museum import create_app
    from museum.core.db import get_db
    from museum.core.http_cache import bump_catalogue
    from museum.models import Asset, Exhibit, Gallery, Placement
    from museum.uploads.store import record_file, set_tier

    app = create_app()
    store = app.extensions["museum.storage"]
    with app.app_context(), get_db().write() as s:
        models = []
        # The exhibit's model is a 0.5 m box standing on its origin; its bounds let the layout checks see it.
        bounds = {"min": [-0.25, 0.0, -0.25], "max": [0.25, 0.5, 0.25]}
        for glb, inspection in ((room_glb(), {"triangles": 12}), (standing_box_glb(), {"triangles": 12,
                                                                                      "bounds": bounds})):
            asset = Asset(sha256=f"{len(glb):064x}"[-64:], kind="model", media_type="model/gltf-binary",
                          bytes=len(glb), inspection=inspection)
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
        microscope = Exhibit(slug="microscope", status="published", model_asset=models[1],
                             title={"zh-Hans": "显微镜", "zh-Hant": "顯微鏡", "en": "Microscope"},
                             summary={"zh-Hans": "一台黄铜显微镜。", "zh-Hant": "一台黃銅顯微鏡。",
                                      "en": "A brass microscope from the hospital's first laboratory."})
        s.add_all([heart, microscope, lobby, hall])
        s.flush()
        # The microscope stands in a showcase: its plinth and glass case are the placement's, not the room's.
        showcase = {"width_m": 0.7, "depth_m": 0.7, "height_m": 1.0, "case_height_m": 0.6, "finish": "walnut"}
        lobby.placements = [Placement(exhibit=heart, translation=[-1.0, 0.0, -2.0], mount="pedestal"),
                            Placement(exhibit=microscope, translation=[2.5, 1.0, -2.5], mount="showcase",
                                      plinth=showcase, position=1)]
        bump_catalogue(s)


def _built() -> None:
    bundle = REPO / "static" / "build" / "studio.js"
    newest = max(p.stat().st_mtime for p in (REPO / "static" / "src").iterdir())
    if not bundle.is_file() or bundle.stat().st_mtime < newest:
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
    if PG_URL:  # the same run on PostgreSQL, in a schema of its own (each test worker its own)
        schema = f"museum_studio_browser_{worker_name()}"
        reset_pg_schema(schema)
        env["MUSEUM_DATABASE_URL"] = pg_schema_url(schema)
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
            proc.wait()  # a server slow to stop on a busy machine is still reaped


def _sign_in(page: Page, url: str, name: str) -> None:
    studio_sign_in(page, url, name, PASSWORD)


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
        expect(page.locator("[data-status]")).to_have_attribute("data-status", "ready", timeout=PATIENCE_MS)
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
                               "window.studioEditor.frames > 5", timeout=PATIENCE_MS)
        before = page.evaluate("() => window.studioEditor.objects")
        page.locator(f"[data-add-exhibit='{exhibit_id}']").click()
        page.wait_for_function(f"() => window.studioEditor.objects === {before + 1}")
        # A position far outside any room is refused, and the error is shown on that exhibit.
        page.get_by_label("Position x (m)").fill("100000")
        page.get_by_label("Position x (m)").dispatch_event("change")
        page.get_by_role("button", name="Save the room").click()
        error = page.locator(".object-error")
        expect(error).to_be_visible()
        pointer = error.get_attribute("data-pointer", timeout=PATIENCE_MS)
        assert pointer is not None and pointer.startswith(f"/placements/{lobby['exhibit_count']}")
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


def test_a_curator_fixes_a_typo_on_a_published_exhibit_while_its_link_keeps_working(studio: Studio) -> None:
    """The published exhibit stays live (page, API, gallery, search) until the reviewer publishes the fix, and the
    fix, saved before the studio's list of uploads has arrived, keeps the exhibit's model."""
    model = _model_of(studio, "heart-model")
    assert model is not None
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, studio.url, "curator")
        page.goto(f"{studio.url}/studio#/list/exhibits")
        held: list[Route] = []

        def hold(route: Route) -> None:  # a slow list of uploads: answered only after the save
            if saved:
                route.continue_()
            else:
                held.append(route)

        saved = False
        page.route("**/api/v1/studio/assets?*", hold)
        page.get_by_role("link", name="Heart model", exact=True).click()
        title = page.locator("fieldset", has=page.locator("legend", has_text="Title")).first
        title.get_by_label("English").fill("Heart model, 1950s")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Published, with changes in draft")).to_be_visible()
        assert held, "the list of uploads was asked for"
        saved = True
        for route in held:
            route.continue_()
        page.get_by_role("button", name="Send to review").click()
        expect(page.get_by_text("Published, with changes in review")).to_be_visible()

        # Meanwhile a visitor opens the SMS link: the published exhibit, in its gallery, found by search.
        visitor = browser.new_context(viewport={"width": 412, "height": 839}, is_mobile=True, has_touch=True)
        phone = visitor.new_page()
        phone.goto(f"{studio.url}/e/heart-model?lang=en")
        phone.wait_for_function("() => window.museum && museum.panelOpen && museum.selected === 'heart-model' && "
                                "document.querySelector('#panel-title').textContent === 'Heart model'",
                                timeout=PATIENCE_MS)
        assert studio.api("/api/v1/exhibits/heart-model?lang=en")["title"] == "Heart model"
        manifest = studio.api("/api/v1/galleries/lobby/manifest?lang=en")
        assert [x["title"] for x in manifest["exhibits"] if x["slug"] == "heart-model"] == ["Heart model"]
        found = studio.api("/api/v1/search?q=heart&lang=en")["items"]
        assert any(i["slug"] == "heart-model" for i in found), found
        visitor.close()
        page.get_by_role("button", name="Sign out").click()

        _sign_in(page, studio.url, "reviewer")
        page.get_by_role("link", name="Review queue").click()
        expect(page.get_by_text("Published, with changes in review")).to_be_visible()
        page.get_by_role("link", name="Heart model, 1950s").click()
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("Published: visitors can see it now.")).to_be_visible()
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()
    assert studio.api("/api/v1/exhibits/heart-model?lang=en")["title"] == "Heart model, 1950s"
    assert _model_of(studio, "heart-model") == model


def _model_of(studio: Studio, slug: str) -> Any:
    """Return the model that visitors of the lobby get for an exhibit (its files), or None."""
    manifest = studio.api("/api/v1/galleries/lobby/manifest?lang=en")
    return next(x["model"] for x in manifest["exhibits"] if x["slug"] == slug)


def test_a_curator_revokes_a_preview_link_sent_to_the_wrong_person(studio: Studio) -> None:
    """A preview link made in the studio is listed beside its button and revoked there; it stops working at once."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, studio.url, "curator")
        page.goto(f"{studio.url}/studio#/list/galleries")
        page.get_by_role("link", name="Hall", exact=True).click()
        page.get_by_role("button", name="Preview link").click()
        link = page.locator("a[href*='/studio/preview/']")
        expect(link).to_be_visible()
        url = link.get_attribute("href")
        assert url
        listed = page.locator("ul.preview-links li")
        expect(listed).to_have_count(1)
        guest = browser.new_context()
        assert guest.request.get(url, max_redirects=0).status == 303  # the link works
        listed.get_by_role("button", name=re.compile(r"^Revoke preview link \d+$")).click()
        expect(page.get_by_text(re.compile(r"Preview link \d+ revoked"))).to_be_visible()
        expect(listed).to_have_count(0)
        assert guest.request.get(url, max_redirects=0).status == 410  # and now it does not
        guest.close()
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()


def test_the_placement_editor_shows_a_fault_while_dragging_and_keeps_the_vertical_handle_out_of_the_top_view(
        studio: Studio) -> None:
    """A lift through the ceiling is marked on the object at once, before Save; seen from above there is no
    vertical arrow to grab by mistake."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, studio.url, "curator")
        _open_editor(page, studio.url, "Lobby")
        assert page.evaluate("() => window.studioEditor.verticalHandle") is False  # the editor opens from above
        page.evaluate("() => window.studioEditor.api.select('placement', 0)")
        checks = page.evaluate("() => window.studioEditor.checks")
        page.get_by_label("Position y (m)").fill("4.96")
        page.get_by_label("Position y (m)").dispatch_event("change")
        page.wait_for_function("(n) => window.studioEditor.checks > n && "
                               "window.studioEditor.faults.includes('/placements/0')", arg=checks,
                               timeout=PATIENCE_MS)
        error = page.locator(".object-error")
        expect(error).to_be_visible()
        assert error.get_attribute("data-pointer") == "/placements/0"
        assert "ceiling" in (error.text_content() or "").lower()
        assert page.evaluate("() => window.studioEditor.saved") is None  # nothing was saved to find it
        checks = page.evaluate("() => window.studioEditor.checks")
        page.get_by_label("Position y (m)").fill("0")
        page.get_by_label("Position y (m)").dispatch_event("change")
        page.wait_for_function("(n) => window.studioEditor.checks > n && window.studioEditor.faults.length === 0",
                               arg=checks, timeout=PATIENCE_MS)
        expect(error).to_be_hidden()
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()


TEXTS = json.loads((REPO / "static" / "src" / "_studio_texts.json").read_text(encoding="utf-8"))
ACCOUNTS = ("admin", "curator", "reviewer")


def _sign_in_in_chinese(page: Page, url: str, name: str) -> None:
    page.goto(url + "/studio")
    page.get_by_label("用户名", exact=True).fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}，您好", timeout=PATIENCE_MS)


def test_a_chinese_curator_sees_the_studio_in_chinese_and_switches_language_for_good(studio: Studio) -> None:
    """A zh-CN browser gets the studio in Simplified Chinese (list, editor, placement editor, review queue); the
    curator switches to Traditional Chinese and to English, and the choice stays after a reload."""
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        page.goto(studio.url + "/studio")
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        expect(page.get_by_role("heading", level=1)).to_have_text("策展工作室", timeout=PATIENCE_MS)
        _sign_in_in_chinese(page, studio.url, "curator")
        expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=PATIENCE_MS)
        assert page.title() == "curator，您好 · 策展工作室"

        page.get_by_role("link", name="展厅", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("展厅", timeout=PATIENCE_MS)
        expect(page.get_by_role("columnheader", name="状态")).to_be_visible(timeout=PATIENCE_MS)
        page.get_by_role("link", name="序厅", exact=True).click()  # the title in the curator's language
        expect(page.get_by_role("heading", level=1)).to_have_text("展厅：序厅", timeout=PATIENCE_MS)
        expect(page.get_by_text("已发布", exact=True)).to_be_visible(timeout=PATIENCE_MS)
        title = page.locator("fieldset", has=page.locator("legend", has_text="标题")).first
        expect(title.get_by_label("简体中文")).to_have_value("序厅", timeout=PATIENCE_MS)
        expect(title.get_by_label("繁体中文")).to_have_value("序廳", timeout=PATIENCE_MS)
        page.get_by_role("link", name="打开布展编辑器").click()
        page.wait_for_function("() => window.studioEditor && window.studioEditor.ready", timeout=PATIENCE_MS)
        expect(page.get_by_role("heading", level=1)).to_have_text("布展编辑器：序厅", timeout=PATIENCE_MS)
        for button in ("保存展厅", "添加起点", "添加门", "移动（W）"):
            expect(page.get_by_role("button", name=button)).to_be_visible(timeout=PATIENCE_MS)
        page.evaluate("() => window.studioEditor.api.select('placement', 0)")
        expect(page.get_by_label("位置 x（米）")).to_be_visible(timeout=PATIENCE_MS)
        page.get_by_role("link", name="审核队列").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("审核队列", timeout=PATIENCE_MS)

        page.get_by_label("语言").select_option("zh-Hant")
        expect(page.get_by_role("heading", level=1)).to_have_text("審核佇列", timeout=PATIENCE_MS)
        assert page.evaluate("document.documentElement.lang") == "zh-Hant"
        expect(page.get_by_role("link", name="展廳", exact=True)).to_be_visible(timeout=PATIENCE_MS)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("審核佇列", timeout=PATIENCE_MS)
        expect(page.get_by_role("button", name="登出")).to_be_visible(timeout=PATIENCE_MS)
        page.get_by_role("link", name="展廳", exact=True).click()
        page.get_by_role("link", name="序廳", exact=True).click()
        expect(page.get_by_role("link", name="開啟布展編輯器")).to_be_visible(timeout=PATIENCE_MS)

        page.get_by_label("語言").select_option("en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Gallery: Lobby", timeout=PATIENCE_MS)
        page.reload()
        expect(page.get_by_role("link", name="Open the placement editor")).to_be_visible(timeout=PATIENCE_MS)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.evaluate("localStorage.getItem('museum.lang')") == "en"
        # The choice is the curator's, not the browser's: signed out, the sign-in page stays in English.
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible(timeout=PATIENCE_MS)
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()


# Every word the studio shows comes from its texts; what is drawn in Chinese must not contain their English.
VISIBLE_TEXT = """() => {
  const shown = (el) => el && (el.closest('select') ? el.closest('select').checkVisibility()
    : el.checkVisibility({ visibilityProperty: true }));
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // The language switch names each language in itself (English is "English" in every mode).
    if (node.textContent.trim() && !parent.closest('script, noscript, .lang-switch') && shown(parent)) {
      out.push(node.textContent);
    }
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
    if (!shown(el)) continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  return out.map((text) => text.trim()).filter(Boolean);
}"""


def _english_words() -> tuple[set[str], list[str]]:
    """Return the studio's English texts that differ from the Chinese: whole texts, and phrases of two words or more
    (the parts around {placeholders})."""
    whole: set[str] = set()
    phrases: list[str] = []
    for hans, hant, en in TEXTS.values():
        if en == hans == hant:  # the same in every language ("{item} {n}")
            continue
        whole.add(en)
        for part in re.split(r"\{\w+\}", en):
            part = part.strip(" :;,.")
            if len(part.split()) >= 2:
                phrases.append(part)
    return whole, phrases


def test_no_english_is_left_in_the_simplified_chinese_studio(studio: Studio) -> None:
    """Every main view, drawn for an admin in zh-Hans, shows none of the studio's English words."""
    whole, phrases = _english_words()
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in_in_chinese(page, studio.url, "admin")
        ids = page.evaluate("""async () => {
          const get = async (kind) => (await (await fetch(`/api/v1/studio/${kind}?per_page=100`)).json()).items;
          const [exhibits, galleries] = await Promise.all([get('exhibits'), get('galleries')]);
          return { heart: exhibits.find((e) => e.slug === 'heart-model').id,
                   lobby: galleries.find((g) => g.slug === 'lobby').id }; }""")
        # The lobby's lighting changed and changed back: its history shows a choice of a list, both ways.
        page.evaluate("""async (id) => {
          const csrf = (await (await fetch('/api/v1/session')).json()).csrf_token;
          for (const lighting of ['warm', 'gallery']) {
            const doc = await (await fetch(`/api/v1/studio/galleries/${id}`)).json();
            const sent = await fetch(`/api/v1/studio/galleries/${id}`, {
              method: 'PATCH', body: JSON.stringify({ lighting }),
              headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'If-Match': `"${doc.version}"` } });
            const reply = await sent.text();  // read whole: an unread reply is a request still open
            if (!sent.ok) throw new Error(`${sent.status} ${reply}`);
          } }""", ids["lobby"])
        views = ["#/", "#/list/exhibits", f"#/edit/exhibits/{ids['heart']}", "#/new/tours", "#/list/galleries",
                 f"#/edit/galleries/{ids['lobby']}", f"#/history/galleries/{ids['lobby']}", f"#/place/{ids['lobby']}",
                 "#/review", "#/assets", "#/translations", "#/users", "#/tokens", "#/kiosks", "#/audit", "#/new/events"]
        left: dict[str, list[str]] = {}
        for view in views:
            page.goto(f"{studio.url}/studio{view}")
            if view.startswith("#/place/"):
                page.wait_for_function("() => window.studioEditor?.ready && window.studioEditor.api",
                                       timeout=PATIENCE_MS)
                page.evaluate("() => window.studioEditor.api.select('placement', 0)")
            # A new address in the same page: wait for its view, not for the last one's heading.
            page.wait_for_function("(hash) => document.getElementById('main').dataset.drawn === hash", arg=view,
                                   timeout=PATIENCE_MS)
            page.wait_for_load_state("networkidle")
            expect(page.get_by_role("heading", level=1)).not_to_be_empty(timeout=PATIENCE_MS)
            texts = page.evaluate(VISIBLE_TEXT)
            found = [x for x in texts if x in whole and x not in ACCOUNTS]
            joined = "\n".join(texts)
            found += [p for p in phrases if p in joined]
            if found:
                left[view] = found
            if view.startswith("#/history/"):  # the lighting's change, by the form's label and choices
                assert any(x.startswith("灯光") for x in texts) and "暖光" in texts and "展厅光" in texts, texts
                assert "2 个展位" in texts, texts  # the lobby's placements as first recorded: counted, not JSON
        assert left == {}, left
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()


def _open_editor(page: Page, url: str, gallery: str) -> None:
    page.goto(f"{url}/studio#/list/galleries")
    page.get_by_role("link", name=gallery, exact=True).click()
    page.get_by_role("link", name="Open the placement editor").click()
    page.wait_for_function("() => window.studioEditor && window.studioEditor.ready && "
                           "window.studioEditor.frames > 5", timeout=PATIENCE_MS)


def _save_room_for_review(page: Page) -> None:
    """Save the placement editor's first change, send the gallery to review from its form, and sign out."""
    page.get_by_role("button", name="Save the room").click()
    page.wait_for_function("() => window.studioEditor.saved === 1", timeout=PATIENCE_MS)
    page.get_by_role("link", name="Back to the gallery form").click()
    page.get_by_role("button", name="Send to review").click()
    expect(page.get_by_text("Sent to review.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()


def _microscope(page: Page) -> int:
    index = page.evaluate("(id) => window.studioEditor.api.placements().findIndex((p) => p.exhibit_id === id)",
                          _exhibit_id("microscope"))
    assert index >= 0
    return int(index)


def _exhibit_id(slug: str) -> int:
    return {"heart-model": 1, "microscope": 2}[slug]  # in the order the seed adds them


def _move(page: Page, axis: str, value: float) -> None:
    box = page.get_by_label(f"Position {axis} (m)")
    box.fill(str(value))
    box.dispatch_event("change")


def test_a_curator_moves_an_exhibit_and_its_plinth_and_glass_case_move_with_it(studio: Studio,
                                                                               tmp_path: Path) -> None:
    """Nothing of the showcase stays behind: the editor, the published scene and the visitor's gallery show the
    plinth under the exhibit where it was moved to."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, studio.url, "curator")
        _open_editor(page, studio.url, "Lobby")
        index = _microscope(page)
        assert page.evaluate("(i) => window.studioEditor.api.plinthOf(i)", index) == [2.5, 1.0, -2.5]
        page.evaluate("(i) => window.studioEditor.api.select('placement', i)", index)
        expect(page.get_by_label("Plinth", exact=True)).to_have_value("showcase")
        _move(page, "x", -3.0)
        _move(page, "z", 1.5)
        assert page.evaluate("(i) => window.studioEditor.api.plinthOf(i)", index) == [-3.0, 1.0, 1.5]
        # Lifted off its plinth's height, the plinth goes up with it and the fault says so before Save.
        checks = page.evaluate("() => window.studioEditor.checks")
        _move(page, "y", 1.5)
        page.wait_for_function("([n, p]) => window.studioEditor.checks > n && window.studioEditor.faults.includes(p)",
                               arg=[checks, f"/placements/{index}"], timeout=PATIENCE_MS)
        assert "plinth" in (page.locator(".object-error").text_content() or "")
        _move(page, "y", 1.0)
        _save_room_for_review(page)
        _sign_in(page, studio.url, "reviewer")
        page.get_by_role("link", name="Review queue").click()
        page.get_by_role("link", name="Lobby", exact=True).click()
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("Published: visitors can see it now.")).to_be_visible()
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()

        # The whole-gallery GLB: the plinth's node stands where the exhibit's does.
        with urllib.request.urlopen(studio.url + "/api/v1/galleries/lobby/scene.glb?tier=phone") as response:
            from assets.gltfio import read_glb
            from assets.validator import validate_bytes

            data = response.read()
        assert validate_bytes(data).errors == 0
        nodes = {n.get("name"): n for n in read_glb(data).doc["nodes"]}
        plinths = [name for name in nodes if name and name.startswith("plinth-")]
        assert len(plinths) == 1
        number = plinths[0].removeprefix("plinth-")
        origin = [round(v, 3) for v in nodes[f"plinth-{number}"]["matrix"][12:15]]
        assert origin == [round(v, 3) for v in nodes[f"placement-{number}"]["matrix"][12:15]] == [-3.0, 1.0, 1.5]

        # The visitor's gallery, on a phone: the showcase stands under the microscope, its label on its plate.
        phone = browser.new_context(viewport={"width": 412, "height": 839}, is_mobile=True, has_touch=True,
                                    device_scale_factor=2)
        visitor = phone.new_page()
        seen = watch(phone, visitor)
        visitor.goto(f"{studio.url}/e/microscope?lang=en")
        visitor.wait_for_function("() => window.museum && museum.viewer && museum.viewer.pickables.some("
                                  "(p) => p.userData.exhibit?.slug === 'microscope' && p.userData.model)",
                                  timeout=PATIENCE_MS)
        where = visitor.evaluate("""() => {
          const h = museum.viewer.pickables.find((p) => p.userData.exhibit?.slug === 'microscope');
          h.updateWorldMatrix(true, true);
          const at = (o) => o.getWorldPosition(h.position.clone()).toArray().map((v) => Math.round(v * 1000) / 1000);
          const glass = h.userData.plinth.getObjectByName('plinth-case');
          return { plinth: at(h.userData.plinth), glass: glass && at(glass), model: at(h.userData.model),
                   plate: museum.plates().find((p) => p.slug === 'microscope') };
        }""")
        assert where["plinth"] == where["model"] == [-3.0, 1.0, 1.5], where
        assert where["glass"] == [-3.0, 1.3, 1.5], where  # the case sits on the plinth, around the microscope
        assert where["plate"] and "Microscope" in where["plate"]["text"], where
        visitor.screenshot(path=str(tmp_path / "showcase-phone.png"))
        if os.environ.get("PLINTH_SCREENSHOT"):
            Path(os.environ["PLINTH_SCREENSHOT"]).write_bytes((tmp_path / "showcase-phone.png").read_bytes())
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        phone.close()


def test_a_reviewer_sees_the_words_changed_and_the_exhibit_moved_not_the_whole_form(studio: Studio,
                                                                                    tmp_path: Path) -> None:
    """An edited published exhibit and its gallery in review: the reviewer sees the words taken out and put in,
    per language, and the microscope listed as moved; the whole form waits behind one click."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, studio.url, "curator")
        page.goto(f"{studio.url}/studio#/edit/exhibits/{_exhibit_id('microscope')}")
        summary = page.locator("fieldset", has=page.locator("legend", has_text="Summary")).first
        summary.get_by_label("English").fill("A brass compound microscope from the hospital's first laboratory.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Published, with changes in draft")).to_be_visible()
        page.get_by_role("button", name="Send to review").click()
        expect(page.get_by_text("Published, with changes in review")).to_be_visible()
        _open_editor(page, studio.url, "Lobby")
        index = _microscope(page)
        published_x = page.evaluate("(i) => window.studioEditor.api.plinthOf(i)", index)[0]
        page.evaluate("(i) => window.studioEditor.api.select('placement', i)", index)
        _move(page, "x", -2.0)
        _save_room_for_review(page)

        _sign_in(page, studio.url, "reviewer")
        page.get_by_role("link", name="Review queue").click()
        page.get_by_role("link", name="Microscope", exact=True).click()
        changes = page.get_by_role("region", name="What changed")
        expect(changes).to_be_visible()
        expect(changes.get_by_text("Compared with the published version")).to_be_visible()
        english = changes.locator("li[data-path='/summary/en']")
        expect(english.locator("ins")).to_have_text(["compound "])
        expect(english.locator("del")).to_have_count(0)
        expect(changes.locator("li[data-path^='/summary/zh']")).to_have_count(0)  # only English changed
        # The form is one click away, not spread over the page.
        expect(page.locator("details.whole-form")).not_to_have_attribute("open", "")
        expect(page.get_by_role("button", name="Publish")).to_be_visible()
        page.screenshot(path=str(tmp_path / "review-exhibit.png"), full_page=True)

        page.get_by_role("link", name="Review queue").click()
        page.get_by_role("link", name="Lobby", exact=True).click()
        moved = page.get_by_role("region", name="What changed").locator("li[data-exhibit='microscope']")
        expect(moved).to_have_attribute("data-change", "changed")
        expect(moved).to_contain_text(f"Microscope: moved {abs(published_x + 2.0):.2f} m")
        page.screenshot(path=str(tmp_path / "review-gallery.png"), full_page=True)
        if os.environ.get("REVIEW_SCREENSHOTS"):
            for name in ("review-exhibit.png", "review-gallery.png"):
                Path(os.environ["REVIEW_SCREENSHOTS"], name).write_bytes((tmp_path / name).read_bytes())
        assert _serious_violations(page) == []
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()


def _film_files(folder: Path) -> tuple[Path, dict[str, Path], Path]:
    """A 2 s film with sound, its captions in the three languages, and a 1 s room-sound loop."""
    film = folder / "culture.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
                    "-f", "lavfi", "-i", "sine=frequency=330:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", str(film)], check=True, capture_output=True)
    lines = {"zh-Hans": "欢迎来到医院文化展厅。", "zh-Hant": "歡迎來到醫院文化展廳。",
             "en": "Welcome to the hospital culture hall."}
    captions = {}
    for lang, line in lines.items():
        captions[lang] = folder / f"culture.{lang}.vtt"
        captions[lang].write_text(f"WEBVTT\n\n00:00.000 --> 00:02.000\n{line}\n", encoding="utf-8")
    hum = folder / "hum.wav"
    with wave.open(str(hum), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 120 * i / 22050)))
                                 for i in range(22050)))
    return film, captions, hum


def test_a_curator_uploads_a_film_with_captions_and_places_it_and_a_sound_in_a_gallery(studio: Studio,
                                                                                        tmp_path: Path) -> None:
    """Films and room sound the way a curator makes them: files uploaded in the studio, the film on an exhibit
    with a caption track per language, the screen and a spot sound placed in 3D; once published, visitors get
    both in the gallery's manifest."""
    film, captions, hum = _film_files(tmp_path)
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, studio.url, "curator")

        # The room's sound, under Uploads.
        page.get_by_role("link", name="Uploads").click()
        page.get_by_label(re.compile(r"^Upload a 3D model")).set_input_files(str(hum))
        expect(page.get_by_role("row", name="audio hum.wav ready")).to_be_visible(timeout=PATIENCE_MS)

        # A new exhibit that is a film, with its captions.
        page.goto(studio.url + "/studio#/new/exhibits")
        page.get_by_label("Short name in links (slug)").fill("culture-film")
        title = page.locator("fieldset", has=page.locator("legend", has_text="Title")).first
        for language, words in (("English", "Hospital culture"), ("简体中文 (Simplified Chinese)", "医院文化"),
                                ("繁體中文 (Traditional Chinese)", "醫院文化")):
            title.get_by_label(language).fill(words)
        media = page.locator("fieldset[data-pointer='/media']")
        for n, (role, lang, path) in enumerate([("film", None, film)] + [("film_captions", lang, path)
                                                                         for lang, path in captions.items()]):
            media.get_by_role("button", name="Add File").click()
            row = media.locator(".list-item").nth(n)
            row.locator("select[data-pointer$='/role']").select_option(role)
            if lang:
                row.locator("select[data-pointer$='/lang']").select_option(lang)
            row.locator("input[type=file]").set_input_files(str(path))
            # A film is ready once its renditions are made; the worker makes them from the queue.
            expect(row.locator("[data-status]")).to_have_attribute("data-status", "ready", timeout=PATIENCE_MS)
            expect(row.locator("select[data-pointer$='/asset_id']")).not_to_have_value("")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page).to_have_url(re.compile(r"#/edit/exhibits/\d+$"), timeout=PATIENCE_MS)
        exhibit_id = int(page.url.rsplit("/", 1)[1])
        page.get_by_role("button", name="Send to review").click()
        expect(page.get_by_text("Sent to review.")).to_be_visible()

        # The screen on the lobby's back wall, and a spot sound beside it.
        _open_editor(page, studio.url, "Lobby")
        before = page.evaluate("() => window.studioEditor.objects")
        page.locator(f"[data-add-exhibit='{exhibit_id}']").click()
        page.wait_for_function("(n) => window.studioEditor.objects === n + 1", arg=before, timeout=PATIENCE_MS)
        # The film (in review, not public yet) stands in the editor as its screen, as wide as the film is.
        width = page.evaluate("""() => { const p = window.studioEditor.selected.holder.getObjectByName('film-picture');
          return p && p.geometry.parameters.width; }""")
        assert width is not None and abs(width - 1.8) < 0.01, width  # a 4:3 film, 1.8 m wide without a size given
        for axis, value in (("x", -3.0), ("y", 1.0), ("z", -3.7)):
            _move(page, axis, value)
        if os.environ.get("STUDIO_SCREENSHOT"):
            page.locator(".viewport").screenshot(path=os.environ["STUDIO_SCREENSHOT"].replace(".png", "-film.png"))
        page.get_by_role("button", name="Add a sound").click()
        page.wait_for_function("(n) => window.studioEditor.objects === n + 2", arg=before, timeout=PATIENCE_MS)
        files = page.get_by_label("Sound file")
        expect(files.locator("option", has_text="hum.wav")).to_have_count(1, timeout=PATIENCE_MS)
        files.select_option(files.locator("option", has_text="hum.wav").get_attribute("value"))
        files.dispatch_event("change")
        fill_sound_zone(page, -1.5, -3.0, 2.5, "The film's music")
        _save_room_for_review(page)

        _sign_in(page, studio.url, "reviewer")
        for name in ("Hospital culture", "Lobby"):
            page.get_by_role("link", name="Review queue").click()
            page.get_by_role("link", name=name, exact=True).click()
            page.get_by_role("button", name="Publish").click()
            expect(page.get_by_text("Published: visitors can see it now.")).to_be_visible()
        assert seen.console_errors == [] and seen.blocked == [], (seen.console_errors, seen.blocked)
        context.close()

    manifest = studio.api("/api/v1/galleries/lobby/manifest?lang=zh-Hans")
    screen = next(x for x in manifest["exhibits"] if x["slug"] == "culture-film")
    assert screen["transform"]["position"] == [-3.0, 1.0, -3.7] and screen["title"] == "医院文化"
    shown = screen["film"]
    # A 240-line film is not enlarged: both renditions keep its size.
    assert [(s["size"], s["width"], s["height"]) for s in shown["sources"]] == [("small", 320, 240),
                                                                                ("large", 320, 240)]
    assert shown["poster_url"] and 1.5 < shown["seconds"] < 2.5
    assert sorted(c["lang"] for c in shown["captions"]) == ["en", "zh-Hans", "zh-Hant"]
    with urllib.request.urlopen(studio.url + next(c["url"] for c in shown["captions"] if c["lang"] == "zh-Hans")) as r:
        assert "欢迎来到医院文化展厅" in r.read().decode("utf-8")
    request = urllib.request.Request(studio.url + shown["sources"][0]["url"], headers={"Range": "bytes=0-99"})
    with urllib.request.urlopen(request) as r:
        assert r.status == 206 and len(r.read()) == 100
    [sound] = [s for s in manifest["sounds"] if s["title"] == "The film's music"]
    assert sound["kind"] == "spot" and sound["radius_m"] == 2.5 and sound["position"][0] == -1.5, sound
