"""`python -m sim web`: serve the page with everything it needs from this machine, to its own pages only.

What the server promises is in docs/server.md: it listens where `--host` says (127.0.0.1
by default); Solara's front end comes read-only from the installed `solara-assets`
package (sim/web/installed_assets.py; `pyproject.toml` pins the versions that match),
never from a CDN; usage telemetry and development mode's check page are off; and a
request must name an allowed host and come from a page of one (sim/web/request_guard.py).
"""

from __future__ import annotations

import gc
import os
import socket
import threading
import warnings

import uvicorn

from sim.inputs.errors import InputError
from sim.web.request_guard import RequestGuard, allowed_hosts, check_host_names

APP = "sim.web.app"


def configure_offline() -> None:
    """Set Solara up to need nothing from outside; the app calls it too, for `solara run`."""
    import solara.server.settings
    import solara.settings

    from sim.web.installed_assets import serve_installed_assets_only

    solara.settings.assets.proxy = True  # front end from the installed assets, not a CDN
    solara.server.settings.telemetry.mixpanel_enable = False
    solara.server.settings.main.mode = "production"  # no check page, no auto-reload
    serve_installed_assets_only()


def render_changed_parts_only() -> None:
    """Use reacton's fast renderer, which renders and updates only the parts of the page that changed.

    Reacton's default renderer walks the whole page at every render and sets every widget's
    properties again (here about 680 elements and 325 widgets: 40-70 ms on this machine),
    and a Step renders three times (buttons busy, the step drawn, buttons free again). The
    fast renderer (`REACTON_FAST=1`, shipped with reacton and checked against the default
    one by its tests) skips every component whose state and arguments did not change: the
    levers, the odds and the search stay as they are while a run steps. It is chosen for
    each render context, that is each session, so it is set before the first; an
    environment that sets `REACTON_FAST` itself keeps its choice.
    """
    os.environ.setdefault("REACTON_FAST", "1")


def matplotlib_settings_for_the_server() -> None:
    """Keep matplotlib's settings the server's, not one copy per session, as Solara makes them.

    Solara gives each session its own `matplotlib.rcParams`, for pages that set them per
    session through pyplot. The page does not: its figures are plain `Figure`s, its font
    is set once for the server (sim.analysis.chart_font), and the one setting it changes
    while drawing, the SVG's text as text or outlines, is changed under a lock
    (sim.web.charts.to_svg). Per session, every one of the tens of thousands of settings
    matplotlib reads in a step's drawing went through Solara's lookup of the current
    session, about a tenth of the drawing's time. Solara applies that patch once
    (`solara.server.patch.patch_matplotlib`, which returns how to undo it, and returns the
    same on later calls without patching again); this applies it and undoes it at once,
    before Solara does, so that it stays undone.
    """
    import solara.server.app  # noqa: F401  # first: it imports solara.server.patch, which imports it
    import solara.server.patch

    solara.server.patch.patch_matplotlib()()


def serve(host: str, port: int, extra_hosts: tuple[str, ...] = ()) -> None:
    """Run the page's server until interrupted; an InputError if the port cannot be had.

    The "serving on" line (which the browser tests wait for) is printed once the server
    accepts connections, so it means the page can be loaded.
    """
    check_host_names(extra_hosts)
    hosts = allowed_hosts(host, extra_hosts)
    sock = _bound_socket(host, port)
    os.environ["SOLARA_APP"] = APP  # read when Solara's server module is first imported
    configure_offline()
    render_changed_parts_only()
    matplotlib_settings_for_the_server()
    # Solara warns on every plain-http page load that cookies fall back to samesite=lax,
    # which is what a page served on an intranet without https wants.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import solara.server.starlette

    from sim.web.state import warm_up

    freeze_after(warm_up())
    config = uvicorn.Config(RequestGuard(solara.server.starlette.app, hosts), log_level="warning")
    shown = f"[{host}]" if ":" in host else host
    line = (
        f"serving the Dazu web page on http://{shown}:{port} (Ctrl-C stops it); "
        f"allowed host names: {', '.join(hosts)}"
    )
    _AnnouncingServer(config, line).run(sockets=[sock])


def freeze_after(warm_up: threading.Thread) -> threading.Thread:
    """Once the warm-up is done, keep what the server holds for life out of the garbage collector's way.

    The imports, the compiled loops and the first baseline are about 440,000 objects, which
    every full collection scanned: 0.2 s at a time on this machine (1 s under load), set off
    at random by a step's drawing, and after every closed session by Solara's
    `kernel.gc_after_close`. Frozen (`gc.freeze`), a collection scans the sessions' own
    objects only (5-15 ms), so Solara's collection after a session closes stays on: it
    gives a closed session's memory back at once, for next to nothing.
    """

    def freeze() -> None:
        warm_up.join()
        gc.collect()  # not to keep the start-up's garbage for ever
        gc.freeze()

    thread = threading.Thread(target=freeze, name="freeze-after-warm-up", daemon=True)
    thread.start()
    return thread


def _bound_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise InputError(
            f"--host {host} --port {port}: cannot listen there ({reason}); "
            "is another server using the port, or is the address not this machine's? "
            "Choose another with --port or --host"
        ) from None
    return sock


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints one line once it accepts connections."""

    def __init__(self, config: uvicorn.Config, line: str) -> None:
        super().__init__(config)
        self.line = line

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:
            print(self.line, flush=True)
