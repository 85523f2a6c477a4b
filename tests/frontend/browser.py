"""Headless Chromium for the front-end tests and benchmarks: WebGL through SwiftShader, the internet blocked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# How long a browser test waits for a condition before it gives up. Tests wait on conditions, never on fixed times:
# this bound only keeps a broken page from hanging the suite, so it is generous, and a busy machine (software
# WebGL on two shared cores can take seconds a frame) slows the tests instead of failing them.
PATIENCE_S = float(os.environ.get("MUSEUM_TEST_PATIENCE_S", "300"))
PATIENCE_MS = int(PATIENCE_S * 1000)
# Playwright's expect() has its own default of 5 s, which a view that fetches on a busy CI machine can miss; it
# waits as long as everything else does (it returns as soon as the condition holds).
expect.set_options(timeout=PATIENCE_MS)
ARGS = [
    "--no-sandbox",
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
REPO = Path(__file__).resolve().parents[2]
IWER = REPO / "node_modules" / "iwer" / "build" / "iwer.min.js"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# Installs the emulated headset before any page script runs; the page then sees navigator.xr as on a Quest 3.
IWER_INSTALL = """
;(() => {
  const device = new IWER.XRDevice(IWER.metaQuest3);
  device.installRuntime({ forceInstall: true });
  device.stereoEnabled = true;
  window.xrDevice = device;
})();
"""


@dataclass
class Watch:
    """What a page did that a test cares about: console errors and requests that left the machine."""

    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


def patient(browser: Browser) -> Browser:
    """Make every context and page the browser opens wait up to PATIENCE_MS by default, not Playwright's 30 s."""
    opened = browser.new_context

    def new_context(*args: Any, **kwargs: Any) -> BrowserContext:
        context = opened(*args, **kwargs)
        context.set_default_timeout(PATIENCE_MS)
        context.set_default_navigation_timeout(PATIENCE_MS)
        return context

    browser.new_context = new_context  # type: ignore[method-assign]
    opened_page = browser.new_page

    def new_page(*args: Any, **kwargs: Any) -> Page:
        page = opened_page(*args, **kwargs)
        page.set_default_timeout(PATIENCE_MS)
        page.set_default_navigation_timeout(PATIENCE_MS)
        return page

    browser.new_page = new_page  # type: ignore[method-assign]
    return browser


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch Debian's Chromium with software WebGL."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        patient(browser)
        try:
            yield browser
        finally:
            browser.close()


def watch(context: BrowserContext, page: Page | None = None) -> Watch:
    """Block and count every non-local request of a context; collect console errors of a page."""
    seen = Watch()

    def route(r: Route) -> None:
        url = r.request.url
        seen.requests.append(url)
        if _is_local(url):
            r.continue_()
        else:
            seen.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    # A Content-Security-Policy violation is an error of the page, whatever the browser prints for it.
    context.add_init_script(script="document.addEventListener('securitypolicyviolation', e => console.error("
                            "'CSP violation: ' + e.effectiveDirective + ' ' + e.blockedURI));")
    if page is not None:
        watch_console(page, seen)
    return seen


def watch_console(page: Page, seen: Watch) -> None:
    """Record console errors and uncaught exceptions of a page."""
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.console_errors.append(f"pageerror: {e}"))


def with_headset(context: BrowserContext) -> None:
    """Inject the iwer WebXR emulation runtime (a Quest 3 with Touch controllers) into every page."""
    context.add_init_script(script=IWER.read_text() + IWER_INSTALL)


# Aim the emulated headset's right controller, held at `local` (the rig's frame), at a world point `target`.
XR_AIM_AT = """([target, local]) => {
  const [tx, ty, tz] = target;
  const [rx, rz, yaw] = museum.position();
  const [cx, cy, cz] = local;
  const wx = rx + cx * Math.cos(yaw) + cz * Math.sin(yaw), wz = rz - cx * Math.sin(yaw) + cz * Math.cos(yaw);
  const dx = tx - wx, dy = ty - cy, dz = tz - wz;
  const lx = dx * Math.cos(yaw) - dz * Math.sin(yaw), lz = dx * Math.sin(yaw) + dz * Math.cos(yaw);
  const n = Math.hypot(lx, dy, lz);
  const d = [lx / n, dy / n, lz / n];
  const axis = [d[1], -d[0], 0];  // (0, 0, -1) x d: the turn taking the controller's forward onto d
  const w = 1 - d[2];
  const len = Math.hypot(axis[0], axis[1], axis[2], w);
  const c = xrDevice.controllers.right;
  c.position.set(cx, cy, cz);
  c.quaternion.set(axis[0] / len, axis[1] / len, axis[2] / len, w / len);
}"""


def xr_trigger(page: Page) -> None:
    """Pull and release the emulated headset's right trigger once a frame or two has drawn; wait for the select."""
    frames, selects = page.evaluate("[museum.xr.frames, museum.xr.selects]")
    page.wait_for_function("(f) => museum.xr.frames > f + 1", arg=frames, timeout=PATIENCE_MS, polling=100)
    page.evaluate("xrDevice.controllers.right.updateButtonValue('trigger', 1)")
    page.wait_for_function("(n) => museum.xr.selects > n", arg=selects, timeout=PATIENCE_MS, polling=100)
    page.evaluate("xrDevice.controllers.right.updateButtonValue('trigger', 0)")


def studio_sign_in(page: Page, url: str, name: str, password: str) -> None:
    """Sign in to the studio in English as a member of staff and wait for the greeting."""
    page.goto(url + "/studio")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}", timeout=PATIENCE_MS)


def fill_sound_zone(page: Page, x: float, z: float, radius_m: float, heard_en: str) -> None:
    """Fill the placement editor's fields of the selected sound zone: where it is, how far it carries, and what is
    heard (in English), each committed as a curator leaving the field does."""
    for label, value in (("Position x (m)", x), ("Position z (m)", z), ("Radius (m)", radius_m),
                         ("What is heard (for screen-reader users) English", heard_en)):
        box = page.get_by_label(label)
        box.fill(str(value))
        box.dispatch_event("change")


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core on the page and return the violations of the given impacts."""
    # Evaluated over the DevTools protocol, not as an inline <script>: the museum's CSP refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result if v["impact"] in impacts
    ]


# Counts the audio contexts a page makes: a page may make none before the
# visitor's first gesture (an init script: add it to a context with add_init_script).
COUNT_AUDIO = """
(() => {
  window.audioContexts = 0;
  for (const name of ['AudioContext', 'webkitAudioContext']) {
    const Original = window[name];
    if (!Original) continue;
    window[name] = class extends Original {
      constructor(...args) { super(...args); window.audioContexts += 1; }
    };
  }
})();
"""
