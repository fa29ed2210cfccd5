"""Ranged base-year figures as scenario paths (`world.figures.<section>.<figure>`), and tuple items."""

from __future__ import annotations

import pytest

from sim.inputs.base_year import BaseYearData, RangedFigure, load_base_year, ranged_figures
from sim.inputs.errors import InputError
from sim.inputs.scenario import load_scenario, value_at, with_values
from sim.model.model import IndustryModel


def test_every_ranged_figure_of_the_base_year_schema_has_a_scenario_path():
    ranged = {
        f"{section}.{name}"
        for section, block in BaseYearData.model_fields.items()
        for name, field in getattr(block.annotation, "model_fields", {}).items()
        if field.annotation is RangedFigure
    }
    paths = ranged_figures()
    assert set(paths) == ranged
    assert paths["output.gross_output_yi"] == "world.gross_output_yi"  # its own, older field
    assert paths["land.occupied_mu"] == "world.figures.land.occupied_mu"


def test_a_figure_override_builds_the_world_from_the_overridden_value(baseline_scenario):
    scenario = load_scenario(baseline_scenario.source, ["world.figures.land.occupied_mu=15000"])
    model = IndustryModel(scenario, rng=3, base_year=load_base_year())  # an explicit file is overridden too
    assert model.base_year.land.occupied_mu.value == 15000
    assert model.parcels.area[: model.firms.n].sum() == pytest.approx(15000)
    default = IndustryModel(baseline_scenario, rng=3)
    assert default.base_year.land.occupied_mu.value == 18000


def test_a_figure_override_outside_its_documented_range_is_refused(baseline_scenario):
    with pytest.raises(
        InputError,
        match=r"world\.figures\.land\.occupied_mu' = 1000.0: must lie within the range \[14000.0, 24000.0\]",
    ):
        IndustryModel(load_scenario(baseline_scenario.source, ["world.figures.land.occupied_mu=1000"]))


def test_a_tuple_item_is_a_path_of_its_own():
    raw = {"digital": {"upgrade_cost": [0.05, 0.1, 0.2]}}
    changed = with_values(raw, {"digital.upgrade_cost.1": 0.15}, "test")
    assert changed["digital"]["upgrade_cost"] == [0.05, 0.15, 0.2]
    assert raw["digital"]["upgrade_cost"][1] == 0.1  # a copy
    assert value_at(changed, "digital.upgrade_cost.2") == 0.2
    assert value_at(changed, "digital.upgrade_cost.3") is None
    with pytest.raises(InputError, match="'3' is not an item"):
        with_values(raw, {"digital.upgrade_cost.3": 0.1}, "test")


def test_a_scenario_with_figure_overrides_pickles_for_worker_processes():
    """The overrides' schema is built at import; its classes must be importable by name, or a
    scenario cannot be sent to a worker (the calibration's predictive runs failed so)."""
    import pickle

    from sim.inputs.scenario import load_scenario
    from sim.paths import SCENARIOS_DIR

    scenario = load_scenario(SCENARIOS_DIR / "baseline.toml", ["world.figures.land.occupied_mu=16000"])
    assert pickle.loads(pickle.dumps(scenario)) == scenario
