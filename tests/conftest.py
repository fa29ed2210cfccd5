"""Shared fixtures: finished runs are reused across tests to keep the suite fast."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="session")
def baseline_scenario():
    return load_scenario(BASELINE)


@pytest.fixture(scope="session")
def baseline_run(baseline_scenario) -> IndustryModel:
    return IndustryModel(baseline_scenario, rng=11).run()
