"""Room sound in a real browser: nothing is made or played before the visitor's first click, the history hall's ward
clock is heard near it and fades to silence beyond its radius, the lobby's hum fades out as the visitor goes on to
the next room, a phone starts with the sound off and remembers the visitor's choice, and a curator places a sound
zone in the placement editor."""

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

from tests.frontend.browser import COUNT_AUDIO, PATIENCE_MS, Watch, fill_sound_zone, studio_sign_in, watch
from tests.frontend.conftest import MUSEUM, LiveMuseum
from tests.frontend.test_museum import PIXEL_7, READY

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("frontend")]

HALL = "history-hall"
LOBBY = "lobby"
CLOCK = "The ward clock"
PASSWORD = "a long sound test password"
SHOTS = os.environ.get("MUSEUM_TEST_SCREENSHOTS")
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "en-US"}
PLAYING = """(title) => museum.sound.state().context === 'running'
  && museum.sound.levels().some((s) => s.title === title && s.playing && !s.leaving)"""


def _level(page: Page, title: str) -> dict[str, Any]:
    levels: list[dict[str, Any]] = page.evaluate("museum.sound.levels()")
    return next(s for s in levels if s["title"] == title and not s["leaving"])


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), timeout=PATIENCE_MS)


def _clean(seen: Watch) -> None:
    assert seen.blocked == [], seen.blocked
    assert seen.console_errors == [], seen.console_errors


def _open(page: Page, museum: LiveMuseum, slug: str) -> None:
    page.goto(f"{museum.url}/g/{slug}?lang=en")
    page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)


@pytest.fixture(autouse=True)
def _demo(museum: LiveMuseum) -> None:
    if not museum.demo or HALL not in museum.galleries:
        pytest.skip("the demo museum is needed (its lobby hum and the history hall's ward clock)")


def test_the_ward_clock_is_heard_only_after_a_click_and_only_near_it(contexts: Callable[..., BrowserContext],
                                                                     museum: LiveMuseum) -> None:
    context = contexts(**DESKTOP)
    context.add_init_script(script=COUNT_AUDIO)
    page = context.new_page()
    seen = watch(context, page)
    _open(page, museum, HALL)
    # Loaded and drawing, untouched: no audio context, nothing plays, though the toggle says the sound is on.
    before = page.evaluate("({made: window.audioContexts, state: museum.sound.state(), levels: museum.sound.levels()})")
    assert before["made"] == 0 and before["state"]["context"] is None and not before["state"]["activated"], before
    assert [s["title"] for s in before["levels"]] == [CLOCK] and not before["levels"][0]["playing"], before
    toggle = page.locator(".sound-button")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_accessible_name("Room sound on")  # the words it shows: axe's label-in-name rule
    assert page.locator("#sound-here").text_content() == f"In this room you can hear: {CLOCK}"
    # The first click on the page (its title, not the scene) starts the sound.
    page.locator("#page-title").click()
    page.wait_for_function(PLAYING, arg=CLOCK, timeout=PATIENCE_MS, polling=100)
    assert page.evaluate("window.audioContexts") == 1
    # Beside the bed, under the clock (at [3.2, 1.6, -3.9], heard within 4 m): heard.
    page.evaluate("() => museum.viewer.placeAt({position: [3.2, 0, -1.6], yaw_deg: 0})")
    near = _level(page, CLOCK)
    assert near["distance"] < 3 and near["gain"] > 0.1, near
    # Across the hall, more than 4 m away: silent, and the panner's own distance model says the same.
    page.evaluate("() => museum.viewer.placeAt({position: [2.2, 0, 2.0], yaw_deg: 0})")
    far = _level(page, CLOCK)
    assert far["distance"] > 4 and far["gain"] == pytest.approx(0, abs=1e-6), far
    panner = page.evaluate("""() => {
      const a = museum.viewer.scene.getObjectByName('room-sounds').children[0];
      return {model: a.panner.distanceModel, ref: a.panner.refDistance, max: a.panner.maxDistance,
              rolloff: a.panner.rolloffFactor, loop: a.source.loop};
    }""")
    assert panner == {"model": "linear", "ref": 1.0, "max": 4.0, "rolloff": 1.0, "loop": True}, panner
    # Back again: heard again.
    page.evaluate("() => museum.viewer.placeAt({position: [3.2, 0, -1.6], yaw_deg: 0})")
    assert _level(page, CLOCK)["gain"] == pytest.approx(near["gain"], abs=0.02)
    # Turning the sound off ends the listening, which the cockpit counts for the room (sent with the next batch).
    sent: list[dict[str, Any]] = []
    context.on("request", lambda r: sent.extend(json.loads(r.post_data or "{}").get("events", []))
               if r.url.endswith("/api/v1/events") and r.method == "POST" else None)
    toggle.click()
    page.evaluate("() => dispatchEvent(new Event('pagehide'))")  # ends what is open and sends the batch now
    deadline = time.monotonic() + PATIENCE_MS / 1000
    while not any(e["type"] == "sound_heard" for e in sent) and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # polling for the beacon's request, which Playwright reports on its own thread
    heard = next(e for e in sent if e["type"] == "sound_heard")
    assert heard["gallery"] == HALL and heard["dwell_ms"] > 0, heard
    _clean(seen)


