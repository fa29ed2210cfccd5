"""How the page's server sets Solara up for speed: the fast renderer, matplotlib's settings for the server."""

from __future__ import annotations

import os
import subprocess
import sys

from sim.web.server import render_changed_parts_only

# What the server does, then what Solara does once it has executed the app (it patches
# matplotlib then), in a process of its own: importing Solara's server patches the process.
SERVER_THEN_SOLARA = """
import os
os.environ["SOLARA_APP"] = "sim.web.app"
import matplotlib
from sim.web.server import configure_offline, matplotlib_settings_for_the_server
configure_offline()
matplotlib_settings_for_the_server()
import solara.server.patch
solara.server.patch.patch_heavy_imports()
print(type(matplotlib.rcParams).__qualname__, matplotlib.RcParams.__qualname__)
"""


def test_matplotlib_settings_stay_the_servers_after_solaras_patch() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", SERVER_THEN_SOLARA], check=True, capture_output=True, text=True
    ).stdout.split()
    assert shown == ["RcParams", "RcParams"]  # not Solara's per-session RcParamsScoped


def test_the_fast_renderer_unless_the_environment_chose(monkeypatch) -> None:
    monkeypatch.delenv("REACTON_FAST", raising=False)
    render_changed_parts_only()
    assert os.environ["REACTON_FAST"] == "1"
    monkeypatch.setenv("REACTON_FAST", "0")
    render_changed_parts_only()
    assert os.environ["REACTON_FAST"] == "0"
