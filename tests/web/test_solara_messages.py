"""Solara's own messages (connection lost, loading, refresh) in the page's language.

sim/web/assets/custom.js rewrites Solara's page template before Vue compiles it; these
tests check that every message it translates is still one of the installed Solara's, and,
in Chromium, that a lost connection is announced in Chinese, or in English when chosen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import solara.server.server

from sim.web.app import ASSETS
from tests.web.conftest import SCREENSHOTS, server_process
from tests.web.test_browser import expect

TEMPLATES = Path(solara.server.server.__file__).parent / "templates"
CUSTOM_JS = ASSETS / "custom.js"


def translated() -> dict[str, str]:
    """English -> Chinese, as custom.js lists them."""
    return dict(re.findall(r'\["([^"]+)",\s*"([^"]+)"\]', CUSTOM_JS.read_text()))


def template_text() -> str:
    """The words of Solara's page template and its loader, white space collapsed."""
    text = "".join(
        path.read_text() for path in (TEMPLATES / "solara.html.j2", TEMPLATES / "loader-solara.html")
    )
    return re.sub(r"\s+", " ", text)


def test_every_message_custom_js_translates_is_solaras():
    messages = translated()
    assert len(messages) >= 8 and "Server disconnected." in messages
    text = template_text()
    missing = [english for english in messages if not re.search(rf">\s*{re.escape(english)}\s*<", text)]
    assert not missing, f"Solara's template no longer says these (move custom.js with the pin): {missing}"
    assert "{{ loading_text }}" in text  # the loader's line, translated by custom.js too


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("中文", "服务器连接已断开", "Server disconnected"),
        ("English", "Server disconnected", "服务器连接已断开"),
    ],
)
def test_a_lost_connection_is_announced_in_the_pages_language(browser, traffic, language, shown, hidden):
    """The language chosen on the page, not only the address's, after the server stops."""
    with server_process(log_name="web-server-messages.log") as (url, server):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        tab = traffic.watch(context)
        try:
            tab.goto(url)
            tab.locator(".run-summary").wait_for()
            tab.locator(".language").get_by_text(language).click()
            code = "zh" if language == "中文" else "en"
            if code == "en":  # the switch is done once the page has written it into the address
                expect(tab).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
            expect(tab.locator(".one-run")).to_contain_text("单次模拟" if code == "zh" else "One run")
            server.terminate()
            server.wait(timeout=30)
            expect(tab.get_by_text(shown).first).to_be_visible()
            for element in tab.get_by_text(hidden).all():
                assert not element.is_visible()
        finally:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=SCREENSHOTS / f"lost_connection_{language}.png")
            context.close()
    # Nothing outside was asked for (the requests that failed went to the stopped server).
    assert not traffic.outside, traffic.outside
