"""The booth page in Debian's Chromium with a fake camera: consent, live props, countdown, retake, send, QR."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from flask import Flask
from playwright.sync_api import sync_playwright

from tests.frontend.browser import PATIENCE_MS, patient, watch
from tests.museum.photos.live import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PUBLIC_ARGS,
    allow_public,
    local_url,
    public_origin,
    seed_booth,
    serving,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Count the props canvas's drawn pixels: the WebGL buffer is preserved, so it can be copied to a 2D canvas.
DRAWN_PIXELS = """() => {
  const src = document.getElementById('props-canvas');
  const c = document.createElement('canvas');
  c.width = src.width; c.height = src.height;
  const ctx = c.getContext('2d');
  ctx.drawImage(src, 0, 0);
  const data = ctx.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}"""


def _status(share_url: str) -> dict[str, object]:
    with urllib.request.urlopen(local_url(share_url) + "/status") as response:  # noqa: S310 - a local test server
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_a_guest_goes_from_consent_to_the_qr_code(app: Flask) -> None:
    token = seed_booth(app)
    errors: list[str] = []
    with serving(app) as origin, sync_playwright() as p:
        public = public_origin(app, origin)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + PUBLIC_ARGS, headless=True)
        patient(browser)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, has_touch=True)
        context.set_default_timeout(120_000)  # capture, prop layer and review on software WebGL, on a busy machine
        blocked = watch(context).blocked
        allow_public(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{origin}/kiosk?tick=150&idle=600000")

        page.wait_for_selector("main[data-state=setup]")
        page.fill("#device-token", "not-a-token")
        page.click("#setup-save")
        assert page.is_visible("#setup-error")
        page.fill("#device-token", token)
        page.click("#setup-save")
        page.wait_for_selector("main[data-state=consent]")
        assert page.inner_text("#consent .terms").count("7") >= 1
        assert page.evaluate("localStorage.getItem('museum.kioskToken')") == token

        start = page.locator("#consent-start")
        page.click("#opt-photo")
        assert start.is_disabled()
        page.click("#opt-keep")
        assert start.is_enabled()
        page.click("#opt-children")  # children in the picture: a guardian must confirm
        assert start.is_disabled() and page.is_visible("#guardian-row")
        page.click("#opt-guardian")
        assert start.is_enabled()
        start.click()

        page.wait_for_selector("main[data-state=camera]")
        page.wait_for_function("() => document.getElementById('video').videoWidth > 0")
        page.wait_for_function("() => kiosk.placed.length === 1 && kiosk.placed[0].pivot.children.length === 1")
        frames = page.evaluate("kiosk.frames")
        page.wait_for_function(f"() => kiosk.frames > {frames + 5}")
        drawn = page.evaluate(DRAWN_PIXELS)
        assert drawn > 500  # the 3D prop is drawn live over the camera

        scale = page.evaluate("kiosk.placed[0].scale")
        page.click("#prop-bigger")
        assert page.evaluate("kiosk.placed[0].scale") > scale
        page.wait_for_function(f"() => kiosk.frames > {page.evaluate('kiosk.frames') + 3}")
        assert page.evaluate(DRAWN_PIXELS) > drawn
        box = page.locator("#props-canvas").bounding_box()
        assert box is not None
        before = page.evaluate("[kiosk.placed[0].u, kiosk.placed[0].v]")
        centre = page.evaluate("(() => { const p = kiosk.placed[0]; const r = "
                               "document.getElementById('props-canvas').getBoundingClientRect();"
                               "const v = document.getElementById('video');"
                               "const [w, h] = [v.videoWidth, v.videoHeight];"
                               "const c = Math.max(r.width / w, r.height / h);"
                               "return [r.left + (r.width - w * c) / 2 + p.u * w * c,"
                               " r.top + (r.height - h * c) / 2 + p.v * h * c]; })()")
        page.mouse.move(centre[0], centre[1])
        page.mouse.down()
        page.mouse.move(centre[0] + 80, centre[1] + 40, steps=5)
        page.mouse.up()
        after = page.evaluate("[kiosk.placed[0].u, kiosk.placed[0].v]")
        assert after[0] > before[0] and after[1] > before[1]  # the guest moved the prop

        page.click("#shoot")
        page.wait_for_selector("#countdown:not([hidden])")
        page.wait_for_selector("main[data-state=review]")
        assert page.evaluate("document.getElementById('review-image').naturalWidth") > 0
        page.click("#retake")
        page.wait_for_selector("main[data-state=camera]")
        page.click("#shoot")
        page.wait_for_selector("main[data-state=review]")
        page.click("#send")
        page.wait_for_selector("main[data-state=done]")
        page.wait_for_function("() => document.getElementById('qr').naturalWidth > 0")
        share_url = page.get_attribute("#qr", "data-share-url")
        assert share_url is not None and share_url.startswith(f"{public}/p/")
        assert page.get_attribute("#qr", "src") == share_url + "/qr.png"

        deadline = time.monotonic() + 60
        while _status(share_url)["status"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _status(share_url)["status"] == "ready"

        page.click("#finish")
        page.wait_for_selector("main[data-state=consent]")
        assert not page.is_checked("#opt-photo")
        assert page.evaluate("kiosk.placed.length") == 0
        browser.close()
    assert blocked == [] and errors == []


def test_the_booth_refuses_to_start_when_share_links_would_point_at_this_machine(app: Flask) -> None:
    token = seed_booth(app)
    app.config["MUSEUM_BASE_URL"] = ""
    with serving(app) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        patient(browser)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, has_touch=True)
        page.add_init_script(f"localStorage.setItem('museum.kioskToken', {json.dumps(token)})")
        page.goto(f"{origin}/kiosk")
        page.wait_for_selector("main[data-state=blocked]")
        assert "MUSEUM_BASE_URL" in page.inner_text("#blocked-reason")
        assert "staff" in page.inner_text("#blocked")
        assert not page.is_visible("#consent-start")
        assert page.evaluate("document.getElementById('video').srcObject") is None
        app.config["MUSEUM_BASE_URL"] = origin  # the address the booth itself uses: still loopback
        page.reload()
        page.wait_for_selector("main[data-state=blocked]")
        assert "loopback" in page.inner_text("#blocked-reason")
        public_origin(app, origin)
        page.reload()
        page.wait_for_selector("main[data-state=consent]")
        browser.close()


def test_the_booth_returns_to_the_start_when_left_alone(app: Flask) -> None:
    token = seed_booth(app)
    with serving(app) as origin, sync_playwright() as p:
        public_origin(app, origin)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        patient(browser)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, has_touch=True)
        page.add_init_script(f"localStorage.setItem('museum.kioskToken', {json.dumps(token)})")
        page.goto(f"{origin}/kiosk?idle=1500")
        page.wait_for_selector("main[data-state=consent]")
        page.click("#opt-photo")
        page.click("#opt-keep")
        page.click("#consent-start")
        page.wait_for_selector("main[data-state=camera]")
        page.wait_for_selector("main[data-state=consent]", timeout=PATIENCE_MS)
        assert not page.is_checked("#opt-photo")
        assert page.evaluate("document.getElementById('video').srcObject") is None  # the camera is released
        browser.close()
