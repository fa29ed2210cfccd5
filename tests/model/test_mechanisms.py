"""Each mechanism's parameter moves the indicator it acts on (paired runs, same seed).

These are the handles the plan's levers will use; a parameter that moved nothing, or
moved only output, would fail here.
"""

from __future__ import annotations

import pytest

from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from sim.run.results import quarterly_frame
from tests.conftest import BASELINE

SEED = 4


def totals(overrides: list[str]) -> dict:
    model = IndustryModel(load_scenario(BASELINE, overrides), rng=SEED).run()
    frame = quarterly_frame(model).iloc[1:]
    final = frame.iloc[-1]
    return {"sum": frame.sum(numeric_only=True), "final": final, "model": model}


@pytest.fixture(scope="module")
def base() -> dict:
    return totals([])


@pytest.mark.parametrize(
    ("overrides", "kind", "indicator", "direction"),
    [
        (
            ["levers.ai.upgrade_subsidy_rate=0.6", "levers.ai.industry_brain_clusters=13"],
            "sum",
            "digital_upgrades",
            +1,
        ),
        (
            ["levers.innovation.rd_subsidy_rate=0.5", "levers.innovation.platforms=30"],
            "sum",
            "innovations",
            +1,
        ),
        (["labour.skilled_inflow_per_year=12000"], "final", "skilled_share", +1),
        (["attraction.leads_per_year=150"], "sum", "projects_signed", +1),
        (["levers.land.extra_supply_mu_per_year=5000"], "final", "land_vacant_mu", +1),
        (["levers.land.reclaim_rate=0.6"], "final", "land_idle_mu", -1),
        (
            ["levers.finance.risk_compensation=0.8", "finance.risk_sensitivity=0.25"],
            "sum",
            "loans_refused",
            -1,
        ),
        (["levers.green.retrofit_subsidy_rate=0.6", "green.base_rate=0.2"], "final", "energy_intensity", -1),
        (["demography.exit_hazard_small=0.2"], "sum", "exits", +1),
        (["environment.demand_growth_shift=0.05"], "sum", "output_yi", +1),
    ],
)
def test_parameter_moves_its_indicator(base, overrides, kind, indicator, direction):
    changed = totals(overrides)
    difference = changed[kind][indicator] - base[kind][indicator]
    assert difference * direction > 0, f"{indicator}: {base[kind][indicator]} -> {changed[kind][indicator]}"


def test_task_force_support_raises_conversion(base):
    none = totals(["levers.task_forces.capacity_per_quarter=0"])
    strong = totals(["levers.task_forces.capacity_per_quarter=40", "task_forces.effort=0.6"])
    assert strong["sum"]["projects_signed"] > none["sum"]["projects_signed"]


def test_quality_spending_raises_the_quality_index(base):
    changed = totals(["levers.quality.quality_subsidy_rate=0.5"])
    alive = changed["model"].firms.alive
    assert (
        changed["model"].firms.quality[alive].mean()
        > base["model"].firms.quality[base["model"].firms.alive].mean()
    )


def test_intensity_mandate_curtails_output(base):
    mandated = totals(["levers.green.intensity_cap=0.446", "green.max_curtailment=0.5"])
    assert mandated["model"].firms.curtailment.any()
    assert mandated["sum"]["output_yi"] < base["sum"]["output_yi"]
