"""The page's figures and tables build from a short run, in both languages."""

from __future__ import annotations

import pytest

from sim.model import IndustryModel
from sim.web.charts import cluster_figure, indicators_figure, output_figure
from sim.web.parcel_map import grid_positions, parcel_map_figure
from sim.web.run_panel import fiscal_table_html, run_summary


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


def test_summary_and_fiscal_table(short_run):
    assert run_summary(short_run, "en").startswith("2026 quarter 1: Industrial output")
    html = fiscal_table_html(short_run, "en")
    assert "subsidies" in html and "total" in html and "2026" in html
