"""The talent plan raises output where skilled labour binds, and leaves it alone where it does not.

Skilled workers gate digital upgrades, carry out R&D and spare firms the productivity lost to
a skills gap (sim/model/mechanisms/labour.py, digital.py, innovation.py). In paired runs
(same seeds) with the skilled pool starved, the plan's extra skilled workers are hired and
output rises; with a pool far larger than firms can use, the same plan changes nothing
but the idle pool.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from sim.run.results import annual_frame
from tests.conftest import ROOT

SEEDS = (1, 2, 3)
TALENT = ["levers.talent.recruited_talent_per_year=3000", "levers.talent.training_places_per_year=10000"]
# Firms keen to upgrade, so the skill gates are tested.
KEEN = ["digital.base_rate=0.106"]
SCARCE = [
    "labour.skilled_inflow_per_year=0",
    "labour.training_rate=0",
    "world.figures.heterogeneity.skilled_pool_share=0.01",
]
ABUNDANT = ["labour.skilled_inflow_per_year=50000"]


@cache
def last_year(*overrides: str) -> tuple[tuple[float, float], ...]:
    """(output, skilled hired over the run) in the last year, one per seed."""
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml", [*KEEN, *overrides])
    rows = []
    for seed in SEEDS:
        annual = annual_frame(IndustryModel(scenario, rng=seed).run())
        rows.append((float(annual["output_yi"].iloc[-1]), float(annual["skilled_hired"].sum())))
    return tuple(rows)


def _gain(market: list[str]) -> tuple[np.ndarray, np.ndarray]:
    without = np.array(last_year(*market))
    with_talent = np.array(last_year(*market, *TALENT))
    return with_talent[:, 0] - without[:, 0], with_talent[:, 1] - without[:, 1]


def test_where_skilled_labour_binds_the_talent_plan_is_hired_and_raises_output():
    output_gain, hired_gain = _gain(SCARCE)
    assert (hired_gain > 0).all(), hired_gain
    assert (output_gain > 0).all(), f"2030 output gain per seed: {output_gain}"


def test_where_skilled_labour_is_abundant_the_talent_plan_moves_output_by_almost_nothing():
    output_gain, _ = _gain(ABUNDANT)
    base = np.array(last_year(*ABUNDANT))[:, 0]
    relative = output_gain / base
    assert np.abs(relative).max() < 0.002, f"relative 2030 output change per seed: {relative}"
