"""Small faults of the visitor pages, in a real browser: the bottom buttons fit a phone, every page has a real icon,
the error page speaks only the museum's words, the studio shows readable file sizes, and /help explains the visit
with pictures in three languages, linked from every page."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.frontend.browser import PATIENCE_MS, axe_violations, watch
from tests.frontend.conftest import LiveMuseum
from tests.frontend.test_museum import PIXEL_7, READY

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("frontend")]

HELP_TITLES = {"zh-Hans": "使用帮助", "zh-Hant": "使用說明", "en": "Help"}


def _visitor_pages(museum: LiveMuseum) -> list[str]:
    pages = ["/", *[f"/g/{g}" for g in museum.galleries], "/timeline", "/help"]
    placed = next(e["slug"] for e in museum.exhibits if museum.api(f"/api/v1/exhibits/{e['slug']}")["galleries"])
    return pages + [f"/e/{placed}", *[f"/t/{t}/1" for t in museum.tours[:1]]]


def _ready(page: Page, path: str) -> None:
    if path == "/help":
        page.wait_for_function("() => window.museum && museum.ready", timeout=PATIENCE_MS)
    elif path == "/timeline":
        page.wait_for_function("() => window.museum && museum.ready", timeout=PATIENCE_MS, polling=100)
    else:
        page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)


def test_every_bottom_button_is_wholly_on_a_phones_screen(contexts: Callable[..., BrowserContext],
                                                           museum: LiveMuseum) -> None:
    context = contexts(**PIXEL_7, locale="en-US")
    page = context.new_page()
    seen = watch(context, page)
    off: list[tuple[str, str, dict[str, float]]] = []
    counted = 0
    for gallery in museum.galleries:
        for lang in ("en", "zh-Hans"):
            page.goto(f"{museum.url}/g/{gallery}?lang={lang}")
            page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)
            for button in page.locator(".bottom-row button").all():
                box = button.bounding_box()
                assert box is not None
                counted += 1
                if box["x"] < 0 or box["y"] < 0 or box["x"] + box["width"] > 412 or box["y"] + box["height"] > 839:
                    off.append((gallery, button.inner_text(), box))
    assert counted >= 2 * len(museum.galleries) and off == [], off
    assert seen.console_errors == [] and seen.blocked == []


def test_every_page_links_a_real_icon_and_the_favicon_is_served(contexts: Callable[..., BrowserContext],
                                                                 museum: LiveMuseum) -> None:
    context = contexts(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    seen = watch(context, page)
    not_found: list[str] = []
    page.on("response", lambda r: not_found.append(r.url) if r.status == 404 else None)
    missing: list[tuple[str, Any]] = []
    pages = [*_visitor_pages(museum), "/studio", "/cockpit", "/no-such-page"]
    for path in pages:
        page.goto(museum.url + path)
        icons = page.eval_on_selector_all("link[rel~='icon']", "els => els.map(e => e.href)")
        if not icons or any(href.startswith("data:") for href in icons):
            missing.append((path, icons))
        page.wait_for_load_state()
    # Each icon is an image the browser draws, at a real size; /favicon.ico (asked for by browsers anyway) too.
    # (Decoded from its bytes: Chromium leaves /favicon.ico to its own favicon fetcher while requests are routed.)
    page.goto(museum.url + "/help")
    for href in ["/favicon.ico", "/static/favicon.svg", "/apple-touch-icon.png"]:
        response = context.request.get(museum.url + href)
        kind = response.headers.get("content-type", "")
        if response.status != 200 or not kind.startswith("image/"):
            missing.append((href, [response.status, kind]))
            continue
        size = page.evaluate("""async ([data, kind]) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const img = new Image();
          img.src = URL.createObjectURL(new Blob([bytes], {type: kind}));
          await img.decode();
          return [img.naturalWidth, img.naturalHeight]; }""", [base64.b64encode(response.body()).decode(), kind])
        if size[0] < 16 or size[1] < 16:
            missing.append((href, size))
    assert missing == []
    assert not_found == [museum.url + "/no-such-page"], not_found
    assert seen.blocked == []


def test_the_error_page_speaks_only_the_museums_words_in_three_languages(contexts: Callable[..., BrowserContext],
                                                                          museum: LiveMuseum) -> None:
    context = contexts(**PIXEL_7)
    page = context.new_page()
    for path in ["/no-such-page", f"/t/{museum.tours[0]}/999" if museum.tours else "/g/no-such-gallery"]:
        response = page.goto(museum.url + path)
        assert response is not None and response.status == 404
        text = page.locator("body").inner_text()
        # Werkzeug's sentence and the API's English message are for programs.
        assert "requested URL" not in text and "spelling" not in text and "has no stop" not in text, text
        assert "找不到这个页面" in text and "找不到這個頁面" in text and "We could not find this page" in text
        langs = page.eval_on_selector_all("main section", "els => els.map(e => e.closest('[lang]').lang)")
        assert langs == ["zh-Hans", "zh-Hant", "en"], langs
        assert page.locator("a[href^='/help']").count() == 3
        assert page.locator("a[href^='/?lang=']").count() == 3
        assert axe_violations(page) == []


def test_the_studio_shows_small_files_in_kilobytes(contexts: Callable[..., BrowserContext],
                                                   museum: LiveMuseum) -> None:
    """An uploaded picture or caption file of a few kilobytes is not "0.0 MB"."""
    context = contexts(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    status = {"id": 999, "status": "ready", "kind": "model",
              "tiers": {"phone": {"bytes": 2840}, "desktop": {"bytes": 48_213}, "original": {"bytes": 5_312_004},
                        "poster": {"bytes": 512}}}
    answers = {"/api/v1/session": {"signed_in": True, "csrf_token": "t", "user": {"name": "ann", "role": "curator"}},
               "/api/v1/assets": {"id": 999, "status": "queued", "status_url": "/api/v1/studio/assets/999"},
               "/api/v1/studio/assets/999": status}

    def answer(route: Route) -> None:  # a signed-in curator and one upload, answered without a server
        route.fulfill(json=answers.get(urlsplit(route.request.url).path, {"items": [], "total": 0}))

    page.route(re.compile(r".*/api/v1/.*"), answer)
    page.goto(museum.url + "/studio?lang=en#/new/exhibits")
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "box.glb", "mimeType": "model/gltf-binary", "buffer": b"glTF"}])
    state = page.locator("[data-status='ready']")
    expect(state).to_be_visible(timeout=PATIENCE_MS)
    text = state.text_content() or ""
    assert "0.0 MB" not in text, text
    for shown in ("phone: 2.8 KB", "desktop: 48 KB", "original: 5.3 MB", "poster: 512 B"):
        assert shown in text, text


@pytest.mark.parametrize("mode", ["default", "large-text,high-contrast"])
def test_help_explains_the_visit_with_pictures_in_three_languages(contexts: Callable[..., BrowserContext],
                                                                  museum: LiveMuseum, mode: str) -> None:
    context = contexts(**PIXEL_7, locale="zh-CN")
    if mode != "default":
        context.add_init_script(script="localStorage.setItem('museum.largeText','1');"
                                       "localStorage.setItem('museum.contrast','1');")
    page = context.new_page()
    seen = watch(context, page)
    page.goto(museum.url + "/help")
    page.wait_for_function("() => window.museum && museum.ready", timeout=PATIENCE_MS)
    shown: dict[str, list[str]] = {}
    for lang, label in (("zh-Hans", None), ("zh-Hant", "繁體中文"), ("en", "English")):
        if label:
            page.get_by_role("button", name=label).click()
            page.wait_for_function("(l) => museum.lang === l", arg=lang)
        visible = page.locator(".help-lang:not([hidden])")
        assert visible.count() == 1 and visible.get_attribute("lang") == lang
        assert page.locator("#page-title").inner_text() == HELP_TITLES[lang]
        shown[lang] = visible.locator("h2").all_inner_texts()
        # Moving, listening, larger text and the language each have a topic with a picture that is drawn.
        pictures = visible.locator("img.help-picture")
        assert pictures.count() == len(shown[lang]) >= 5
        sizes = pictures.evaluate_all("""async (imgs) => Promise.all(imgs.map(async (i) => {
          await i.decode(); return [i.naturalWidth, i.alt.length]; }))""")
        assert all(w > 0 and alt > 10 for w, alt in sizes), sizes
        # Large readable text: the steps are at least 20 CSS pixels (23+ in large-text mode).
        font = float(visible.locator(".help-steps li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert font >= (25 if mode != "default" else 20), font
        assert axe_violations(page) == [], lang
    assert shown["zh-Hans"][0] == "怎样走动" and shown["en"][0] == "How to move"
    assert len({len(v) for v in shown.values()}) == 1
    assert seen.console_errors == [] and seen.blocked == []


def test_help_is_linked_from_every_visitor_page_and_the_menu(contexts: Callable[..., BrowserContext],
                                                             museum: LiveMuseum) -> None:
    context = contexts(**PIXEL_7, locale="zh-CN")
    page = context.new_page()
    seen = watch(context, page)
    for path in _visitor_pages(museum):
        page.goto(museum.url + path)
        _ready(page, path)
        link = page.locator("header.top a.help-link")
        assert link.is_visible(), path
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 412, (path, box)
        assert link.get_attribute("href", timeout=PATIENCE_MS) == "/help?lang=zh-Hans", path
    page.goto(f"{museum.url}/g/{museum.galleries[0]}")
    page.wait_for_function(READY, timeout=PATIENCE_MS, polling=100)
    page.click(".menu-button")
    page.locator("#drawer a[href^='/help']").click()
    page.wait_for_url("**/help?lang=zh-Hans")
    page.wait_for_function("() => window.museum && museum.ready", timeout=PATIENCE_MS)
    assert page.locator(".help-lang:not([hidden]) h2").first.inner_text() == "怎样走动"
    assert seen.console_errors == [] and seen.blocked == []
