"""Every script, style and font Solara's page template names ships in solara-assets, so no CDN is needed.

Guards the pins in pyproject.toml: a Solara whose template names a front-end bundle that
the installed solara-assets lacks would make the server fetch it from a CDN (and hang
offline). The check is against the files the solara-assets distribution installs, not
the cache folder they land in, which a server with internet access may have filled
since. The browser tests check the same for real, request by request.
"""

from __future__ import annotations

import posixpath
import re
from importlib.metadata import files, version
from pathlib import Path

import solara.server.server
import solara.server.settings

TEMPLATE = Path(solara.server.server.__file__).parent / "templates" / "solara.html.j2"
CDN_FOLDER = "share/solara/cdn/"  # where solara-assets installs, under the environment's prefix


def shipped() -> dict[str, Path]:
    """Asset path (as under `{{cdn}}`, without the leading /) -> installed file, of solara-assets."""
    found = {}
    for file in files("solara-assets") or []:
        name = file.as_posix()
        if CDN_FOLDER in name:
            found[name.split(CDN_FOLDER, 1)[1]] = Path(file.locate())
    return found


def cdn_paths() -> list[str]:
    """Asset paths under `{{cdn}}` of the Vue 2 branch of the template (ipyvue < 2)."""
    widgets_major = version("ipywidgets").split(".")[0]
    paths = re.findall(r"\{\{cdn\}\}(/[^\"' ]+)", TEMPLATE.read_text())
    paths = [path.replace("{{ipywidget_major_version}}", widgets_major) for path in paths]
    return [path for path in paths if "vuetify3" not in path and "{{" not in path]


def test_the_page_uses_vue_2_widgets():
    assert int(version("ipyvue").split(".")[0]) < 2 and int(version("ipyvuetify").split(".")[0]) < 2


def test_every_asset_of_the_template_ships_in_solara_assets():
    paths = [*cdn_paths(), solara.server.settings.assets.fontawesome_path]
    assert any("solara-vuetify-app" in path for path in paths)
    missing = [path for path in paths if path.lstrip("/") not in shipped()]
    assert not missing, f"not shipped by solara-assets {version('solara-assets')}: {missing}"


def test_the_fonts_the_styles_name_ship_too():
    assets = shipped()
    for path in cdn_paths():
        if path.endswith(".css"):
            name = path.lstrip("/")
            for url in re.findall(r"url\(([^)]+)\)", assets[name].read_text()):
                url = url.strip("'\"").split("?")[0].split("#")[0]
                if url.startswith("data:"):
                    continue
                assert not url.startswith("http"), f"{path} fetches {url}"
                assert posixpath.normpath(posixpath.join(posixpath.dirname(name), url)) in assets, (
                    f"{path} names {url}, not shipped"
                )
