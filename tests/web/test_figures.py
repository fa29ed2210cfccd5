"""The page's figures and tables build from a short run, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.analysis.odds import Odds, TargetOdds
from sim.model.model import IndustryModel
from sim.web.charts import cluster_figure, indicators_figure, output_figure
from sim.web.odds_panel import fan_figure, odds_table_html
from sim.web.parcel_map import grid_positions, parcel_map_figure
from sim.web.run_panel import fiscal_table_html, progress_line
from sim.web.state import OddsComparison


@pytest.fixture(scope="module")
def short_run(baseline_scenario) -> IndustryModel:
    model = IndustryModel(baseline_scenario, rng=3)
    for _ in range(5):
        model.step()
    return model


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_build(short_run, lang):
    for make in (output_figure, cluster_figure, indicators_figure, parcel_map_figure):
        assert make(short_run, lang).axes


def test_parcels_sit_on_a_fixed_grid():
    x, y = grid_positions(10)
    assert list(x) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]
    assert list(y) == [0, 0, 0, 0, -1, -1, -1, -1, -2, -2]


def test_progress_line_and_fiscal_table(short_run):
    assert progress_line(short_run, "en").startswith("2026 quarter 1: Industrial output")
    html = fiscal_table_html(short_run, "en")
    assert "subsidies" in html and "total" in html and "2026" in html
    assert "补贴" in fiscal_table_html(short_run, "zh")


def odds(name: str, probability: float, targets=((2027, 700.0), (2030, 1000.0))) -> Odds:
    """Odds of three runs over 2024-2030, with the given probability for every target."""
    annual = pd.DataFrame(
        [
            {
                "replication": r,
                "year": year,
                "output_yi": 600 + 50 * (year - 2024) + 10 * r,
                "fiscal_cost_yi": 1,
            }
            for r in range(3)
            for year in range(2024, 2031)
        ]
    )
    rows = tuple(TargetOdds(y, t, 1, 3, probability, 0.1, 0.9) for y, t in targets)
    return Odds(name, rows, annual)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_odds_table_and_fan_with_the_baseline(lang):
    result = OddsComparison(odds("all_plans", 0.75), odds("baseline", 0.25))
    html = odds_table_html(result, lang)
    assert html.count("<tr>") == 3 and "75% [10%, 90%]" in html and "25% [10%, 90%]" in html
    assert "+50" in html and "all_plans, 3" in html
    fan = fan_figure(result, lang)
    assert len(fan.axes[0].collections) == 4  # two bands for each of the two scenarios


def test_the_odds_table_without_the_baseline_escapes_the_name():
    result = OddsComparison(odds("<b>mine</b>", 0.5), None)
    html = odds_table_html(result, "en")
    assert "&lt;b&gt;mine&lt;/b&gt;" in html and "<b>" not in html
    assert "Baseline" not in html and "Difference" not in html
    assert len(fan_figure(result, "en").axes[0].collections) == 2


def test_other_targets_are_not_compared():
    result = OddsComparison(odds("mine", 0.5, targets=((2027, 800.0),)), None, other_targets=True)
    html = odds_table_html(result, "en")
    assert "2027 ≥ 800" in html and "other targets" in html and "Difference" not in html


def test_rows_pair_targets_by_year_and_threshold():
    result = OddsComparison(odds("mine", 0.5, targets=((2027, 800.0), (2030, 1000.0))), odds("baseline", 0.2))
    assert [(year, theirs is None) for year, _, _, theirs in result.rows()] == [(2027, True), (2030, False)]
