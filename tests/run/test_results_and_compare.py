"""One run's tables: annual figures from the quarters, targets against them, paired comparisons."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.inputs.scenario import load_scenario
from sim.model.indicators import FLOWS, STOCKS
from sim.model.model import IndustryModel
from sim.paths import SCENARIOS_DIR
from sim.run.compare import COMPARED, compare, comparison_rows
from sim.run.results import annual_columns, annual_frame, quarterly_frame, target_results
from tests.conftest import BASELINE, ROOT, run_cli


def test_annual_flows_sum_their_quarters_and_stocks_are_the_year_end(baseline_run):
    quarterly = quarterly_frame(baseline_run).iloc[1:]
    annual = annual_frame(baseline_run).set_index("year")
    for year, quarters in quarterly.groupby("year"):
        assert annual.loc[year, "output_yi"] == pytest.approx(quarters["output_yi"].sum())
        for column in ("investment_yi", "fiscal_gross_cost_yi", "fiscal_revenue_yi", "fiscal_net_cost_yi"):
            assert column in FLOWS
            assert annual.loc[year, column] == pytest.approx(quarters[column].sum())
        for column in ("firms", "credit_yi"):
            assert column in STOCKS
            assert annual.loc[year, column] == pytest.approx(quarters[column].iloc[-1])


def test_the_base_year_row_is_its_quarter_times_four(baseline_run):
    base = quarterly_frame(baseline_run).iloc[0]
    first = annual_frame(baseline_run).iloc[0]
    assert first["output_yi"] == pytest.approx(4 * base["output_yi"])
    assert first["firms"] == base["firms"]


def test_targets_are_judged_on_the_annual_output(baseline_run):
    annual = annual_frame(baseline_run).set_index("year")["output_yi"]
    for result in target_results(baseline_run):
        assert result.output_yi == pytest.approx(annual[result.year])
        assert result.met == (result.output_yi >= result.threshold_yi)


def test_a_scenario_compared_with_itself_differs_by_nothing_and_another_by_its_levers():
    baseline = load_scenario(BASELINE)
    same = comparison_rows(compare(baseline, baseline, seed=5))
    assert len(same) == len(COMPARED) * 7  # every indicator in 2024..2030
    assert all(row["difference"] in (0, None) for row in same)

    other = comparison_rows(compare(baseline, load_scenario(ROOT / "scenarios" / "all_plans.toml"), seed=5))
    for row in other:
        if row["difference"] is not None:
            assert row["difference"] == pytest.approx(row["second"] - row["first"])
    output_2030 = next(r for r in other if r["column"] == "output_yi" and r["year"] == 2030)
    assert output_2030["difference"] > 0


def test_compare_json_is_strict_json_with_null_where_a_value_is_undefined():
    """`NaN` is not JSON: a strict parser (or another language's) refuses the whole output."""
    result = run_cli("compare", "baseline", "all_plans", "--json")
    assert result.code == 0, result.err

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    rows = json.loads(result.out, parse_constant=refuse)
    undefined = [row for row in rows if row["first"] is None]
    assert undefined and all(row["column"] == "loan_approval_rate" for row in undefined)


def _annual_by_pandas(model: IndustryModel) -> pd.DataFrame:
    """The annual table as pandas' groupby builds it: the reference for the numpy version."""
    quarterly = quarterly_frame(model)
    base = quarterly.iloc[[0]].copy()
    base[list(FLOWS)] = base[list(FLOWS)] * 4
    simulated = quarterly.iloc[1:]
    flows = simulated.groupby("year")[list(FLOWS)].sum()
    stocks = simulated.groupby("year")[list(STOCKS)].last()
    years = pd.concat([flows, stocks], axis=1).reset_index()
    table = pd.concat([base[years.columns], years], ignore_index=True)
    table["output_per_mu_wan"] = table["output_yi"] * 1e4 / table["land_in_use_mu"]
    table["output_growth"] = table["output_yi"].pct_change()
    int_columns = ["year", "firms", "above_scale_firms", "tech_enterprises", "entries", "exits"]
    table[int_columns] = table[int_columns].astype(int)
    return table


@pytest.mark.parametrize("quarters", [0, 1, 5, 24])
def test_the_annual_table_is_pandas_groupby_one_to_the_last_digits_at_any_point_of_a_run(quarters):
    """Before any step (the page after Reset), within a year and at the end."""
    model = IndustryModel(load_scenario(SCENARIOS_DIR / "all_plans.toml"), rng=3)
    for _ in range(quarters):
        model.step()
    annual, reference = annual_frame(model), _annual_by_pandas(model)
    assert len(annual) == 1 + (quarters + 3) // 4
    assert list(annual.columns) == list(reference.columns)
    assert list(annual.dtypes) == list(reference.dtypes)
    pd.testing.assert_frame_equal(annual, reference, check_exact=False, rtol=1e-13, atol=1e-14)


def test_a_few_annual_columns_are_those_of_the_whole_table(baseline_run):
    """What an experiment's worker keeps (derived columns included) equals the full table's."""
    names = ("year", "output_per_mu_wan", "firms", "output_growth", "energy_intensity", "fiscal_net_cost_yi")
    kept = pd.DataFrame(annual_columns(baseline_run, names))
    pd.testing.assert_frame_equal(kept, annual_frame(baseline_run)[list(names)], check_exact=True)