def test_going_from_the_lobby_to_the_next_room_fades_the_hum_out_and_the_rooms_sound_in(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum) -> None:
    context = contexts(**DESKTOP)
    page = context.new_page()
    seen = watch(context, page)
    _open(page, museum, LOBBY)
    hum = page.evaluate("museum.manifest.sounds")[0]
    assert hum["kind"] == "ambient", hum
    page.locator("#page-title").click()
    page.wait_for_function(PLAYING, arg=hum["title"], timeout=PATIENCE_MS, polling=100)
    page.wait_for_function("(t) => museum.sound.levels().some((s) => s.title === t && s.fade === 1)",
                           arg=hum["title"], timeout=PATIENCE_MS, polling=100)
    assert _level(page, hum["title"])["gain"] == pytest.approx(hum["volume"], abs=1e-3)
    _shot(page, "sound-toggle-lobby-desktop.png")
    # Sampled in the page (every 50 ms), so a slow machine cannot miss the fade between two polls.
    page.evaluate("""() => { window.soundSamples = [];
      setInterval(() => window.soundSamples.push([performance.now(), museum.sound.levels()]), 50); }""")
    # On to the history hall from the menu's list of galleries.
    hall = next(g for g in museum.api("/api/v1/galleries?per_page=100&lang=en")["items"] if g["slug"] == HALL)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("dialog", name="Menu").get_by_role("link", name=hall["title"], exact=True).click()
    page.wait_for_function("(g) => museum.gallery === g", arg=HALL, timeout=PATIENCE_MS, polling=100)
    room = HALL
    page.wait_for_function("""(t) => { const s = window.soundSamples;
      return s.length > 0 && !s[s.length - 1][1].some((x) => x.title === t); }""", arg=hum["title"],
                           timeout=PATIENCE_MS, polling=100)
    samples: list[tuple[float, list[dict[str, Any]]]] = page.evaluate("window.soundSamples")
    heard = [(t, s) for t, levels in samples for s in levels if s["title"] == hum["title"]]
    gains = [s["gain"] for _, s in heard]
    assert gains and gains[0] > 0.3, gains  # it was playing when the visitor left
    assert all(b <= a + 1e-9 for a, b in zip(gains, gains[1:], strict=False)), gains  # falling, never rising
    assert any(0.02 < g < 0.33 for g in gains), gains  # faded, not cut
    # Faded to silence before it ended: the fade (linear, from its level at the leaving) reaches 0 no later than the
    # first sample without it. Samples come late on a busy machine, so the last one seen can still be well above 0.
    falling = [(t, s["gain"]) for t, s in heard if s["leaving"]]
    gone = next(t for t, levels in samples if t > heard[-1][0] and all(s["title"] != hum["title"] for s in levels))
    if len(falling) >= 2 and falling[0][1] > falling[-1][1]:
        (t0, g0), (t1, g1) = falling[0], falling[-1]
        silent_at = t1 + g1 * (t1 - t0) / (g0 - g1)
        assert gone >= silent_at - 60, (gone, silent_at, falling)
    # The new room's sounds came in with it (a spot sound is heard near its place: its fade is what came in).
    arrived = [s for s in page.evaluate("museum.sound.levels()") if s["gallery"] == room]
    assert arrived == [] or all(s["fade"] > 0 for s in arrived), arrived
    expected = museum.api(f"/api/v1/galleries/{room}/manifest?lang=en")["sounds"]
    if expected:
        page.wait_for_function("(t) => museum.sound.levels().some((s) => s.title === t && s.playing && s.fade === 1)",
                               arg=expected[0]["title"], timeout=PATIENCE_MS, polling=100)
    _clean(seen)


