"""A real museum server for the browser tests: `museum serve` on a free port, seeded with the demo museum."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.frontend.browser import CHROMIUM, PATIENCE_S, REPO, chromium
from tests.museum.conftest import catalogue  # noqa: F401  (the small catalogue, for the page tests)

MUSEUM = str(Path(sys.executable).with_name("museum"))


@dataclass
class LiveMuseum:
    """Where the museum answers and what it holds."""

    url: str
    galleries: list[str]
    exhibits: list[dict[str, Any]]
    tours: list[str]
    demo: bool

    def api(self, path: str) -> Any:
        """Return the JSON of an API path."""
        with urllib.request.urlopen(self.url + path) as response:
            return json.load(response)


def free_port() -> int:
    """Return a TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_frontend_built() -> None:
    """Build the bundles if the set-up has not."""
    if not (REPO / "static" / "build" / "museum.js").is_file():
        subprocess.run(["node", "scripts/build-frontend.mjs"], cwd=REPO, check=True)


def seed_instance(env: dict[str, str]) -> bool:
    """Migrate and seed an instance: the demo museum, or a small one in code if the demo fails; True for the demo."""
    subprocess.run([MUSEUM, "init"], env=env, check=True, capture_output=True)
    demo = subprocess.run([MUSEUM, "demo"], env=env, capture_output=True, timeout=900)
    if demo.returncode == 0:
        return True
    subprocess.run([sys.executable, "-m", "tests.frontend.seed"], env=env, cwd=REPO, check=True)
    return False


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = PATIENCE_S) -> None:
    """Wait until a URL answers 200 (or the server dies)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"museum serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def start_museum(instance: Path) -> tuple[subprocess.Popen[bytes], str, bool]:
    """Seed an instance and start `museum serve` on it; return the process, its URL and whether it is the demo."""
    env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(instance), "MUSEUM_SESSION_COOKIE_SECURE": "0",
           "MUSEUM_WORKERS": "2", "MUSEUM_THREADS": "16"}
    env.pop("MUSEUM_DATABASE_URL", None)
    env.pop("MUSEUM_STORAGE_DIR", None)
    ensure_frontend_built()
    demo = seed_instance(env)
    port = free_port()
    proc = subprocess.Popen([MUSEUM, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/v1", proc)
    except Exception:
        proc.kill()
        proc.wait()  # reaped, so no "still running" warning fails the next test
        raise
    return proc, url, demo


@pytest.fixture(scope="session")
def museum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMuseum]:
    """Run the seeded museum for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh")
    proc, url, demo = start_museum(tmp_path_factory.mktemp("museum"))
    try:
        live = LiveMuseum(url=url, galleries=[], exhibits=[], tours=[], demo=demo)
        live.galleries = [g["slug"] for g in live.api("/api/v1/galleries?per_page=100")["items"]]
        live.exhibits = live.api("/api/v1/exhibits?per_page=100&lang=en")["items"]
        live.tours = [t["slug"] for t in live.api("/api/v1/tours")["items"]]
        yield live
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for a test module's pages."""
    with chromium() as b:
        yield b


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Return a maker of browser contexts, all closed after the test (a page left rendering slows the next)."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        made.append(browser.new_context(**options))
        return made[-1]

    yield make
    for ctx in made:
        ctx.close()
