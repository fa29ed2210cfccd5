"""Refuse requests no page of ours sends: an unknown Host, or an Origin of another site.

- Host: a hostile site whose name resolves to this machine (DNS rebinding) sends its
  own name; only the names of this server are accepted (400 otherwise).
- Origin: browsers name the page that sent a WebSocket, a fetch or a form; only pages
  of an allowed host on the port the request names may (403 otherwise), so another
  site's page can neither open a session nor post to the server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from sim.inputs.errors import InputError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
DEFAULT_PORTS = {"http": 80, "https": 443}


def host_name(text: str) -> str:
    """A host name as the Host header carries it: lower case, an IPv6 address in brackets."""
    name = text.strip().lower()
    try:
        if ipaddress.ip_address(name.strip("[]")).version == 6:
            return f"[{name.strip('[]')}]"
    except ValueError:
        pass
    return name


def allowed_hosts(listen_host: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Loopback names, the address listened on (unless it is every address) and `extra`."""
    names = [*LOOPBACK_NAMES]
    if listen_host not in WILDCARD_ADDRESSES:
        names.append(host_name(listen_host))
    names += [host_name(name) for name in extra]
    return tuple(dict.fromkeys(names))


def _netloc(host_header: str) -> SplitResult | None:
    """Host and port of a Host header, or None when it is not one."""
    try:
        parts = urlsplit(f"//{host_header}")
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return None
    if not parts.hostname or parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    return parts


def check_host_names(names: Iterable[str]) -> None:
    """Refuse an `--allow-host` that is not a bare host name (no scheme, port, path or wildcard)."""
    for name in names:
        parts = _netloc(host_name(name))
        if parts is None or parts.port is not None or "*" in name:
            raise InputError(
                f"--allow-host {name!r}: expected a bare host name or address as browsers reach the "
                "server, e.g. sim.intranet or 10.0.0.5 (no http://, port or wildcard)"
            )


class RequestGuard:
    """Check Host, then Origin, of every HTTP and WebSocket request before the app sees it.

    A refused WebSocket is answered with a plain HTTP error instead of the upgrade.
    """

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.hosts = hosts
        self.inner = app
        self.app = TrustedHostMiddleware(self._check_origin, allowed_hosts=list(hosts), www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    async def _check_origin(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and not self.origin_allowed(origin, headers.get("host", "")):
                await PlainTextResponse("Origin not allowed", status_code=403)(scope, receive, send)
                return
        await self.inner(scope, receive, send)

    def origin_allowed(self, origin: str, host_header: str) -> bool:
        """An Origin of an allowed host, on the port the request's Host names (if it names one)."""
        try:
            parts = urlsplit(origin)
            origin_port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:  # a port that is not a number
            return False
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return False  # "null" (a sandboxed frame, a local file), or a non-web scheme
        if host_name(parts.hostname) not in self.hosts:
            return False
        host = _netloc(host_header)
        return host is not None and (host.port is None or host.port == origin_port)
