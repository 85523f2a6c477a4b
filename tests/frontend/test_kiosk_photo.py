"""The photo the guests get is the one they approved: the booth in Chromium with a fake camera showing real people
(scikit-image's astronaut at 12 MP), every demo prop measured against the booth's own three.js rendering, the
guest's page on a phone (and in WeChat) at full resolution and local time."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from ar_photo.compose import output_scale
from ar_photo.templates import PhotoTemplate, default_templates
from tests.frontend.browser import PATIENCE_MS, patient, watch
from tests.museum.photos.live import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PUBLIC_ARGS,
    allow_public,
    local_url,
    public_origin,
    seed_backdrop,
    seed_booth,
    serving,
    start_session,
    write_y4m,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CAPTURE = (4000, 3000)  # 12 MP
PSNR_BOUND = 30.0
DE_BOUND = 5.0
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like "
             "Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 "
             "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")

# The booth's own rendering of a photo's prop region, taken in the page from what it sends: the captured photo
# under the prop layer, over the layer's box; and the layer alone (its alpha says which pixels are props').
BOOTH_REFERENCE = """async () => {
  const layer = kiosk.layer;
  const [x, y, w, h] = layer.box;
  const photo = await createImageBitmap(kiosk.blob);
  const ref = document.createElement('canvas');
  ref.width = w; ref.height = h;
  const ctx = ref.getContext('2d');
  ctx.drawImage(photo, x, y, w, h, 0, 0, w, h);
  ctx.drawImage(layer.canvas, 0, 0);
  return { box: layer.box, photo: [photo.width, photo.height], reference: ref.toDataURL('image/png'),
           layer: layer.canvas.toDataURL('image/png') };
}"""


def _shots_dir(tmp_path: Path) -> Path:
    """Return where screenshots go: MUSEUM_TEST_SHOTS when set (to look at them), else the test's tmp dir."""
    wanted = os.environ.get("MUSEUM_TEST_SHOTS")
    path = Path(wanted) if wanted else tmp_path / "shots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def people_camera(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fake camera file showing a real person: scikit-image's astronaut, framed 4:3 and enlarged to 12 MP."""
    from skimage import data

    astronaut = Image.fromarray(data.astronaut()).crop((0, 0, 512, 384))
    frame = astronaut.resize(CAPTURE, Image.Resampling.LANCZOS)
    return write_y4m(tmp_path_factory.mktemp("camera") / "people.y4m", np.asarray(frame))


