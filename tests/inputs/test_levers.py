"""The plan's levers: listed from one definition, bounded, exact at status quo, and each
plan moving its own indicator in paired runs (same seed, common random numbers)."""

from __future__ import annotations

import json
import tomllib
from functools import cache

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.inputs.levers import plans
from sim.inputs.scenario import load_scenario
from sim.model.fiscal import COST_FLOWS, FISCAL_FLOWS, REVENUE_FLOWS
from sim.model.model import IndustryModel
from sim.reference.lever_docs import lever_rows, levers_markdown
from sim.run.results import quarterly_frame
from tests.conftest import BASELINE, ROOT
from tests.model.golden_run import GOLDEN_RUNS, read_golden, series
from tests.model.test_golden import assert_same_series

SCENARIOS = ROOT / "scenarios"
SEED = 3


@cache
def quarterly(scenario_file: str, *overrides: str) -> pd.DataFrame:
    scenario = load_scenario(SCENARIOS / scenario_file, list(overrides))
    return quarterly_frame(IndustryModel(scenario, rng=SEED).run())


def test_every_plan_has_levers_with_unit_bounds_mechanism_and_cost():
    rows = lever_rows()
    assert [plan.number for plan in plans().values()] == [*map(str, range(1, 11)), "TF"]
    assert {row["plan"] for row in rows} == {*map(str, range(1, 11)), "TF"}
    for row in rows:
        assert row["unit"] and row["mechanism"] and row["fiscal_cost"] and row["description"], row["lever"]
        assert row["low"] <= row["default"] <= row["high"], row["lever"]
        assert row["mechanism"].split(":")[0] in {
            "linkages",
            "innovation",
            "labour",
            "quality",
            "digital",
            "attraction",
            "commerce",
            "finance",
            "land",
            "green",
            "task forces",
        }, row["lever"]


def test_effect_sizes_are_bounded_parameters_with_the_default_in_the_middle():
    scenario = load_scenario(BASELINE).data
    for row in lever_rows():
        for effect in row["effects"]:
            path, bounds = effect.split(" [")
            low, high = (float(x) for x in bounds.rstrip("]").split(" .. "))
            section, name = path.split(".")
            default = getattr(getattr(scenario, section), name)
            assert low < high, path
            assert default == pytest.approx((low + high) / 2, rel=0.01), path


def test_levers_cli_text_and_json(capsys):
    assert main(["levers"]) == 0
    text = capsys.readouterr().out
    assert "== plan 10:" in text and "levers.task_forces.capacity_per_quarter" in text
    assert main(["levers", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["lever"] for row in data] == [row["lever"] for row in lever_rows()]


def test_docs_file_is_in_sync():
    actual = (ROOT / "docs" / "levers.md").read_text(encoding="utf-8")
    assert actual.rstrip("\n") == levers_markdown().rstrip("\n"), (
        "docs/levers.md is stale: run `python -m sim levers --markdown > docs/levers.md`"
    )


def test_levers_at_status_quo_reproduce_the_stored_baseline(tmp_path):
    """Every lever stated at its default reproduces the stored status-quo run exactly."""
    lines = ['extends = "' + str(BASELINE) + '"', 'name = "baseline"']
    for plan_key, plan in plans().items():
        lines.append(f"[levers.{plan_key}]")
        lines += [f"{name} = {field.default!r}" for name, field in plan.model_fields.items()]
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, seed = GOLDEN_RUNS["baseline_seed3"]
    assert_same_series(series(explicit, seed), read_golden("baseline_seed3"))


@pytest.mark.parametrize("row", lever_rows(), ids=lambda row: row["lever"])
def test_out_of_bound_levers_are_rejected_naming_the_lever(row):
    from sim.inputs.errors import InputError

    for value, rule in (
        (row["high"] + 1, "less than or equal to"),
        (row["low"] - 1, "greater than or equal to"),
    ):
        with pytest.raises(InputError) as error:
            load_scenario(BASELINE, [f"{row['lever']}={value:g}"])
        assert f"'{row['lever']}' = {value:g}" in str(error.value)
        assert rule in str(error.value)


def test_a_tariff_surcharge_needs_a_ceiling():
    from sim.inputs.errors import InputError

    with pytest.raises(InputError, match="tariff_surcharge = 0.1 needs an energy-intensity ceiling"):
        load_scenario(BASELINE, ["levers.green.tariff_surcharge=0.1"])


def final(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].iloc[-1])


def total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].iloc[1:].sum())


# Each plan alone against the baseline, same seed: (file, statistic, column, direction).
PLAN_EFFECTS = [
    ("plan_01_four_chain.toml", final, "local_input_share", +1),
    ("plan_01_four_chain.toml", total, "local_sourcing_yi", +1),
    ("plan_02_innovation.toml", final, "tech_enterprises", +1),
    ("plan_02_innovation.toml", total, "innovations", +1),
    ("plan_03_talent.toml", final, "skilled_pool", +1),
    ("plan_03_talent.toml", total, "skilled_hired", +1),
    ("plan_04_quality.toml", final, "quality_index", +1),
    ("plan_05_ai.toml", total, "digital_upgrades", +1),
    ("plan_05_ai.toml", final, "tier0_share", -1),
    ("plan_06_attraction.toml", total, "signed_output_yi", +1),
    ("plan_06_attraction.toml", total, "leads", +1),
    ("plan_07_commerce.toml", final, "channel_sales_yi", +1),
    ("plan_08_finance.toml", total, "loans_refused", -1),
    ("plan_08_finance.toml", total, "loans_approved", +1),
    ("plan_09_land.toml", final, "land_idle_mu", -1),
    ("plan_09_land.toml", total, "land_surrendered_mu", +1),
    ("plan_09_land.toml", total, "land_supplied_mu", +1),
    ("plan_10_green.toml", total, "retrofits", +1),
    ("all_plans.toml", final, "output_yi", +1),
    ("no_task_forces.toml", total, "task_force_leads", -1),
    ("no_task_forces.toml", total, "projects_signed", -1),
]


