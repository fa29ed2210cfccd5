"""What the server promises (docs/server.md), checked with real requests to `python -m sim web`.

Any web page the user visits can make the browser send a GET (an `<img>` tag), a form
POST or a WebSocket to our server, and a hostile site can make its own name resolve to
127.0.0.1 (DNS rebinding). None of these may change the server's files, make it call
the internet, or reach a session.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import solara.server.settings

from tests.conftest import run_cli
from tests.web.conftest import running_server

ASSETS = Path(solara.server.settings.assets.proxy_cache_dir)
STYLESHEET = "font-awesome@4.5.0/css/font-awesome.min.css"
PROXY_NAME = "sim.intranet"
KERNEL = "/jupyter/api/kernels/test-kernel/channels?session_id=test-page"


class FakeCdn:
    """A local port standing in for the public CDN: it counts the connections it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


@pytest.fixture(scope="module")
def cdn() -> Iterator[FakeCdn]:
    fake = FakeCdn()
    yield fake
    fake.sock.close()


@pytest.fixture(scope="module")
def server(cdn) -> Iterator[tuple[str, int]]:
    """The server as deployed behind a proxy: loopback names plus one allowed intranet name."""
    with running_server(
        "--allow-host", PROXY_NAME, log_name="web-server-security.log", env={"SOLARA_ASSETS_CDN": cdn.url}
    ) as url:
        parts = urlsplit(url)
        assert parts.hostname is not None and parts.port is not None
        yield parts.hostname, parts.port


def request(
    server: tuple[str, int], path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, bytes]:
    host, port = server
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(method, path, headers={"Host": f"{host}:{port}", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def websocket_status(server: tuple[str, int], headers: dict[str, str]) -> int:
    """The status of a WebSocket upgrade to the page's kernel channel (101: a session opens)."""
    key = base64.b64encode(os.urandom(16)).decode()
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key}
    status, _ = request(server, KERNEL, {**upgrade, "Sec-WebSocket-Version": "13", **headers})
    return status


def own_origin(server: tuple[str, int]) -> str:
    return f"http://{server[0]}:{server[1]}"


def test_the_page_and_its_stylesheet_are_served(server):
    assert request(server, "/")[0] == 200
    status, body = request(server, f"/_solara/cdn/{STYLESHEET}")
    assert status == 200 and body.startswith(b"/*!")


def test_a_get_for_a_folder_of_the_assets_deletes_nothing(server):
    folder = ASSETS / "font-awesome@4.5.0" / "css"
    assert folder.is_dir()
    assert request(server, "/_solara/cdn/font-awesome@4.5.0/css")[0] == 404
    assert request(server, "/_solara/cdn/font-awesome@4.5.0")[0] == 404
    assert folder.is_dir() and (ASSETS / STYLESHEET).is_file()
    assert request(server, f"/_solara/cdn/{STYLESHEET}")[0] == 200


def test_a_missing_asset_is_a_404_without_any_outbound_request(server, cdn):
    before = cdn.connections
    for path in ("no-such-package@1.0.0/index.js", "no-such-package@1.0.0", "font-awesome@4.5.0/css/x.css"):
        assert request(server, f"/_solara/cdn/{path}")[0] == 404
    assert cdn.connections == before, "the server called the CDN"
    assert not (ASSETS / "no-such-package@1.0.0").exists(), "the server wrote into the assets"


def test_paths_out_of_the_assets_are_refused(server):
    for path in ("/_solara/cdn/../../../../etc/passwd", "/_solara/cdn/%2e%2e/%2e%2e/%2e%2e/etc/passwd"):
        status, body = request(server, path)
        assert status == 404 and b"root:" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", ""])
def test_a_request_naming_another_host_is_refused(server, host):
    assert request(server, "/", {"Host": host})[0] == 400
    assert request(server, f"/_solara/cdn/{STYLESHEET}", {"Host": host})[0] == 400
    assert websocket_status(server, {"Host": host, "Origin": f"http://{host}"}) == 400


def test_a_websocket_from_another_sites_page_is_refused(server):
    for origin in ("http://evil.example", "https://evil.example", "null", f"http://{server[0]}:1"):
        assert websocket_status(server, {"Origin": origin}) == 403, origin


def test_a_websocket_from_our_own_page_opens(server):
    assert websocket_status(server, {"Origin": own_origin(server)}) == 101
    by_name = f"localhost:{server[1]}"
    assert websocket_status(server, {"Host": by_name, "Origin": f"http://{by_name}"}) == 101


def test_a_cross_site_post_is_refused(server):
    status, _ = request(server, "/_solara/api/close/test-kernel", {"Origin": "http://evil.example"}, "POST")
    assert status == 403


def test_an_allowed_name_behind_a_proxy_is_served(server):
    """A proxy on https://sim.intranet that passes the Host header on, as docs/server.md says."""
    assert request(server, "/", {"Host": PROXY_NAME})[0] == 200
    assert websocket_status(server, {"Host": PROXY_NAME, "Origin": f"https://{PROXY_NAME}"}) == 101
    assert websocket_status(server, {"Host": PROXY_NAME, "Origin": "https://evil.example"}) == 403


def test_a_port_out_of_range_is_an_input_error():
    result = run_cli("web", "--port", "99999")
    assert result.code == 2 and "ports are 1-65535" in result.err


@pytest.mark.parametrize("name", ["http://sim.intranet", "sim.intranet:8080", "*.intranet", ""])
def test_an_allowed_host_must_be_a_bare_name(name):
    result = run_cli("web", "--allow-host", name)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--allow-host" in result.err


def test_a_port_in_use_is_an_input_error(server):
    result = run_cli("web", "--port", str(server[1]))
    assert result.code == 2
    assert result.err.count("\n") == 1 and "cannot listen there" in result.err
