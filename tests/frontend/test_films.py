"""Films as exhibits in a real browser: the demo's film hangs as a screen in the lobby, plays in its panel after a tap
with captions in the visitor's language and on the screen in 3D, is counted in the cockpit, and curators can attach
films and film captions in the studio."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.frontend.browser import (
    COUNT_AUDIO,
    PATIENCE_MS,
    PATIENCE_S,
    XR_AIM_AT,
    Watch,
    studio_sign_in,
    watch,
    with_headset,
    xr_trigger,
)
from tests.frontend.conftest import MUSEUM, LiveMuseum
from tests.frontend.test_museum import PIXEL_7, READY

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("frontend")]

FILM = "hospital-culture-film"
PASSWORD = "a long film test password"
SHOTS = os.environ.get("MUSEUM_TEST_SCREENSHOTS")
VIDEO = "document.querySelector('#panel video')"
ALL_READY = "() => museum.ready && museum.exhibitsReady === museum.manifest.exhibits.length"


@pytest.fixture(scope="module")
def staff(museum: LiveMuseum, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Add a manager (with an API token) and a curator to the running demo museum; return the manager's token."""
    # The session's museum runs on an instance folder the fixture made under the session's base temp directory;
    # the one whose token the server accepts is it.
    for instance in sorted(tmp_path_factory.getbasetemp().glob("museum*")):
        env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance)}
        env.pop("MUSEUM_DATABASE_URL", None)
        env.pop("MUSEUM_STORAGE_DIR", None)
        if not (instance / "secret_key").is_file():
            continue
        for name, role in (("film-manager", "manager"), ("film-curator", "curator")):
            made = subprocess.run([MUSEUM, "user", "create", name, "--role", role], env=env, input=PASSWORD + "\n",
                                  text=True, capture_output=True)
            assert made.returncode == 0 or "exists" in (made.stdout + made.stderr).lower(), made.stderr
        token = subprocess.run([MUSEUM, "token", "create", "films", "--user", "film-manager"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip().splitlines()[-1]
        try:
            _summary(museum.url, token)
        except OSError:
            continue
        return {"token": token}
    raise AssertionError("the running museum's instance folder was not found")


def _summary(url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(url + "/api/v1/cockpit/summary", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def film(museum: LiveMuseum) -> dict[str, Any]:
    """Return the demo film exhibit's detail (in Simplified Chinese)."""
    assert any(e["slug"] == FILM for e in museum.exhibits), "the demo has no film exhibit (is ffmpeg installed?)"
    detail: dict[str, Any] = museum.api(f"/api/v1/exhibits/{FILM}?lang=zh-Hans")
    assert detail["film"] and detail["film"]["sources"] and detail["film"]["captions"], detail["film"]
    return detail


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), timeout=PATIENCE_MS)


def _frames(page: Page, n: int = 3) -> None:
    """Wait until the page has drawn n more frames (what a screenshot then shows is current)."""
    page.wait_for_function("(f) => museum.framesRendered > f", arg=page.evaluate("museum.framesRendered") + n,
                           polling=100)


def _clean(seen: Watch) -> None:
    assert seen.blocked == [], seen.blocked
    assert seen.console_errors == [], seen.console_errors


def _beacons(context: BrowserContext) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    def beacon(request: Any) -> None:
        if request.url.endswith("/api/v1/events") and request.method == "POST":
            sent.extend(json.loads(request.post_data or "{}").get("events", []))

    context.on("request", beacon)
    return sent


def test_a_phone_visitor_plays_the_film_on_its_screen_with_captions_and_it_is_counted(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum, film: dict[str, Any],
        staff: dict[str, str]) -> None:
    context = contexts(**PIXEL_7, locale="zh-CN")
    context.add_init_script(script=COUNT_AUDIO)
    sent = _beacons(context)
    page = context.new_page()
    seen = watch(context, page)
    page.goto(f"{museum.url}/g/lobby")
    page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)
    page.wait_for_function(ALL_READY, timeout=PATIENCE_MS, polling=100)
    entry = page.evaluate("(s) => museum.manifest.exhibits.find((e) => e.slug === s)", FILM)
    assert entry["model"] is None and entry["film"]["sources"]
    # The screen: the poster (sRGB) under a play glyph, as tall as the placement says (a target size is a height),
    # as wide as the film, its foot at the placement.
    screen = page.evaluate("(s) => museum.filmScreen(s)", FILM)
    assert (screen["video"], screen["poster"], screen["glyph"], screen["srgb"]) == (False, True, True, True), screen
    box = page.evaluate("""(s) => { const b = museum.viewer.exhibitBox(s);
        return {min: b.min.toArray(), max: b.max.toArray()}; }""", FILM)
    height = entry["transform"]["target_size_m"]
    x, y, z = entry["transform"]["position"]
    assert abs((box["max"][1] - box["min"][1]) - height) < 0.15, box
    assert abs(box["min"][1] - y) < 0.1 and abs((box["min"][0] + box["max"][0]) / 2 - x) < 0.05, box
    aspect = entry["film"]["width"] / entry["film"]["height"]
    assert abs((box["max"][0] - box["min"][0]) - height * aspect) < 0.15, box
    # Going to the film frames its screen; a tap on it opens its panel.
    page.evaluate("(s) => museum.viewer.goToExhibit(s, {instant: true})", FILM)
    _frames(page)
    rect = page.evaluate("(s) => museum.exhibitRect(s)", FILM)
    size = page.viewport_size or {"width": 0, "height": 0}
    assert rect["visible"] and rect["x0"] > -5 and rect["x1"] < size["width"] + 5, rect
    assert rect["x1"] - rect["x0"] > 0.4 * size["width"], rect
    _shot(page, "film-screen-phone.png")
    where = page.evaluate("(s) => museum.exhibitScreen(s)", FILM)
    page.touchscreen.tap(where["x"], where["y"])
    page.wait_for_function("(s) => museum.panelOpen && museum.selected === s", arg=FILM, timeout=PATIENCE_MS,
                           polling=100)
    page.wait_for_selector("#panel .film-play")
    # Nothing plays before the visitor asks; the phone's small rendition comes first, both are offered.
    assert page.evaluate(f"{VIDEO}.paused && {VIDEO}.currentTime === 0 && window.audioContexts === 0")
    sources = page.evaluate(f"[...{VIDEO}.querySelectorAll('source')].map((s) => s.dataset.size)")
    assert sources == ["small", "large"]
    tracks = page.evaluate(f"[...{VIDEO}.textTracks].map((t) => [t.language, t.mode])")
    assert sorted(lang for lang, _ in tracks) == sorted(c["lang"] for c in film["film"]["captions"])
    assert [lang for lang, mode in tracks if mode == "showing"] == ["zh-Hans"], tracks
    assert page.evaluate(f"{VIDEO}.querySelector('track[default]').srclang") == "zh-Hans"
    play = page.locator("#panel .film-play")
    expect(play).to_contain_text("播放影片")
    assert (play.bounding_box() or {"height": 0})["height"] >= 56  # big enough for any thumb
    play.tap()
    page.wait_for_function(f"() => {VIDEO}.currentTime > 1.2", timeout=PATIENCE_MS, polling=100)
    assert page.evaluate(f"{VIDEO}.currentSrc").endswith(film["film"]["sources"][0]["url"].rsplit("/", 1)[1])
    cue = page.wait_for_function(f"""() => {{
        const track = [...{VIDEO}.textTracks].find((t) => t.language === 'zh-Hans');
        return track.mode === 'showing' && track.activeCues && track.activeCues.length && track.activeCues[0].text;
    }}""", timeout=PATIENCE_MS, polling=100).json_value()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in cue), cue
    # The 3D screen shows the very video while it plays, frame after frame.
    page.wait_for_function("(s) => museum.filmScreen(s).video && !museum.filmScreen(s).glyph", arg=FILM,
                           polling=100)
    assert page.evaluate("(s) => museum.filmScreen(s).srgb", FILM)
    version = page.evaluate("(s) => museum.filmScreen(s).version", FILM)
    page.wait_for_function("([s, v]) => museum.filmScreen(s).version > v + 2", arg=[FILM, version], polling=100)
    expect(play).to_contain_text("暂停影片")
    _frames(page)
    page.wait_for_function(f"() => [...{VIDEO}.textTracks].some((t) => t.activeCues && t.activeCues.length)",
                           polling=50)
    _shot(page, "film-panel-phone.png")
    started = time.monotonic()
    play.tap()
    page.wait_for_function("(s) => museum.filmScreen(s).poster && museum.filmScreen(s).glyph", arg=FILM,
                           polling=100)
    watched = page.evaluate(f"{VIDEO}.currentTime")
    # The play leaves with the next batch (within 10 s); the cockpit counts it.
    deadline = time.monotonic() + PATIENCE_S
    while not any(e["type"] == "film_play" for e in sent):
        assert time.monotonic() < deadline, f"no film_play was sent: {sent}"
        page.wait_for_timeout(100)
    plays = [e for e in sent if e["type"] == "film_play"]
    assert [(p["exhibit"], p["device"], p["gallery"]) for p in plays] == [(FILM, "phone", "lobby")]
    assert 1000 <= plays[0]["dwell_ms"] <= (watched + time.monotonic() - started + 5) * 1000, (plays, watched)
    while True:
        films = _summary(museum.url, staff["token"])["films"]
        if any(top["slug"] == FILM for top in films["top"]):
            break
        assert time.monotonic() < deadline, films
        page.wait_for_timeout(200)
    assert films["plays"] >= 1 and films["watched_seconds"] >= 1, films
    _clean(seen)

    # The manager reads it in the cockpit's Films tile.
    cockpit = context.new_page()
    cockpit.goto(f"{museum.url}/cockpit")
    cockpit.fill("#name", "film-manager")
    cockpit.fill("#password", PASSWORD)
    cockpit.click("button[type=submit]")
    tile = cockpit.locator("[data-tile=films]")
    expect(tile.locator("table")).to_contain_text(film["title"])
    expect(tile.locator("h2")).to_have_text("影片")
    if SHOTS:
        tile.screenshot(path=str(Path(SHOTS) / "film-cockpit-tile.png"))


