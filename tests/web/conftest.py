"""Browser fixtures: our server on a free local port, Debian's headless Chromium, one page a test.

Every request the page makes is routed: anything not on 127.0.0.1/localhost is blocked
and fails the test (the page must work without internet access). The server has no CDN
fallback (sim/web/installed_assets.py), and the CDN setting points at a closed local port
besides, so a front-end file missing from solara-assets fails here even on a machine with
internet. Chromium sees no font of the machine but DejaVu (its own fontconfig file): the
page must bring its Chinese font itself, as on a fresh machine. Each test leaves a
screenshot in test-artifacts/screenshots/, which CI keeps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Without the network switches Chromium keeps calling home (updates, sync, field trials).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 90
NO_CDN = "http://127.0.0.1:9/"  # solara.settings.assets.cdn: port 9 (discard) refuses connections


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def fresh_machine_fonts(folder: Path) -> dict[str, str]:
    """Environment for a Chromium that sees no CJK font: a fontconfig file naming DejaVu only."""
    folder.mkdir(parents=True, exist_ok=True)
    fonts = f"<dir>{LATIN_FONTS}</dir>" if LATIN_FONTS.is_dir() else ""
    config = folder / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig>{fonts}<cachedir>{folder / "cache"}</cachedir></fontconfig>\n'
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need `pip install playwright`"
    )
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            env=fresh_machine_fonts(tmp_path_factory.mktemp("fontconfig")),
        )
        yield chromium
        chromium.close()


@contextmanager
def running_server(
    *args: str, log_name: str = "web-server.log", env: dict[str, str] | None = None
) -> Iterator[str]:
    """`python -m sim web --port P ARGS` as a user starts it; its URL once it says it serves."""
    with server_process(*args, log_name=log_name, env=env) as (url, _):
        yield url


@contextmanager
def server_process(
    *args: str, log_name: str = "web-server.log", env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The server's URL and process (which a test may stop), once it says it serves.

    The "serving on" line is promised only once the server accepts connections, so the
    first request goes out at once, with no retry.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = ROOT / "test-artifacts" / log_name
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "sim", "web", "--port", str(port), *args],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "SOLARA_ASSETS_CDN": NO_CDN, **(env or {})},
        )
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while f"serving the Dazu web page on http://127.0.0.1:{port}" not in log.read_text():
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the web server did not start; see {log}")
                time.sleep(0.2)
            urllib.request.urlopen(url, timeout=30).close()
            yield url, server
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture(scope="session")
def web_url(browser) -> Iterator[str]:
    """`python -m sim web` on a free port, as a user starts it."""
    with running_server() as url:
        yield url


@dataclass
class Traffic:
    """What the page asked for: blocked outside requests, failed local ones, local fonts and styles."""

    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    local_assets: list[str] = field(default_factory=list)

    def allow_local_only(self, route) -> None:
        url = route.request.url
        if urlparse(url).scheme in ("data", "blob") or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def note_response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")
        if response.request.resource_type in ("font", "stylesheet"):
            self.local_assets.append(response.url)

    def note_websocket(self, websocket) -> None:
        if urlparse(websocket.url).hostname not in LOCAL_HOSTS:
            self.outside.append(websocket.url)

    def watch(self, context):
        """Route and note every request of a browser context; returns a new tab of it."""
        context.route("**/*", self.allow_local_only)
        tab = context.new_page()
        tab.on("response", self.note_response)
        tab.on("websocket", self.note_websocket)
        tab.set_default_timeout(60_000)
        return tab

    def check(self) -> None:
        assert not self.outside, f"the page asked for something outside 127.0.0.1: {self.outside}"
        assert not self.failed, f"requests failed: {self.failed}"


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser, web_url, traffic, request):
    """A fresh browser session on the page, loaded and connected."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    tab = traffic.watch(context)
    try:
        tab.goto(web_url)
        tab.locator(".run-summary").wait_for()
        yield tab
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
        context.close()
    traffic.check()
