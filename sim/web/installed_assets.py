"""Solara's front-end files served read-only from the installed `solara-assets` package.

Solara's own asset route (`/_solara/cdn/...`) treats its folder as a cache: a request
for a folder deletes it, and a path it lacks is fetched from a public CDN and written
in. Any web page can send such a GET (an `<img>` tag will do), so the page's stylesheet
could be deleted and the server made to call the internet. This route serves a file of
the folder or answers 404, and never writes, deletes or fetches.
"""

from __future__ import annotations

import os
from pathlib import Path

import solara.server.settings
import solara.server.starlette
from solara.server.starlette import StaticCdn
from starlette.routing import Mount

ROUTE = "/_solara/cdn"


class InstalledAssets(StaticCdn):
    """Solara's asset route (its compression and cache headers) over the installed files only."""

    def __init__(self, folder: Path) -> None:
        # check_dir=False: a missing folder (solara-assets not installed) gives 404s, not a crash.
        super().__init__(directory=folder, check_dir=False)
        self.folder = folder

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        # Solara stores a bare package path (`name@1.0`) as `name@1.0/__main.js`.
        stored = path if "/" in path.replace("\\", "/").strip("/") else f"{path}/__main.js"
        root = self.folder.resolve()
        candidate = (root / stored).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return "", None
        return str(candidate), candidate.stat()


def serve_installed_assets_only() -> None:
    """Put the read-only route in place of Solara's in Solara's app (for every way of serving it)."""
    routes = solara.server.starlette.app.router.routes
    routes[:] = [route for route in routes if getattr(route, "path", None) != ROUTE]
    folder = Path(solara.server.settings.assets.proxy_cache_dir)
    routes.insert(0, Mount(ROUTE, app=InstalledAssets(folder)))