@pytest.fixture(scope="module")
def window_camera(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same person at exactly the landscape window's size (2000x1500): one photo pixel per window pixel, and
    a quarter of the 12 MP work per shot, for the seventeen shots of the prop measure."""
    from skimage import data

    frame = Image.fromarray(data.astronaut()).crop((0, 0, 512, 384)).resize((2000, 1500), Image.Resampling.LANCZOS)
    return write_y4m(tmp_path_factory.mktemp("camera") / "window.y4m", np.asarray(frame))


@pytest.fixture(scope="module")
def demo_props() -> dict[str, bytes]:
    """Every demo exhibit's model, as the booth offers them."""
    from scenes.demo.exhibits import build_exhibit_models

    return {slug: model.glb for slug, model in build_exhibit_models().items()}


def _browser(p: Any, camera: Path) -> Browser:
    args = CHROMIUM_ARGS + PUBLIC_ARGS + [f"--use-file-for-fake-video-capture={camera}"]
    return patient(p.chromium.launch(executable_path=CHROMIUM, args=args, headless=True))


def _booth(browser: Browser, origin: str, token: str, viewport: tuple[int, int] = (1600, 1000)) -> tuple[
        BrowserContext, Page, list[str]]:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, has_touch=True)
    # A 12 MP shot on software WebGL, on a machine shared with other test runs: conditions, with room to wait.
    context.set_default_timeout(180_000)
    seen = watch(context)
    allow_public(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(f"localStorage.setItem('museum.kioskToken', {json.dumps(token)})")
    page.goto(f"{origin}/kiosk?tick=50&idle=600000&done=600000")
    page.wait_for_selector("main[data-state=consent]")
    assert seen.blocked == []
    return context, page, errors


def _loaded(page: Page, count: int) -> None:
    page.wait_for_function(f"() => kiosk.placed.length === {count} && kiosk.placed.every(p => p.pivot.children.length)",
                           timeout=PATIENCE_MS)
    frames = page.evaluate("kiosk.frames")
    page.wait_for_function(f"() => kiosk.frames > {frames + 2}")


# The margins (left, top, right, bottom) between the prop layer's box and the pixels drawn in it.
LAYER_SLACK = """() => { const c = kiosk.layer.canvas; const w = c.width; const h = c.height;
    const d = c.getContext('2d').getImageData(0, 0, w, h).data; let [x0, y0, x1, y1] = [w, h, -1, -1];
    for (let y = 0; y < h; y += 1) for (let x = 0; x < w; x += 1) if (d[(y * w + x) * 4 + 3]) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    return [x0, y0, w - 1 - x1, h - 1 - y1]; }"""


def _shoot_and_send(page: Page) -> tuple[dict[str, Any], str]:
    page.click("#shoot")
    page.wait_for_selector("main[data-state=review]", timeout=PATIENCE_MS)
    reference = page.evaluate(BOOTH_REFERENCE)
    page.click("#send")
    page.wait_for_selector("main[data-state=done]", timeout=PATIENCE_MS)
    share_url = page.get_attribute("#qr", "data-share-url")
    assert share_url is not None
    return reference, share_url


def _get(url: str) -> bytes:
    with urllib.request.urlopen(local_url(url)) as response:  # noqa: S310 - the local test server
        return response.read()  # type: ignore[no-any-return]


def _wait_ready(share_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state: dict[str, Any] = json.loads(_get(share_url + "/status"))
        if state["status"] != "pending":
            assert state["status"] == "ready", state
            return state
        time.sleep(0.2)
    raise AssertionError("the photo was not composed in time")


def _data_url(url: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))


def _lab(rgb: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2lab

    return rgb2lab(rgb.astype(np.float64) / 255.0)  # type: ignore[no-any-return]


def agreement(ours: np.ndarray, theirs: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """Return (PSNR dB, mean CIE76 dE) of two (H, W, 3) uint8 images over the pixels of `mask` (H, W)."""
    a, b = ours[mask].astype(np.float64), theirs[mask].astype(np.float64)
    mse = float(((a - b) ** 2).mean())
    psnr = 99.0 if mse == 0 else 10 * np.log10(255.0**2 / mse)
    de = float(np.sqrt(((_lab(ours[mask][None]) - _lab(theirs[mask][None])) ** 2).sum(axis=-1)).mean())
    return psnr, de


def _server_region(full: Image.Image, template: PhotoTemplate, reference: dict[str, Any]) -> tuple[
        np.ndarray, np.ndarray, np.ndarray]:
    """Cut the layer's box out of the composed full-size photo; return (server, booth, prop mask) arrays."""
    pw, ph = reference["photo"]
    k = output_scale(template, (pw, ph))
    scaled = template.scaled(k) if k != 1.0 else template
    window = scaled.window
    assert full.size == scaled.size
    aspect = template.window.w / template.window.h
    cw = min(pw, ph * aspect)
    left, top = round((pw - cw) / 2), round((ph - cw / aspect) / 2)
    x, y, w, h = reference["box"]
    ox, oy = window.x + x - left, window.y + y - top
    server = np.asarray(full.convert("RGB").crop((ox, oy, ox + w, oy + h)))
    booth = np.asarray(_data_url(reference["reference"]).convert("RGB"))
    alpha = np.asarray(_data_url(reference["layer"]).convert("RGBA"))[..., 3]
    frame = np.asarray(scaled.frame.getchannel("A").crop((ox, oy, ox + w, oy + h)))
    # The props' pixels that the frame does not cover (the frame is drawn over both alike).
    return server, booth, (alpha > 0) & (frame == 0)


def test_every_demo_prop_in_the_photo_matches_the_booths_rendering(
        app: Flask, window_camera: Path, demo_props: dict[str, bytes], tmp_path: Path) -> None:
    token = seed_booth(app, demo_props)
    template = default_templates()[0]
    figures: dict[str, tuple[float, float]] = {}
    slack: dict[str, list[int]] = {}
    with serving(app) as origin, sync_playwright() as p:
        public_origin(app, origin)
        browser = _browser(p, window_camera)
        context, page, errors = _booth(browser, origin, token)
        for slug in sorted(demo_props):
            start_session(page)
            _loaded(page, 1)
            page.click("#prop-remove")
            page.click(f".prop[data-slug='{slug}']")
            _loaded(page, 1)
            reference, share_url = _shoot_and_send(page)
            # The layer sent is as small as the prop as posed (the server decodes all of it): what the booth drew
            # reaches within a few pixels of every side of its box.
            slack[slug] = page.evaluate(LAYER_SLACK)
            state = _wait_ready(share_url)
            full = Image.open(io.BytesIO(_get(share_url.rsplit("/p/", 1)[0] + state["download_url"])))
            server, booth, mask = _server_region(full, template, reference)
            assert mask.sum() > 2000, slug  # the prop was drawn, large
            figures[slug] = agreement(server, booth, mask)
            if slug == sorted(demo_props)[0]:
                full.save(_shots_dir(tmp_path) / "composed-demo-prop.jpg")
            page.click("#finish")
        browser.close()
    report = "\n".join(f"{slug:32} PSNR {psnr:5.1f} dB  dE {de:4.2f}" for slug, (psnr, de) in figures.items())
    print(f"\nprop region, server photo vs booth three.js rendering:\n{report}")
    worst_psnr, worst_de = min(f[0] for f in figures.values()), max(f[1] for f in figures.values())
    print(f"worst: PSNR {worst_psnr:.1f} dB, mean dE {worst_de:.2f}")
    assert all(psnr >= PSNR_BOUND or de <= DE_BOUND for psnr, de in figures.values()), report
    print(f"layer box's margin around the drawn pixels (left, top, right, bottom px): {slack}")
    assert all(max(sides) <= 4 for sides in slack.values()), slack
    assert errors == []


@pytest.fixture
def shots(tmp_path: Path) -> Iterator[Path]:
    path = _shots_dir(tmp_path)
    yield path
    if not os.environ.get("MUSEUM_TEST_SHOTS"):
        shutil.rmtree(path, ignore_errors=True)


def test_guests_get_the_photo_they_approved_at_full_resolution_and_local_time(
        app: Flask, people_camera: Path, shots: Path) -> None:
    token = seed_booth(app)
    portrait = default_templates()[1]
    with serving(app) as origin, sync_playwright() as p:
        public = public_origin(app, origin)
        browser = _browser(p, people_camera)
        context, page, errors = _booth(browser, origin, token, viewport=(1080, 1920))
        start_session(page)
        page.click(".template[data-slug='heritage-portrait']")
        _loaded(page, 1)
        assert page.evaluate("[video.videoWidth, video.videoHeight]") == list(CAPTURE)
        page.click(".prop[data-slug='red-cone']")  # a second prop, in the next slot
        _loaded(page, 2)
        # Both props start wholly inside the portrait window: nothing clipped unless a guest drags it out.
        inside = page.evaluate("""() => kiosk.placed.map((p) => {
            const r = document.getElementById('props-canvas').getBoundingClientRect();
            const v = document.getElementById('video');
            const c = Math.max(r.width / v.videoWidth, r.height / v.videoHeight);
            const x = (r.width - v.videoWidth * c) / 2 + p.u * v.videoWidth * c;
            const y = (r.height - v.videoHeight * c) / 2 + p.v * v.videoHeight * c;
            const half = 0.5 * p.scale * 0.35 * Math.min(r.width, r.height);
            return x - half >= 0 && y - half >= 0 && x + half <= r.width && y + half <= r.height; })""")
        assert inside == [True, True]
        # The live camera fills the window edge to edge: no black band beside the picture.
        video_box = page.locator("#video").bounding_box()
        canvas_box = page.locator("#props-canvas").bounding_box()
        assert video_box == canvas_box
        page.screenshot(path=str(shots / "booth-portrait-live.png"))
        edge = Image.open(shots / "booth-portrait-live.png").convert("RGB")
        assert video_box is not None
        column = np.asarray(edge.crop((int(video_box["x"] + video_box["width"]) - 40, int(video_box["y"]) + 60,
                                       int(video_box["x"] + video_box["width"]) - 30,
                                       int(video_box["y"] + video_box["height"]) - 60)))
        assert (column.max(axis=-1) > 40).mean() > 0.9

        reference, share_url = _shoot_and_send(page)
        approved = page.evaluate("document.getElementById('review-image').src")
        page.screenshot(path=str(shots / "booth-qr-card.png"))
        until = page.inner_text("#until")
        assert "照片保留至" in until and "Kept until" in until and "中国标准时间" in until
        assert share_url.startswith(f"{public}/p/")
        state = _wait_ready(share_url)

        phone = browser.new_context(**p.devices["Pixel 7"], locale="zh-CN")
        phone.set_default_timeout(120_000)
        watched = watch(phone)
        allow_public(phone)
        guest = phone.new_page()
        guest.goto(share_url)
        guest.wait_for_function("() => window.sharePhotoShown === true", timeout=PATIENCE_MS)
        guest.screenshot(path=str(shots / "share-phone.png"))
        expiry = guest.inner_text("#expiry")
        assert "北京时间" in expiry and "UTC" not in expiry
        expires = json.loads(_get(share_url + "/status"))["expires_at"]
        from datetime import datetime

        hour = datetime.fromisoformat(expires).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
        assert hour in expiry
        shown = guest.evaluate("document.getElementById('photo').src")
        assert watched.blocked == []
        phone.close()
        browser.close()
        page_photo = Image.open(io.BytesIO(_get(shown)))
        full = Image.open(io.BytesIO(_get(share_url.rsplit("/p/", 1)[0] + state["download_url"])))
    assert errors == []

    preview = _data_url(approved)
    assert max(page_photo.size) <= 1280  # the page's picture stays light
    # What the guests approved on the review screen (photo, crop, props, frame) is what the page shows; the
    # caption and date are printed on the photo afterwards, so the window is compared.
    same = np.asarray(preview.convert("RGB").resize(page_photo.size, Image.Resampling.BOX))
    shrink = page_photo.width / portrait.size[0]
    inner = np.zeros(same.shape[:2], dtype=bool)
    w = portrait.window
    inner[round(w.y * shrink):round((w.y + w.h) * shrink), round(w.x * shrink):round((w.x + w.w) * shrink)] = True
    psnr, de = agreement(np.asarray(page_photo.convert("RGB")), same, inner)
    print(f"\nguest's page vs approved preview: PSNR {psnr:.1f} dB, mean dE {de:.2f}")
    assert psnr >= PSNR_BOUND or de <= DE_BOUND

    full.save(shots / "composed-full.jpg")
    k = output_scale(portrait, CAPTURE)
    window = portrait.scaled(k).window
    assert (window.w, window.h) == (2250, 3000)  # the capture's own pixels: its 3:4 middle, not resampled
    server, booth, mask = _server_region(full, portrait, reference)
    psnr, de = agreement(server, booth, mask)
    print(f"props in the full-size photo vs the booth's rendering: PSNR {psnr:.1f} dB, mean dE {de:.2f}")
    assert psnr >= PSNR_BOUND or de <= DE_BOUND



def test_guests_stand_in_the_gallery_they_chose_and_get_what_they_approved(
        app: Flask, people_camera: Path, demo_props: dict[str, bytes], shots: Path) -> None:
    two = dict(sorted(demo_props.items())[:2])
    token = seed_booth(app, two)
    seed_backdrop(app)
    landscape = default_templates()[0]
    with serving(app) as origin, sync_playwright() as p:
        public_origin(app, origin)
        browser = _browser(p, people_camera)
        context, page, errors = _booth(browser, origin, token)
        start_session(page)
        _loaded(page, 1)
        page.click(f".prop[data-slug='{sorted(two)[1]}']")
        _loaded(page, 2)
        assert page.inner_text(".backdrop[aria-pressed=true]").strip().startswith("相机画面")
        page.click(".backdrop[data-slug='lobby']")
        # The live preview in the gallery: the camera's frames, the guests cut out by the model, the room behind.
        page.wait_for_function("() => document.querySelector('main').dataset.backdrop === 'lobby' && "
                               "kiosk.standIns > 5", timeout=PATIENCE_MS)
        shown, masks, started = page.evaluate("kiosk.standIns"), page.evaluate("kiosk.masks"), time.monotonic()
        page.wait_for_function(f"() => kiosk.standIns > {shown + 10}", timeout=PATIENCE_MS)
        seconds = time.monotonic() - started
        fps = (page.evaluate("kiosk.standIns") - shown) / seconds
        mask_rate = (page.evaluate("kiosk.masks") - masks) / seconds
        print(f"\nlive preview in a gallery (12 MP camera, software WebGL): {fps:.1f} frames/s, "
              f"{mask_rate:.1f} masks/s")
        page.screenshot(path=str(shots / "booth-gallery-live.png"))
        # Dynamic resolution: a preview slower than 20 frames/s is drawn at fewer pixels, down to 0.6 of them, and
        # at more again once frames come faster than 28 a second (the booth's own StageScale, fed frame times).
        slow, fast, least = page.evaluate("""() => { const s = new kiosk.scaler.constructor(); const seen = [];
            let t = 1000; for (let i = 0; i < 100; i += 1) { t += 75; seen.push(s.tick(t)); }
            const slow = seen[seen.length - 1];
            for (let i = 0; i < 100; i += 1) { t += 20; seen.push(s.tick(t)); }
            return [slow, seen[seen.length - 1], Math.min(...seen)]; }""")
        assert (slow, fast, least) == (0.6, 1, 0.6)
        assert 0.6 <= page.evaluate("kiosk.stageScale") <= 1
        live = Image.open(shots / "booth-gallery-live.png").convert("RGB")
        box = page.locator("#stage-canvas").bounding_box()
        assert box is not None
        # The far wall shows left of the astronaut, where her own (grey) backdrop was.
        x, y, w, h = box["x"], box["y"], box["width"], box["height"]
        wall = np.asarray(live.crop((int(x + 0.16 * w), int(y + 0.52 * h), int(x + 0.22 * w), int(y + 0.62 * h))))
        colour = wall.reshape(-1, 3).mean(axis=0)
        assert colour[1] > colour[0] + 40 and colour[2] > colour[0] + 40, colour  # BACKDROP_WALL, lit

        # The second prop (over her face) goes behind the guests: her face shows in front of it.
        centre = page.evaluate("""() => { const p = kiosk.placed[1]; const v = document.getElementById('video');
            const r = document.getElementById('props-canvas').getBoundingClientRect();
            const c = Math.max(r.width / v.videoWidth, r.height / v.videoHeight);
            return [r.left + (r.width - v.videoWidth * c) / 2 + p.u * v.videoWidth * c,
                    r.top + (r.height - v.videoHeight * c) / 2 + p.v * v.videoHeight * c]; }""")
        patch = (int(centre[0]) - 15, int(centre[1]) - 15, int(centre[0]) + 15, int(centre[1]) + 15)
        in_front = np.asarray(live.crop(patch)).astype(int)
        assert page.evaluate("kiosk.selected === kiosk.placed[1]")  # the prop placed last is the one selected
        page.click("#prop-behind")
        assert page.get_attribute("#prop-behind", "aria-pressed") == "true"
        shown = page.evaluate("kiosk.standIns")
        page.wait_for_function(f"() => kiosk.standIns > {shown + 3}", timeout=PATIENCE_MS)
        page.screenshot(path=str(shots / "booth-gallery-behind.png"))
        behind = np.asarray(Image.open(shots / "booth-gallery-behind.png").convert("RGB").crop(patch)).astype(int)
        assert np.abs(behind - in_front).mean() > 30  # the prop no longer covers her there

        reference, share_url = _shoot_and_send(page)
        approved = page.evaluate("document.getElementById('review-image').src")
        sent = page.evaluate("kiosk.background && [kiosk.background.slug, kiosk.background.blob.size]")
        assert sent is not None and sent[0] == "lobby" and sent[1] > 10_000
        assert page.evaluate("kiosk.behind && kiosk.behind.box.length") == 4  # the layer behind was sent too
        state = _wait_ready(share_url)

        phone = browser.new_context(**p.devices["Pixel 7"], locale="zh-CN")
        phone.set_default_timeout(120_000)
        allow_public(phone)
        guest = phone.new_page()
        guest.goto(share_url)
        guest.wait_for_function("() => window.sharePhotoShown === true", timeout=PATIENCE_MS)
        guest.screenshot(path=str(shots / "share-phone-gallery.png"))
        assert "北京时间" in guest.inner_text("#expiry")
        shown_url = guest.evaluate("document.getElementById('photo').src")
        phone.close()
        browser.close()
        page_photo = Image.open(io.BytesIO(_get(shown_url)))
        full = Image.open(io.BytesIO(_get(share_url.rsplit("/p/", 1)[0] + state["download_url"])))
    assert errors == []
    full.save(shots / "composed-gallery-full.jpg")
    assert full.size == landscape.scaled(output_scale(landscape, CAPTURE)).size  # the capture's resolution

    # What the guests approved (the people in the gallery, the props, the frame) is what their page shows.
    preview = _data_url(approved)
    same = np.asarray(preview.convert("RGB").resize(page_photo.size, Image.Resampling.BOX))
    shrink = page_photo.width / landscape.size[0]
    w = landscape.window
    inner = np.zeros(same.shape[:2], dtype=bool)
    inner[round(w.y * shrink):round((w.y + w.h) * shrink), round(w.x * shrink):round((w.x + w.w) * shrink)] = True
    psnr, de = agreement(np.asarray(page_photo.convert("RGB")), same, inner)
    print(f"guest's page vs approved preview, in a gallery: PSNR {psnr:.1f} dB, mean dE {de:.2f}")
    assert psnr >= PSNR_BOUND or de <= DE_BOUND
    # The server stood the guests in the gallery: the far wall where the photo's own backdrop was.
    window = np.asarray(page_photo.convert("RGB"))[inner].reshape(-1, 3).astype(int)
    teal = ((window[:, 1] > window[:, 0] + 40) & (window[:, 2] > window[:, 0] + 40)).mean()
    assert teal > 0.1, teal
    # And the props drawn by the booth are in it, as approved.
    server, booth, mask = _server_region(full, landscape, reference)
    psnr, de = agreement(server, booth, mask)
    print(f"props in the full-size gallery photo vs the booth's rendering: PSNR {psnr:.1f} dB, mean dE {de:.2f}")
    assert psnr >= PSNR_BOUND or de <= DE_BOUND


def test_the_share_page_works_in_wechat(app: Flask, people_camera: Path, shots: Path) -> None:
    token = seed_booth(app)
    with serving(app) as origin, sync_playwright() as p:
        public_origin(app, origin)
        browser = _browser(p, people_camera)
        context, page, errors = _booth(browser, origin, token)
        start_session(page)
        _loaded(page, 1)
        _, share_url = _shoot_and_send(page)
        _wait_ready(share_url)

        wechat = browser.new_context(**{**p.devices["Pixel 7"], "user_agent": WECHAT_UA}, locale="zh-CN")
        wechat.set_default_timeout(120_000)
        watched = watch(wechat)
        allow_public(wechat)
        guest = wechat.new_page()
        guest_errors: list[str] = []
        guest.on("pageerror", lambda e: guest_errors.append(str(e)))
        guest.goto(share_url)
        guest.wait_for_function("() => window.sharePhotoShown === true", timeout=PATIENCE_MS)
        guest.screenshot(path=str(shots / "share-wechat.png"), full_page=True)
        # WeChat refuses file downloads: no download button, an image to long-press, and how to do it.
        assert not guest.is_visible("#download")
        assert guest.is_visible("#full-size") and "保存图片" in guest.inner_text("#wechat-help")
        # Long-press save: a plain image whose long-press menu the page does not suppress.
        photo = guest.locator("#photo")
        assert photo.evaluate("el => getComputedStyle(el).webkitTouchCallout") != "none"
        assert photo.evaluate("el => getComputedStyle(el).pointerEvents") != "none"
        assert photo.evaluate("el => !el.dispatchEvent(new MouseEvent('contextmenu', "
                              "{bubbles: true, cancelable: true}))") is False
        # The full size opens as an image in the page (WeChat shows it; a long-press saves it), not a download.
        full_url = guest.evaluate("document.getElementById('full-size').href")
        response = guest.goto(full_url, wait_until="commit")
        assert response is not None and response.status == 200
        assert response.headers["content-type"] == "image/jpeg"
        assert "attachment" not in response.headers.get("content-disposition", "")
        assert Image.open(io.BytesIO(response.body())).size == (4800, 3600)  # the capture's full resolution
        guest.goto(share_url)
        guest.wait_for_function("() => window.sharePhotoShown === true", timeout=PATIENCE_MS)
        guest.click("#delete-now")
        with guest.expect_navigation() as navigation:
            guest.click("#delete-confirm")
        assert navigation.value is not None and navigation.value.status == 410
        assert watched.blocked == [] and guest_errors == []
        browser.close()
    assert errors == []
