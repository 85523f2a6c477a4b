"""Small exhibits in a real browser: going to one frames it, its hotspots keep one small size on the screen and stay
quiet until the visitor is near, and the label plates of the pedestals carry the exhibits' titles."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.frontend.browser import PATIENCE_MS, watch
from tests.frontend.conftest import LiveMuseum
from tests.frontend.test_museum import PIXEL_7

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("frontend")]

HALL = "history-hall"
SMALL = ("monaural-stethoscope", "brass-microscope")  # 19 cm and 32 cm, in glass cases on 1 m plinths
FILL = 0.4  # going to an exhibit: its on-screen box spans at least this share of the view's width or height
HOTSPOT_PX = 22  # a hotspot's diameter on the screen (CSS pixels), whatever the distance
LOADED = ("() => window.museum && museum.ready && museum.roomReady && museum.framesRendered > 3 && "
          "museum.exhibitsReady === museum.manifest.exhibits.length")


def _hall(context: BrowserContext, museum: LiveMuseum, lang: str = "en") -> tuple[Page, Any]:
    if HALL not in museum.galleries:
        pytest.skip("the demo museum is needed (its history hall holds the small exhibits)")
    page = context.new_page()
    seen = watch(context, page)
    page.goto(f"{museum.url}/g/{HALL}?lang={lang}")
    page.wait_for_function(LOADED, timeout=PATIENCE_MS, polling=100)
    return page, seen


def _drawn(page: Page) -> None:
    """Wait until two more frames are drawn (hotspots are sized as a frame is drawn)."""
    page.wait_for_function("(n) => museum.framesRendered > n + 2", arg=page.evaluate("museum.framesRendered"),
                           timeout=PATIENCE_MS, polling=50)


def _view(page: Page) -> dict[str, float]:
    """The visible part of the 3D view in CSS pixels (the canvas, less a sheet over its lower part on a phone)."""
    return page.evaluate("""() => { const r = document.querySelector('#scene').getBoundingClientRect();
      return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom - r.height * museum.viewer.coveredBelow,
              w: r.width, h: r.height * (1 - museum.viewer.coveredBelow)}; }""")  # type: ignore[no-any-return]


@pytest.mark.parametrize("profile", ["desktop", "phone"])
def test_going_to_a_small_exhibit_frames_it_and_its_hotspots_leave_it_in_view(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum, profile: str, tmp_path: Path) -> None:
    context = contexts(**PIXEL_7) if profile == "phone" else contexts(viewport={"width": 1280, "height": 800})
    page, seen = _hall(context, museum)
    for slug in SMALL:
        page.evaluate("(s) => museum.viewer.goToExhibit(s, {instant: true})", slug)
        _drawn(page)
        box = page.evaluate("(s) => museum.exhibitRect(s)", slug)
        view = _view(page)
        assert box["visible"], (slug, box)
        # Wholly in view, and large in it.
        assert view["x0"] - 1 <= box["x0"] and box["x1"] <= view["x1"] + 1, (slug, box, view)
        assert view["y0"] - 1 <= box["y0"] and box["y1"] <= view["y1"] + 1, (slug, box, view)
        share = max((box["x1"] - box["x0"]) / view["w"], (box["y1"] - box["y0"]) / view["h"])
        assert share >= FILL, (slug, profile, round(share, 3), box, view)
        # Its hotspots: shown (the visitor stands before it), small dots that cover little of it.
        spots = page.evaluate("(s) => museum.hotspotRects(s)", slug)
        assert spots, slug
        area = (box["x1"] - box["x0"]) * (box["y1"] - box["y0"])
        for spot in spots:
            diameter = spot["x1"] - spot["x0"]
            assert spot["visible"] and abs(diameter - HOTSPOT_PX) < 1.5, (slug, spot)
            assert diameter * diameter / area < 0.05, (slug, spot, box)
    page.screenshot(path=str(tmp_path / f"small-exhibit-{profile}.png"))
    assert seen.console_errors == [] and seen.blocked == []


def test_hotspots_keep_their_size_on_screen_and_stay_quiet_until_the_visitor_is_near(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum) -> None:
    page, seen = _hall(contexts(**PIXEL_7), museum)
    slug = SMALL[0]
    # From the gallery's entrance, metres away: hidden.
    spots = page.evaluate("(s) => museum.hotspotRects(s)", slug)
    assert spots and not any(s["visible"] for s in spots), spots
    # Before it: shown. A step back: the same size on the screen (a metre-sized ball would shrink).
    page.evaluate("(s) => museum.viewer.goToExhibit(s, {instant: true})", slug)
    _drawn(page)
    near = page.evaluate("(s) => museum.hotspotRects(s)", slug)
    page.evaluate("() => museum.viewer.nudge(-1, 0)")  # 0.6 m back
    _drawn(page)
    back = page.evaluate("(s) => museum.hotspotRects(s)", slug)
    assert all(s["visible"] for s in near + back), (near, back)
    for a, b in zip(near, back, strict=True):
        assert abs((a["x1"] - a["x0"]) - (b["x1"] - b["x0"])) < 1.0, (a, b)
    # Far off again: hidden, and a tap cannot land on them.
    spawn = page.evaluate("museum.manifest.spawns[0]")
    page.evaluate("(s) => museum.viewer.placeAt(s)", spawn)
    _drawn(page)
    assert not any(s["visible"] for s in page.evaluate("(s) => museum.hotspotRects(s)", slug))
    assert seen.console_errors == [] and seen.blocked == []


def _plates(page: Page) -> dict[str, str]:
    return {p["slug"]: p["text"] for p in page.evaluate("museum.plates()")}


def _squash(text: str) -> str:
    return re.sub(r"[\s…]", "", text)


def test_label_plates_carry_the_exhibits_titles_in_the_visitors_language(
        contexts: Callable[..., BrowserContext], museum: LiveMuseum, tmp_path: Path) -> None:
    page, seen = _hall(contexts(viewport={"width": 1280, "height": 800}), museum, lang="zh-Hans")
    on_pedestals = page.evaluate("museum.manifest.exhibits.filter(e => ['showcase', 'pedestal'].includes(e.mount))"
                                 ".map(e => e.slug)")
    assert set(SMALL) <= set(on_pedestals)
    for lang in ("zh-Hans", "en"):
        if lang != "zh-Hans":
            page.get_by_role("button", name="English").click()
            page.wait_for_function("(l) => museum.lang === l && museum.viewer.manifest.lang === l", arg=lang,
                                   timeout=PATIENCE_MS, polling=100)
        labels = {e["slug"]: e["label"] for e in museum.api(f"/api/v1/galleries/{HALL}/manifest?lang={lang}")[
            "exhibits"]}
        plates = _plates(page)
        assert set(plates) == set(on_pedestals), (plates, on_pedestals)
        for slug, text in plates.items():
            assert _squash(labels[slug]).startswith(_squash(text)) and len(_squash(text)) >= 4, (lang, slug, text)
        # The texture is drawn: dark letters on the light plate.
        ink = page.evaluate("""() => museum.viewer.plates.map((p) => {
          const c = p.material.map.image; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 200) dark++;
          return dark / (d.length / 4); })""")
        assert all(0.02 < share < 0.5 for share in ink), ink
    # What the visitor sees: stand before the stethoscope's plate and look at it.
    page.evaluate("""(slug) => {
      const p = museum.viewer.plates.find((m) => m.userData.exhibit.slug === slug);
      const at = p.getWorldPosition(p.position.clone());
      const n = p.getWorldDirection(p.position.clone());
      museum.viewer.goToViewpoint({position: [at.x + n.x * 0.9, 1.6, at.z + n.z * 0.9],
                                   target: [at.x, at.y + 0.25, at.z]}, {instant: true, fov: 40}); }""", SMALL[0])
    _drawn(page)
    page.screenshot(path=str(tmp_path / "label-plate.png"))
    assert seen.console_errors == [] and seen.blocked == []

