"""The cockpit in Chromium: a manager signs in and the dashboard draws its charts, in normal and in wall mode."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.frontend.browser import CHROMIUM, PATIENCE_MS, PATIENCE_S, axe_violations, chromium, watch
from tests.frontend.conftest import MUSEUM, ensure_frontend_built, free_port, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TABLET = {"viewport": {"width": 1180, "height": 820}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PASSWORD = "manager password"
SHOTS = os.environ.get("MUSEUM_TEST_SCREENSHOTS")
SEED = """
from museum import create_app
from museum.demo.traffic import seed_traffic
print(seed_traffic(create_app()))
"""


@pytest.fixture(scope="module")
def cockpit_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Serve a museum holding 90 days of demo traffic and a manager account."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh")
    instance = tmp_path_factory.mktemp("cockpit")
    env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance), "MUSEUM_SESSION_COOKIE_SECURE": "0",
           "MUSEUM_WORKERS": "2", "MUSEUM_THREADS": "8"}
    env.pop("MUSEUM_DATABASE_URL", None)
    env.pop("MUSEUM_STORAGE_DIR", None)
    ensure_frontend_built()
    subprocess.run([MUSEUM, "init"], env=env, check=True, capture_output=True)
    subprocess.run([MUSEUM, "user", "create", "mei", "--role", "manager"], env=env, check=True, capture_output=True,
                   input=f"{PASSWORD}\n".encode())
    made = subprocess.run([MUSEUM, "token", "create", "wall", "--user", "mei"], env=env, check=True,
                          capture_output=True, text=True)
    token = made.stdout.strip().splitlines()[-1]
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, capture_output=True, timeout=900)
    port = free_port()
    proc = subprocess.Popen([MUSEUM, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-job-worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/v1", proc)
        yield url, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def cockpit_url(cockpit_live: tuple[str, str]) -> str:
    """Return the served museum's URL."""
    return cockpit_live[0]


def _canvas_is_drawn(page: Page, tile: str) -> bool:
    """Return whether a tile's chart canvas has pixels of more than one colour."""
    return bool(page.evaluate("""(tile) => {
        const canvas = document.querySelector(`[data-tile="${tile}"] canvas`);
        if (!canvas || !canvas.width) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const first = data.slice(0, 4).join();
        for (let i = 4; i < data.length; i += 4 * 97) if (data.slice(i, i + 4).join() !== first) return true;
        return false;
    }""", tile))


def _sign_in(page: Page, url: str, query: str = "") -> None:
    page.goto(url + "/cockpit" + query)
    page.fill("#name", "mei")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-tile=visitors_by_day] canvas")


CHART_TILES = ("visitors_by_day", "hour_of_week", "top_exhibits", "devices", "languages", "tour_funnel",
               "sessions", "booth")


@pytest.mark.parametrize("wall", [False, True], ids=["normal", "wall"])
def test_the_dashboard_draws_in_chinese_on_a_tablet(cockpit_url: str, wall: bool) -> None:
    with chromium() as browser:
        context = browser.new_context(**TABLET, locale="zh-CN")
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, cockpit_url)
        if wall:
            page.click("text=大屏模式")
            page.wait_for_function("() => document.body.classList.contains('wall')")
            page.wait_for_selector("[data-tile=visitors_by_day] canvas")
        for tile in CHART_TILES:
            page.wait_for_function("(t) => document.querySelector(`[data-tile='${t}'] canvas`)", arg=tile)
            assert _canvas_is_drawn(page, tile), tile
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert page.locator("h1").first.inner_text() == "管理驾驶舱"
        alerts = page.locator("[data-tile=alerts] li.alert")
        assert alerts.count() >= 1
        assert "访问量低于该时段正常范围" in alerts.first.inner_text()
        assert page.locator("[data-tile=key_figures] .figure .value").first.inner_text() != "0"
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"cockpit-tablet-{'wall' if wall else 'normal'}.png"),
                            full_page=True, timeout=PATIENCE_MS)
        if not wall:
            # The language is the museum's one choice: switched here, the visitor pages speak it too, and back.
            page.select_option("#lang", "en")
            page.wait_for_function("() => document.querySelector('h1').textContent === 'Management cockpit'")
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.evaluate("localStorage.getItem('museum.lang')") == "en"
            page.reload()
            page.wait_for_selector("[data-tile=key_figures] .figure .value")
            assert page.locator("h1").first.inner_text() == "Management cockpit"
            page.select_option("#lang", "zh-Hant")
            page.wait_for_function("() => document.querySelector('h1').textContent === '管理駕駛艙'")
        assert seen.console_errors == []
        assert seen.blocked == []
        context.close()
        # axe-core is injected as an inline script, which the page's Content-Security-Policy rightly refuses.
        checked = browser.new_context(**TABLET, locale="zh-CN", bypass_csp=True)
        page = checked.new_page()
        _sign_in(page, cockpit_url, "?wall=1" if wall else "")
        for tile in CHART_TILES:
            page.wait_for_function("(t) => document.querySelector(`[data-tile='${t}'] canvas`)", arg=tile)
        assert axe_violations(page) == []
        checked.close()