@pytest.mark.parametrize(("scenario_file", "statistic", "column", "direction"), PLAN_EFFECTS)
def test_each_plan_moves_its_own_indicator(scenario_file, statistic, column, direction):
    change = statistic(quarterly(scenario_file), column) - statistic(quarterly("baseline.toml"), column)
    assert np.sign(change) == direction, f"{scenario_file}: {column} changed by {change}"


def test_green_plan_lowers_energy_intensity_on_average():
    """In one run, which firms expand or exit moves the output-weighted intensity as much as
    the plan's retrofits do (about 1% by 2030), so the paired comparison averages five seeds."""
    changes = []
    for seed in range(5):
        runs = [
            quarterly_frame(IndustryModel(load_scenario(SCENARIOS / name), rng=seed).run())
            for name in ("plan_10_green.toml", "baseline.toml")
        ]
        changes.append(final(runs[0], "energy_intensity") - final(runs[1], "energy_intensity"))
    assert np.mean(changes) < 0, changes


def test_plan_files_hold_exactly_the_all_plans_settings():
    with (SCENARIOS / "all_plans.toml").open("rb") as handle:
        announced = tomllib.load(handle)["levers"]
    covered = set()
    for path in sorted(SCENARIOS.glob("plan_*.toml")):
        with path.open("rb") as handle:
            levers = tomllib.load(handle)["levers"]
        assert len(levers) == 1, path.name
        ((plan_key, settings),) = levers.items()
        assert settings == announced[plan_key], path.name
        covered.add(plan_key)
    assert covered == set(plans()) - {"task_forces"}


def test_fiscal_costs_follow_their_rules():
    base = quarterly("baseline.toml")
    scenario = load_scenario(BASELINE).data
    unit, levers = scenario.fiscal, scenario.levers
    # Status quo: only land preparation and reclaiming, and task-force staff, cost money.
    assert total(base, "fiscal_subsidies_yi") == 0 and total(base, "fiscal_talent_training_yi") == 0
    cases = round(levers.task_forces.capacity_per_quarter * (0.5 + scenario.task_forces.effort))
    staff = 24 * cases * unit.task_force_wan_per_case / 1e4
    assert base["fiscal_task_forces_yi"].iloc[1:].to_numpy() == pytest.approx(staff)
    land = (
        base["land_supplied_mu"] * unit.land_preparation_wan_per_mu
        + base["land_reclaimed_mu"] * unit.reclaim_wan_per_mu
    ) / 1e4
    assert base["fiscal_land_yi"].to_numpy() == pytest.approx(land.to_numpy())
    gross, revenue = base[list(COST_FLOWS)].sum(axis=1), base[list(REVENUE_FLOWS)].sum(axis=1)
    assert base["fiscal_gross_cost_yi"].to_numpy() == pytest.approx(gross.to_numpy())
    assert base["fiscal_revenue_yi"].to_numpy() == pytest.approx(revenue.to_numpy())
    assert base["fiscal_net_cost_yi"].to_numpy() == pytest.approx((gross - revenue).to_numpy())

    plan = quarterly("all_plans.toml")
    for column in FISCAL_FLOWS:
        assert total(plan, column) > 0, column
    talent = load_scenario(SCENARIOS / "all_plans.toml").data.levers.talent
    yearly = (
        talent.recruited_talent_per_year * unit.settling_allowance_wan
        + talent.training_places_per_year * unit.training_wan_per_place
    ) / 1e4
    assert plan["fiscal_talent_training_yi"].iloc[1:].to_numpy() == pytest.approx(yearly / 4)


def test_run_prints_the_fiscal_table(capsys):
    assert main(["run", str(SCENARIOS / "plan_08_finance.toml"), "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "district budget: cost, revenue and net cost, 亿元" in out
    header = next(line for line in out.splitlines() if line.lstrip().startswith("year  subsidies"))
    wanted = ("interest", "gross cost", "VAT", "income tax", "land sales", "revenue", "net cost")
    assert all(column in header for column in wanted) and "risk pool" in header


def test_compare_prints_both_scenarios_and_differences(capsys):
    args = ["compare", str(BASELINE), str(SCENARIOS / "all_plans.toml"), "--seed", str(SEED)]
    assert main(args) == 0
    out = capsys.readouterr().out
    for label in ("output 亿元", "[1] local input share", "[8] loan approval rate", "net fiscal cost 亿元"):
        assert label in out
    assert "  all_plans" in out and "  difference" in out
    assert main([*args, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    output_2030 = next(r for r in records if r["column"] == "output_yi" and r["year"] == 2030)
    baseline_2030 = float(quarterly("baseline.toml").groupby("year")["output_yi"].sum()[2030])
    assert output_2030["first"] == pytest.approx(baseline_2030)
    assert output_2030["difference"] == pytest.approx(output_2030["second"] - output_2030["first"])
