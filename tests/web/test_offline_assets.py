"""Every script, style and font Solara's page template names is installed, so no CDN is needed.

Guards the pins in pyproject.toml: a Solara whose template names a front-end bundle that
the installed solara-assets lacks would make the server fetch it from a CDN (and hang
offline). The browser tests check the same for real, request by request.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import solara.server.server
import solara.server.settings

TEMPLATE = Path(solara.server.server.__file__).parent / "templates" / "solara.html.j2"


def cdn_paths() -> list[str]:
    """Asset paths under `{{cdn}}` of the Vue 2 branch of the template (ipyvue < 2)."""
    widgets_major = version("ipywidgets").split(".")[0]
    paths = re.findall(r"\{\{cdn\}\}(/[^\"' ]+)", TEMPLATE.read_text())
    paths = [path.replace("{{ipywidget_major_version}}", widgets_major) for path in paths]
    return [path for path in paths if "vuetify3" not in path and "{{" not in path]


def test_the_page_uses_vue_2_widgets():
    assert int(version("ipyvue").split(".")[0]) < 2 and int(version("ipyvuetify").split(".")[0]) < 2


def test_every_asset_of_the_template_is_installed():
    cache = solara.server.settings.assets.proxy_cache_dir
    paths = [*cdn_paths(), solara.server.settings.assets.fontawesome_path]
    assert any("solara-vuetify-app" in path for path in paths)
    missing = [path for path in paths if not (cache / path.lstrip("/")).is_file()]
    assert not missing, f"not in {cache} (solara-assets): {missing}"


def test_the_fonts_the_styles_name_are_installed():
    cache = solara.server.settings.assets.proxy_cache_dir
    for path in cdn_paths():
        if path.endswith(".css"):
            css = cache / path.lstrip("/")
            for url in re.findall(r"url\(([^)]+)\)", css.read_text()):
                url = url.strip("'\"").split("?")[0].split("#")[0]
                if url.startswith("data:"):
                    continue
                assert not url.startswith("http"), f"{path} fetches {url}"
                assert (css.parent / url).is_file(), f"{path} names {url}, not installed"
