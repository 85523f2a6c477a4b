"""The guest's share page on an emulated phone: it waits for the photo, shows it, downloads it, deletes it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import Photo
from museum.photos.store import photo_store
from tests.frontend.browser import PATIENCE_MS, patient, watch
from tests.museum.photos.conftest import photo_jpeg
from tests.museum.photos.live import CHROMIUM, CHROMIUM_ARGS, seed_booth, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = os.environ.get("MUSEUM_TEST_SCREENSHOTS")


def test_a_guest_views_downloads_and_deletes_the_photo_on_a_phone(app: Flask) -> None:
    token = seed_booth(app)
    errors: list[str] = []
    with serving(app) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        patient(browser)
        context = browser.new_context(**p.devices["Pixel 7"], accept_downloads=True)
        blocked = watch(context).blocked
        created = context.request.post(f"{origin}/api/v1/kiosk/photos", headers={"Authorization": f"Bearer {token}"},
                                       multipart={"consent": "true", "photo": {
                                           "name": "booth.jpg", "mimeType": "image/jpeg",
                                           "buffer": photo_jpeg(1600, 1200)}})
        assert created.status == 201
        share_url = created.json()["share_url"]

        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        response = page.goto(share_url)
        assert response is not None and response.status == 200
        assert response.headers["x-robots-tag"].startswith("noindex")
        assert response.headers["referrer-policy"] == "no-referrer"
        page.wait_for_function("() => window.sharePhotoShown === true", timeout=PATIENCE_MS)
        img = page.locator("#photo")
        assert img.evaluate("el => el.tagName") == "IMG" and img.evaluate("el => el.naturalWidth") > 600
        width = img.bounding_box()
        assert width is not None and width["width"] <= 412  # fits the phone's screen

        with page.expect_download() as info:
            page.click("#download")
        download = info.value
        data = download.path().read_bytes()
        picture = Image.open(io.BytesIO(data))
        assert picture.format == "JPEG" and picture.size == (2400, 1800) and not picture.getexif()

        photo_url = page.evaluate("document.getElementById('photo').src")
        page.click("#delete-now")
        assert page.is_visible("#delete-confirm")
        with page.expect_navigation() as navigation:
            page.click("#delete-confirm")
        assert navigation.value is not None and navigation.value.status == 410
        assert "deleted" in page.inner_text("main")
        assert context.request.get(photo_url).status == 410
        assert context.request.get(share_url).status == 410
        browser.close()
    assert blocked == []
    assert [e for e in errors if "status of 410" not in e] == []  # the 410 page itself is logged as a failed load


def test_a_guest_whose_photo_could_not_be_made_is_told_so_on_a_phone(app: Flask) -> None:
    """The booth's capture is lost before it is composed: the guest's page stops waiting and says to retake it."""
    token = seed_booth(app)
    created = app.test_client().post(
        "/api/v1/kiosk/photos", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        data={"consent": "true", "photo": (io.BytesIO(photo_jpeg(1600, 1200)), "booth.jpg", "image/jpeg")},
        content_type="multipart/form-data")
    assert created.status_code == 201
    share_path = "/p/" + created.get_json()["share_url"].rsplit("/", 1)[1]
    with get_db(app).read() as session:
        capture = session.scalars(select(Photo.capture_sha256)).one()
    assert capture is not None
    photo_store(app).delete(capture)  # the worker beside the server will find nothing to compose
    errors: list[str] = []
    with serving(app) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        patient(browser)
        context = browser.new_context(**p.devices["Pixel 7"], locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(origin + share_path)
        page.wait_for_selector("main[data-status=failed]", timeout=PATIENCE_MS)
        assert page.is_visible("#failed") and "照片生成失败" in page.inner_text("#failed")
        assert not page.is_visible("#waiting") and not page.is_visible("#photo")
        # Nothing was kept, so nothing is offered for deletion nor said to expire.
        assert not page.is_visible("#delete-now") and not page.is_visible("#expiry")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / "share-failed-phone.png"), timeout=PATIENCE_MS)
        browser.close()
    assert errors == []