def test_nothing_plays_before_a_tap_and_the_exhibit_link_shows_the_same_player(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum, film: dict[str, Any]) -> None:
    """An SMS link to the film, opened on a desktop in English: the player, paused, large rendition first, English
    captions; no sound and no audio context until the visitor presses Play."""
    context = contexts(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.add_init_script(script=COUNT_AUDIO)
    page = context.new_page()
    seen = watch(context, page)
    page.goto(f"{museum.url}/e/{FILM}?lang=en")
    page.wait_for_function("(s) => museum.panelOpen && museum.selected === s", arg=FILM, timeout=PATIENCE_MS,
                           polling=100)
    page.wait_for_selector("#panel video")
    # Once the film's data are in, a player that played by itself would have started: it has not.
    page.wait_for_function(f"() => {VIDEO}.readyState >= 1", timeout=PATIENCE_MS, polling=100)
    page.wait_for_function(ALL_READY, timeout=PATIENCE_MS, polling=100)
    _frames(page)
    state = page.evaluate(f"""() => ({{paused: {VIDEO}.paused, time: {VIDEO}.currentTime,
        audio: window.audioContexts, autoplay: {VIDEO}.autoplay, playing: [...document.querySelectorAll('audio, video')]
          .filter((m) => !m.paused).length}})""")
    assert state == {"paused": True, "time": 0, "audio": 0, "autoplay": False, "playing": 0}, state
    assert page.evaluate("(s) => museum.filmScreen(s)", FILM)["poster"]
    sources = page.evaluate(f"[...{VIDEO}.querySelectorAll('source')].map((s) => s.dataset.size)")
    assert sources == ["large", "small"]
    tracks = page.evaluate(f"[...{VIDEO}.textTracks].map((t) => [t.language, t.mode])")
    assert [lang for lang, mode in tracks if mode == "showing"] == ["en"], tracks
    assert page.evaluate(f"{VIDEO}.hasAttribute('playsinline') && {VIDEO}.controls && "
                         f"{VIDEO}.getAttribute('preload') === 'metadata' && {VIDEO}.poster !== ''")
    expect(page.locator("#panel .film-play")).to_have_text("▶ Play the film")
    expect(page.locator("#panel .film-full")).to_have_text("Full screen")
    # Closing the panel while it plays stops it and gives the screen its poster back.
    page.locator("#panel .film-play").click()
    page.wait_for_function("(s) => museum.filmScreen(s).video", arg=FILM, timeout=PATIENCE_MS, polling=100)
    page.keyboard.press("Escape")
    page.wait_for_function("(s) => !museum.panelOpen && museum.filmScreen(s).poster", arg=FILM, polling=100)
    assert page.evaluate("[...document.querySelectorAll('audio, video')].filter((m) => !m.paused).length") == 0
    _clean(seen)


def test_in_a_headset_the_controller_plays_the_film_on_its_screen_with_captions_on_it(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum, film: dict[str, Any]) -> None:
    """VR has no panel: selecting the screen plays the film there, with sound and the visitor's captions drawn on
    the picture; selecting it again pauses it, and the time watched is counted as the headset's."""
    context = contexts(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    with_headset(context)
    sent = _beacons(context)
    page = context.new_page()
    seen = watch(context, page)
    page.goto(f"{museum.url}/g/lobby")
    page.wait_for_function(ALL_READY, timeout=PATIENCE_MS, polling=100)
    page.wait_for_function("() => museum.xr !== null", polling=100)
    page.locator(".vr-button").click(force=True)
    page.wait_for_function("() => museum.xr.presenting && museum.xr.frames > 2", timeout=PATIENCE_MS, polling=100)
    page.evaluate("(s) => museum.viewer.goToExhibit(s, {instant: true})", FILM)
    centre = page.evaluate("""(s) => { const b = museum.viewer.exhibitBox(s);
        return [(b.min.x + b.max.x) / 2, (b.min.y + b.max.y) / 2, (b.min.z + b.max.z) / 2]; }""", FILM)
    page.evaluate(XR_AIM_AT, [centre, [0.15, 1.3, -0.25]])
    assert page.evaluate("museum.screenFilm()") is None  # nothing plays before the visitor asks
    xr_trigger(page)
    page.wait_for_function("() => museum.screenFilm() && museum.screenFilm().time > 1.2", timeout=PATIENCE_MS,
                           polling=100)
    playing = page.evaluate("museum.screenFilm()")
    assert playing["slug"] == FILM and playing["playing"] and not playing["muted"], playing
    assert not page.evaluate("museum.panelOpen")  # the screen is the player: no card hides it
    caption = page.wait_for_function("(s) => museum.filmScreen(s).caption", arg=FILM, timeout=PATIENCE_MS,
                                     polling=100).json_value()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caption), caption  # Simplified Chinese, the visitor's
    screen = page.evaluate("(s) => museum.filmScreen(s)", FILM)
    assert screen["video"] and not screen["glyph"], screen
    _shot(page, "film-screen-headset.png")
    xr_trigger(page)
    page.wait_for_function("(s) => !museum.screenFilm().playing && museum.filmScreen(s).poster"
                           " && museum.filmScreen(s).glyph && !museum.filmScreen(s).caption", arg=FILM,
                           timeout=PATIENCE_MS, polling=100)
    deadline = time.monotonic() + PATIENCE_S
    while not any(e["type"] == "film_play" for e in sent):
        assert time.monotonic() < deadline, f"no film_play was sent: {sent}"
        page.wait_for_timeout(100)
    plays = [e for e in sent if e["type"] == "film_play"]
    assert [(p["exhibit"], p["device"]) for p in plays] == [(FILM, "headset")] and plays[0]["dwell_ms"] >= 1000, plays
    _clean(seen)


def test_the_studio_offers_film_and_film_captions_for_an_exhibits_files(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum, film: dict[str, Any],
        staff: dict[str, str]) -> None:
    context = contexts(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    seen = watch(context, page)
    studio_sign_in(page, museum.url, "film-curator", PASSWORD)
    exhibit_id = page.evaluate("""async (slug) => (await (await fetch('/api/v1/studio/exhibits?per_page=100'))
        .json()).items.find((e) => e.slug === slug).id""", FILM)
    page.goto(f"{museum.url}/studio#/edit/exhibits/{exhibit_id}")
    media = page.locator("fieldset[data-pointer='/media']")
    expect(media).to_be_visible(timeout=PATIENCE_MS)
    roles = media.locator("select[data-pointer$='/role']")
    expect(roles.first).to_be_attached()
    offered = roles.first.evaluate("(s) => [...s.options].map((o) => [o.value, o.textContent])")
    assert [value for value, _ in offered] == ["", "image", "audio", "captions", "film", "film_captions"], offered
    assert dict(offered)["film"].startswith("Film") and dict(offered)["film_captions"].startswith("Film captions")
    chosen = roles.evaluate_all("(all) => all.map((s) => s.value)")
    langs = media.locator("select[data-pointer$='/lang']").evaluate_all("(all) => all.map((s) => s.value)")
    assert chosen.count("film") == 1, chosen
    assert sorted(lang for role, lang in zip(chosen, langs, strict=True) if role == "film_captions") == sorted(
        c["lang"] for c in film["film"]["captions"])
    # The film's file is listed among the exhibit's files, and a new one can be uploaded.
    film_row = media.locator(".list-item").nth(chosen.index("film"))
    expect(film_row.locator("select[data-pointer$='/asset_id'] option:checked")).not_to_have_text("(none)")
    accept = film_row.locator("input[type=file]").get_attribute("accept") or ""
    assert {".mp4", ".mov", ".webm", ".vtt"} <= set(accept.split(",")), accept
    # A new file's use starts as "by the kind of file" (a video becomes the film).
    media.get_by_role("button", name="Add File").click()
    expect(roles.last).to_have_value("")
    _clean(seen)

