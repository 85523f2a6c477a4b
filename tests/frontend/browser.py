"""Headless Chromium for the front-end tests and benchmarks: WebGL through SwiftShader, the internet blocked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
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


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch Debian's Chromium with software WebGL."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
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


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core on the page and return the violations of the given impacts."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result if v["impact"] in impacts
    ]
