"""The package's public names, and that reading inputs stays cheap (no Mesa import)."""

from __future__ import annotations

import subprocess
import sys

import sim
from tests.conftest import ROOT


def test_every_public_name_resolves():
    for name in sim.__all__:
        assert getattr(sim, name) is not None, name


def test_checking_inputs_does_not_import_the_model():
    code = (
        "import sys\n"
        "from sim.inputs.scenario import load_scenario\n"
        "from sim.inputs.base_year import load_scenario_base_year\n"
        "load_scenario_base_year(load_scenario('scenarios/baseline.toml'))\n"
        "print('mesa' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_public_names_are_the_lazy_table():
    assert set(sim.__all__) - {"__version__"} == set(sim._PUBLIC)
