"""Listening to an exhibit on a phone: the recorded narration plays with its caption lit in the transcript; without a
recording the device's speech voice reads the narration in the visitor's language; large text offers it first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from museum.demo import narration
from tests.frontend.browser import Watch, watch
from tests.frontend.conftest import LiveMuseum
from tests.frontend.test_museum import PIXEL_7  # noqa: E402  (one phone profile for every test)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("frontend")]

# Headless Chromium has no speech voices: record what the page asks the device to say, and start the first
# utterance as a device would, so the page can light the sentence being read.
RECORD_SPEECH = """
window.spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => {
    window.spoken.push({ lang: utterance.lang, text: utterance.text });
    if (window.spoken.length === 1) setTimeout(() => utterance.dispatchEvent(new Event('start')), 0);
  };
}
"""
PANEL_SHOWS = "(t) => window.museum && museum.panelOpen && document.querySelector('#panel-title')?.textContent === t"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Return a maker of phone contexts, closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        made.append(browser.new_context(**PIXEL_7, **options))
        return made[-1]

    yield make
    for ctx in made:
        ctx.close()


def _open(context: BrowserContext, url: str) -> tuple[Page, Watch]:
    page = context.new_page()
    seen = watch(context, page)
    page.goto(url)
    return page, seen


@pytest.mark.skipif(not narration.available(), reason="espeak-ng is not installed, so the demo has no recorded "
                    "narration (scripts/setup.sh installs it)")
def test_listen_plays_the_recorded_narration_with_its_caption_lit(phone: Callable[..., BrowserContext],
                                                                  museum: LiveMuseum) -> None:
    if not museum.demo:
        pytest.skip("the demo museum could not be seeded, so no exhibit has recorded narration")
    slug = "cardiac-surgery-heart-model"
    detail = museum.api(f"/api/v1/exhibits/{slug}?lang=zh-Hans")
    page, seen = _open(phone(locale="zh-CN"), f"{museum.url}/e/{slug}?lang=zh-Hans")
    page.wait_for_function(PANEL_SHOWS, arg=detail["title"])
    button = page.locator("#panel .listen-button")
    assert button.count() == 1, "the exhibit panel has no listen button"
    assert "合成语音" in page.locator("#panel .listen-source").inner_text()
    button.tap()
    page.wait_for_function("() => { const a = document.querySelector('#panel .listen audio');"
                           " return a && !a.paused && a.currentTime > 0"
                           " && document.querySelector('#panel .transcript-text .cue.current') !== null; }")
    lit = page.locator("#panel .cue.current").inner_text().strip()
    assert lit in narration.sentences(detail["narration"])
    assert page.locator("#panel .cue").count() == len(narration.sentences(detail["narration"]))
    assert button.get_attribute("aria-pressed") == "true"
    button.tap()
    page.wait_for_function("() => document.querySelector('#panel .listen audio').paused")
    assert button.get_attribute("aria-pressed") == "false" and "继续收听" in button.inner_text()
    page.locator("#panel .listen-stop").tap()
    page.wait_for_function("() => document.querySelector('#panel .cue.current') === null"
                           " && document.querySelector('#panel .listen audio').currentTime === 0")
    assert seen.console_errors == [] and seen.blocked == []


def test_without_a_recording_the_device_voice_reads_and_large_text_offers_it_first(
        phone: Callable[..., BrowserContext], museum: LiveMuseum) -> None:
    slug = next(e["slug"] for e in museum.exhibits
                if not museum.api(f"/api/v1/exhibits/{e['slug']}?lang=zh-Hant")["audio"]
                and museum.api(f"/api/v1/exhibits/{e['slug']}?lang=zh-Hant")["narration"])
    detail = museum.api(f"/api/v1/exhibits/{slug}?lang=zh-Hant")
    context = phone(locale="zh-TW")
    context.add_init_script(script="localStorage.setItem('museum.largeText', '1');" + RECORD_SPEECH)
    page, seen = _open(context, f"{museum.url}/e/{slug}?lang=zh-Hant")
    page.wait_for_function(PANEL_SHOWS, arg=detail["title"])
    assert page.locator("#panel .listen-button").count() == 1, "the exhibit panel has no listen button"
    # Large text: the listen section comes first, straight under the title.
    assert page.evaluate("document.querySelector('#panel-title').nextElementSibling.classList.contains('listen')")
    assert page.locator("#panel .listen-source").inner_text() == "由您裝置的語音朗讀"
    page.locator("#panel .listen-button").tap()
    page.wait_for_function("() => window.spoken.length > 0 && document.querySelector('#panel .cue.current') !== null")
    spoken = page.evaluate("window.spoken")
    sentences = narration.sentences(detail["narration"])
    assert [s["text"] for s in spoken] == sentences
    assert {s["lang"] for s in spoken} == {"zh-TW"}
    assert page.locator("#panel .cue.current").inner_text().strip() == sentences[0]
    # Turning large text off puts the listen section back after the summary.
    page.get_by_role("button", name="大字").tap()
    page.wait_for_function("() => !document.documentElement.classList.contains('large-text')"
                           " && document.querySelector('#panel .lead').nextElementSibling.classList.contains('listen')")
    assert seen.console_errors == [] and seen.blocked == []
