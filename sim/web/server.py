"""`python -m sim web`: serve the page with everything it needs from this machine.

Solara's front end (scripts, styles, fonts) is served from the `solara-assets` package
through Solara's asset proxy, which looks in its cache folder (where that package
installs) before any CDN; `pyproject.toml` pins the versions that match. The server's
own calls home are switched off: usage telemetry, and the check page that development
mode embeds.
"""

from __future__ import annotations

import os

APP = "sim.web.app"
OFFLINE_ENVIRONMENT = {
    "SOLARA_ASSETS_PROXY": "true",  # front end from the installed assets, not a CDN
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_MODE": "production",  # no check page, no auto-reload
}


def configure_offline() -> None:
    """Apply OFFLINE_ENVIRONMENT to a Solara server already imported (as under `solara run`)."""
    import solara.server.settings
    import solara.settings

    solara.settings.assets.proxy = True
    solara.server.settings.telemetry.mixpanel_enable = False
    solara.server.settings.main.mode = "production"


def serve(host: str, port: int) -> None:
    """Run the page's server until interrupted."""
    os.environ.update(OFFLINE_ENVIRONMENT)
    os.environ["SOLARA_APP"] = APP
    import uvicorn

    print(f"serving the Dazu web page on http://{host}:{port} (Ctrl-C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
