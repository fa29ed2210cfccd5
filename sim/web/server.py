"""`python -m sim web`: serve the page with everything it needs from this machine.

Solara's front end (scripts, styles, fonts) is served from the `solara-assets` package
through Solara's asset proxy, which looks in its cache folder (where that package
installs) before any CDN; `pyproject.toml` pins the versions that match. The server's
own calls home are switched off: usage telemetry, and the check page that development
mode embeds.
"""

from __future__ import annotations

import os
import socket
import warnings

from sim.inputs.errors import InputError

APP = "sim.web.app"


def configure_offline() -> None:
    """Set Solara up to need nothing from outside; the app calls it too, for `solara run`."""
    import solara.server.settings
    import solara.settings

    solara.settings.assets.proxy = True  # front end from the installed assets, not a CDN
    solara.server.settings.telemetry.mixpanel_enable = False
    solara.server.settings.main.mode = "production"  # no check page, no auto-reload


def serve(host: str, port: int) -> None:
    """Run the page's server until interrupted; an InputError if the port cannot be had.

    The socket is bound before the "serving on" line is printed, so the line (which the
    browser tests wait for) means the address is ours.
    """
    os.environ["SOLARA_APP"] = APP
    configure_offline()
    # Solara warns on every plain-http page load that cookies fall back to samesite=lax,
    # which is what a page served on an intranet without https wants.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(
            f"--host {host} --port {port}: cannot listen there ({exc.strerror}); "
            "is another server using the port? Choose another with --port"
        ) from None
    print(f"serving the Dazu web page on http://{host}:{port} (Ctrl-C stops it)", flush=True)
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