def test_the_page_ships_at_most_350_kb_of_javascript_gzip(cockpit_url: str) -> None:
    with chromium() as browser:
        context = browser.new_context(**TABLET)
        page = context.new_page()
        scripts: list[str] = []
        page.on("response", lambda r: scripts.append(r.url) if r.request.resource_type == "script" else None)
        _sign_in(page, cockpit_url)
        context.close()
    root = Path(__file__).resolve().parents[2] / "static"
    total = 0
    for url in set(scripts):
        path = root / url.split("/static/", 1)[1].split("?", 1)[0]
        total += len(gzip.compress(path.read_bytes(), 9))
    assert 0 < total <= 350 * 1024, total


def test_a_manager_acknowledges_the_demo_alert(cockpit_url: str) -> None:
    with chromium() as browser:
        context = browser.new_context(**TABLET)
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, cockpit_url)
        button = page.locator("[data-tile=alerts] li.alert button").first
        button.click()
        page.wait_for_selector("[data-tile=alerts] .acked")
        assert seen.console_errors == []
        context.close()


def _summary(url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(url + "/api/v1/cockpit/summary", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)  # type: ignore[no-any-return]


def test_a_visit_made_in_the_browser_is_counted_at_once(cockpit_live: tuple[str, str]) -> None:
    url, token = cockpit_live
    before = _summary(url, token)["timeline_views"]
    with chromium() as browser:
        context = browser.new_context(**TABLET)
        page = context.new_page()
        seen = watch(context, page)
        page.goto(url + "/timeline")
        page.wait_for_function("() => window.museum && window.museum.ready")
        page.goto("about:blank")  # leaving the page sends what it saw, by navigator.sendBeacon
        assert seen.console_errors == []
        # The browser stays open until the cockpit counts the visit: closing it could cancel a beacon still queued.
        deadline = time.monotonic() + PATIENCE_S
        while _summary(url, token)["timeline_views"] == before:
            assert time.monotonic() < deadline, "the beacon's event never reached the cockpit"
            time.sleep(0.2)
        context.close()
    assert _summary(url, token)["timeline_views"] == before + 1


def test_a_manager_chooses_and_orders_tiles_and_they_stay(cockpit_url: str) -> None:
    with chromium() as browser:
        context = browser.new_context(**TABLET, locale="zh-CN")
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, cockpit_url)
        page.click("text=布局")
        dialog = page.locator("dialog.customise")
        dialog.locator("li", has_text="设备").locator("input[type=checkbox]").uncheck()
        dialog.locator("li", has_text="AR 合影亭").get_by_role("button", name="上移: AR 合影亭").click()
        dialog.get_by_role("button", name="保存布局").click()
        page.wait_for_function("() => !document.querySelector('[data-tile=devices]')")
        page.reload()
        page.wait_for_selector("[data-tile=visitors_by_day] canvas")
        tiles = page.eval_on_selector_all("[data-tile]", "els => els.map((e) => e.dataset.tile)")
        assert "devices" not in tiles
        assert tiles.index("booth") < tiles.index("sessions")
        assert seen.console_errors == []
        context.close()


def test_every_tour_has_its_funnel(cockpit_live: tuple[str, str]) -> None:
    """The funnel shows the most followed tour first and every other tour a choice away."""
    url, token = cockpit_live
    tours = _summary(url, token)["tours"]
    assert len(tours) >= 2, "the demo traffic follows two tours"
    with chromium() as browser:
        context = browser.new_context(**TABLET, locale="en-US")
        page = context.new_page()
        seen = watch(context, page)
        _sign_in(page, url, "?lang=en")
        choice = page.locator("[data-tile=tour_funnel] select")
        assert choice.locator("option").all_inner_texts() == [tour["title"] for tour in tours]
        # ECharts describes the drawn funnel in the chart's aria-label: its first stop's count tells the tour.
        first = [f"Stop 1: {tour['steps'][0]['count']:,} is {tour['steps'][0]['count']}" for tour in tours[:2]]
        assert first[0] != first[1]
        page.wait_for_function("(t) => document.querySelector('[data-tile=tour_funnel] .chart')"
                               ".getAttribute('aria-label').includes(t)", arg=first[0])
        choice.select_option(tours[1]["slug"])
        page.wait_for_function("(t) => document.querySelector('[data-tile=tour_funnel] .chart')"
                               ".getAttribute('aria-label').includes(t)", arg=first[1])
        assert page.locator("[data-tile=tour_funnel] select").input_value() == tours[1]["slug"]
        assert _canvas_is_drawn(page, "tour_funnel")
        assert seen.console_errors == []
        context.close()
