"""Visitors stay on the walkable floor: no walking through the iron bed, its rope or a glass case, no teleport onto
them, and going to the flagship heart model ends on open floor, facing it, without the bed seeming to stand in its
case."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.frontend.browser import PATIENCE_MS, XR_AIM_AT, watch, with_headset, xr_trigger
from tests.frontend.conftest import LiveMuseum
from tests.frontend.test_museum import PIXEL_7, READY  # the one phone profile and readiness of the museum tests

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("frontend")]

HALL = "history-hall"
HEART = "cardiac-surgery-heart-model"
BED = "iron-ward-bed"
SHOTS = os.environ.get("MUSEUM_TEST_SCREENSHOTS")


@pytest.fixture(autouse=True)
def _demo(museum: LiveMuseum) -> None:
    if not museum.demo or HALL not in museum.galleries:
        pytest.skip("the demo museum is needed (its history hall holds the bed, the ropes and the glass cases)")


def walkable_at(walkable: dict[str, Any], x: float, z: float) -> bool:
    """Return whether the manifest's walkable grid lets a visitor stand at [x, z]."""
    col = int((x - walkable["origin"][0]) // walkable["cell_m"])
    row = int((z - walkable["origin"][1]) // walkable["cell_m"])
    if not (0 <= col < walkable["width"] and 0 <= row < walkable["height"]):
        return False
    at = row * walkable["width"] + col
    for i, length in enumerate(walkable["runs"]):
        if at < length:
            return bool(i % 2)
        at -= length
    return False


def _hall(page: Page, museum: LiveMuseum) -> dict[str, Any]:
    page.goto(f"{museum.url}/g/{HALL}?lang=en")
    page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)
    walkable: dict[str, Any] = page.evaluate("museum.manifest.walkable")
    assert walkable and walkable["runs"], "the manifest carries the walkable floor"
    return walkable


def _push_forward(page: Page, start: list[float], yaw_deg: float, hold: Callable[[bool], None],
                  west_of: float | None = None) -> list[float]:
    """Stand at [x, z] facing yaw, push forward for a good second of frames, or until the visitor is west of
    `west_of` when given (on a loaded machine the frames come slowly, each a full step, and a long push would
    carry a visitor sliding along a rope round its end); return where the visitor ends."""
    page.evaluate("([x, z, yaw]) => museum.viewer.placeAt({position: [x, 0, z], yaw_deg: yaw})", [*start, yaw_deg])
    placed = page.evaluate("museum.position()")
    assert abs(placed[0] - start[0]) < 0.15 and abs(placed[1] - start[1]) < 0.15, (start, placed)
    frames = page.evaluate("museum.framesRendered")
    hold(True)
    # At least 40 frames (and 1.5 s): far more than the walk to the obstacle takes.
    page.wait_for_function("([f, t, w]) => (museum.framesRendered > f + 40 && performance.now() > t + 1500)"
                           " || (w !== null && museum.position()[0] < w)",
                           arg=[frames, page.evaluate("performance.now()"), west_of], timeout=PATIENCE_MS,
                           polling=50)
    hold(False)
    position: list[float] = page.evaluate("museum.position()")
    return position


@pytest.mark.parametrize("profile", ["phone", "desktop"])
def test_a_visitor_pushing_into_the_rope_bed_and_case_stays_out(contexts: Callable[..., BrowserContext],
                                                                museum: LiveMuseum, profile: str) -> None:
    """The phone's forward button held down, or the desktop's W key."""
    phone = profile == "phone"
    context = contexts(**PIXEL_7, locale="en-US") if phone else contexts(viewport={"width": 1280, "height": 800},
                                                                         locale="en-US")
    page = context.new_page()
    seen = watch(context, page)
    walkable = _hall(page, museum)
    forward = page.get_by_role("button", name="Move forward")
    if not phone:
        page.focus("#scene")

    def hold(down: bool) -> None:
        if phone:
            forward.dispatch_event("pointerdown" if down else "pointerup")
        elif down:
            page.keyboard.down("w")
        else:
            page.keyboard.up("w")

    # Straight at the rope before the iron bed (z = -2.55, the bed behind it to the wall).
    x, z, _ = _push_forward(page, [3.2, -0.8], 0.0, hold)
    assert -2.3 < z < -1.5 and walkable_at(walkable, x, z), (x, z)  # walked up to the rope, not through it
    # At the heart model's glass case (at x = 2.2, z = 0.4, 60 cm wide).
    x, z, _ = _push_forward(page, [2.2, 2.0], 0.0, hold)
    assert 0.85 < z < 1.5 and walkable_at(walkable, x, z), (x, z)
    # Aslant at the rope: the visitor slides along it instead of stopping dead.
    # Straight through, it would cross the rope's line (z = -2.3) near x = 3.96; the rope runs west to x = 1.88.
    x, z, _ = _push_forward(page, [4.6, -1.2], 30.0, hold, west_of=3.2)
    assert z > -2.3 and x < 4.0 and walkable_at(walkable, x, z), (x, z)  # x < 4.0: it slid along the rope
    assert seen.console_errors == [], seen.console_errors


def test_a_headset_teleport_beside_the_bed_is_refused_and_one_on_open_floor_lands(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum) -> None:
    context = contexts(viewport={"width": 1280, "height": 800}, locale="en-US")
    with_headset(context)
    page = context.new_page()
    seen = watch(context, page)
    walkable = _hall(page, museum)
    page.wait_for_function("() => museum.xr !== null", polling=100)
    page.locator(".vr-button").click(force=True)
    page.wait_for_function("() => museum.xr.presenting && museum.xr.frames > 2", timeout=PATIENCE_MS, polling=100)
    # West of the bed, facing it (+x): the floor right beside the bed is in view, below the controller.
    page.evaluate("() => museum.viewer.placeAt({position: [1.0, 0, -3.6], yaw_deg: -90})")
    beside_bed = [2.62, 0.0, -3.6]
    assert not walkable_at(walkable, beside_bed[0], beside_bed[2])
    page.evaluate(XR_AIM_AT, [beside_bed, [0.15, 1.3, -0.25]])
    frames = page.evaluate("museum.xr.frames")
    page.wait_for_function("(f) => museum.xr.frames > f + 2", arg=frames, timeout=PATIENCE_MS, polling=100)
    assert page.evaluate("museum.xr.target") == "invalid"  # the target disc shows red
    before = page.evaluate("museum.position()")
    xr_trigger(page)
    page.wait_for_function("() => museum.xr.refused >= 1", timeout=PATIENCE_MS, polling=100)
    assert page.evaluate("[museum.xr.teleports, museum.position()]") == [0, before]
    # Open floor a few steps back towards the middle of the hall.
    open_floor = [1.0, 0.0, -1.6]
    assert walkable_at(walkable, open_floor[0], open_floor[2])
    page.evaluate(XR_AIM_AT, [open_floor, [0.15, 1.3, -0.25]])
    frames = page.evaluate("museum.xr.frames")
    page.wait_for_function("(f) => museum.xr.frames > f + 2 && museum.xr.target === 'valid'", arg=frames,
                           timeout=PATIENCE_MS, polling=100)
    xr_trigger(page)
    page.wait_for_function("() => museum.xr.teleports >= 1", timeout=PATIENCE_MS, polling=100)
    landed = page.evaluate("museum.xr.lastTeleport")
    assert abs(landed[0] - open_floor[0]) < 0.3 and abs(landed[1] - open_floor[2]) < 0.3, landed
    assert seen.console_errors == [], seen.console_errors


def test_going_to_the_heart_model_ends_on_open_floor_facing_it_without_the_bed_behind(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum) -> None:
    context = contexts(**PIXEL_7, locale="en-US")
    page = context.new_page()
    seen = watch(context, page)
    walkable = _hall(page, museum)
    page.wait_for_function("([a, b]) => museum.exhibitRect(a) && museum.exhibitRect(b) && museum.roomReady",
                           arg=[HEART, BED], timeout=PATIENCE_MS, polling=100)
    walks = page.evaluate("museum.walks")
    page.evaluate("(s) => museum.viewer.goToExhibit(s)", HEART)
    page.wait_for_function("(w) => museum.walks > w", arg=walks, timeout=PATIENCE_MS, polling=100)
    x, z, yaw = page.evaluate("museum.position()")
    assert walkable_at(walkable, x, z), (x, z)
    heart = page.evaluate("(s) => museum.exhibitRect(s)", HEART)
    width = PIXEL_7["viewport"]["width"]
    centre = (heart["x0"] + heart["x1"]) / 2
    assert heart["visible"] and 0.25 * width < centre < 0.75 * width, heart
    # The bed is not in the picture behind the case: its rectangle on the screen stays clear of the heart's.
    bed = page.evaluate("(s) => museum.exhibitRect(s)", BED)
    margin = 0.5 * (heart["x1"] - heart["x0"])
    apart = (bed["x1"] < heart["x0"] - margin or bed["x0"] > heart["x1"] + margin or bed["y1"] < heart["y0"]
             or bed["y0"] > heart["y1"])
    assert not bed["visible"] or apart, (heart, bed, [x, z, yaw])
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "heart-model-framed-phone.png"), timeout=PATIENCE_MS)
    assert seen.console_errors == [], seen.console_errors