def test_a_phone_starts_quiet_and_remembers_the_visitors_choice(contexts: Callable[..., BrowserContext],
                                                                museum: LiveMuseum) -> None:
    context = contexts(**PIXEL_7, locale="en-US")
    context.add_init_script(script=COUNT_AUDIO)
    page = context.new_page()
    seen = watch(context, page)
    _open(page, museum, HALL)
    toggle = page.locator(".sound-button")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.locator("#page-title").tap()
    page.wait_for_function("() => museum.sound.state().activated", timeout=PATIENCE_MS, polling=100)
    state = page.evaluate("({made: window.audioContexts, state: museum.sound.state(), levels: museum.sound.levels()})")
    assert state["made"] == 0 and state["state"]["on"] is False, state
    assert all(not s["playing"] and s["gain"] == 0 for s in state["levels"]), state
    _shot(page, "sound-toggle-phone-off.png")
    toggle.tap()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(PLAYING, arg=CLOCK, timeout=PATIENCE_MS, polling=100)
    expect(page.locator("#announce")).to_have_text("Room sound on")
    # Reloaded: the choice is remembered; still nothing before the visitor's first tap.
    page.reload()
    page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("[window.audioContexts, museum.sound.state().context]") == [0, None]
    page.locator("#page-title").tap()
    page.wait_for_function(PLAYING, arg=CLOCK, timeout=PATIENCE_MS, polling=100)
    # Turned off: the audio clock stops and nothing is heard.
    toggle.tap()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.wait_for_function("() => museum.sound.state().context === 'suspended'", timeout=PATIENCE_MS, polling=100)
    assert all(s["gain"] == 0 for s in page.evaluate("museum.sound.levels()"))
    _clean(seen)


@pytest.fixture(scope="module")
def curator(museum: LiveMuseum, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Add a curator to the running demo museum (and an API token acting as them); return the token."""
    for instance in sorted(tmp_path_factory.getbasetemp().glob("museum*")):
        if not (instance / "secret_key").is_file():
            continue
        env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance)}
        env.pop("MUSEUM_DATABASE_URL", None)
        env.pop("MUSEUM_STORAGE_DIR", None)
        made = subprocess.run([MUSEUM, "user", "create", "sound-curator", "--role", "curator"], env=env,
                              input=PASSWORD + "\n", text=True, capture_output=True)
        assert made.returncode == 0 or "exists" in (made.stdout + made.stderr).lower(), made.stderr
        token = subprocess.run([MUSEUM, "token", "create", "sounds", "--user", "sound-curator"], env=env,
                               check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        try:
            _studio(museum.url, token, "/api/v1/studio/galleries?per_page=100")
        except OSError:
            continue
        return {"token": token}
    raise AssertionError("the running museum's instance folder was not found")


def _studio(url: str, token: str, path: str) -> Any:
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_a_curator_places_a_spot_sound_in_the_placement_editor(contexts: Callable[..., BrowserContext],
                                                               museum: LiveMuseum, curator: dict[str, str]) -> None:
    gallery = next(g for g in _studio(museum.url, curator["token"], "/api/v1/studio/galleries?per_page=100")["items"]
                   if g["slug"] == "smart-hospital-5g")
    before = _studio(museum.url, curator["token"], f"/api/v1/studio/galleries/{gallery['id']}")["sounds"]
    context = contexts(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    seen = watch(context, page)
    studio_sign_in(page, museum.url, "sound-curator", PASSWORD)
    page.goto(f"{museum.url}/studio#/edit/galleries/{gallery['id']}")
    page.get_by_role("link", name="Open the placement editor").click()
    page.wait_for_function("() => window.studioEditor && window.studioEditor.ready && window.studioEditor.frames > 5",
                           timeout=PATIENCE_MS)
    objects = page.evaluate("window.studioEditor.objects")
    page.get_by_role("button", name="Add a sound").click()
    page.wait_for_function("(n) => window.studioEditor.objects === n + 1", arg=objects, timeout=PATIENCE_MS)
    expect(page.get_by_label("Kind of sound")).to_have_value("spot")
    files = page.get_by_label("Sound file")
    expect(files.locator("option")).not_to_have_count(1, timeout=PATIENCE_MS)  # the demo's sounds are offered
    assert files.input_value() != ""
    fill_sound_zone(page, 2.5, 1.5, 3, "Monitors beeping")
    reach = page.evaluate("""() => { const s = window.studioEditor.selected.holder.getObjectByName('sound-reach');
      return s && [s.scale.x, s.visible]; }""")
    assert reach == [3, True], reach
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / "studio-sound-zone.png"), timeout=PATIENCE_MS)
    page.get_by_role("button", name="Save the room").click()
    page.wait_for_function("() => window.studioEditor.saved === 1", timeout=PATIENCE_MS)
    after = _studio(museum.url, curator["token"], f"/api/v1/studio/galleries/{gallery['id']}")["sounds"]
    assert len(after) == len(before) + 1, after
    added = after[-1]
    assert added["kind"] == "spot" and added["translation"] == [2.5, 1.5, 1.5] and added["radius_m"] == 3, added
    assert added["title"] == {"en": "Monitors beeping"} and added["asset_id"], added
    assert [s["asset_id"] for s in after[:-1]] == [s["asset_id"] for s in before]  # the others are kept
    _clean(seen)
