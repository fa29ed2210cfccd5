"""Stylized facts of industrial dynamics hold on the simulated firm population."""

from __future__ import annotations

import numpy as np
import pytest

from sim.credibility.firm_panel import FirmPanel, record_panel
from sim.credibility.stylized_facts import (
    COMPARISONS,
    FACTS,
    growth_excess_kurtosis,
    hill_tail_index,
    measure,
    simulate_panels,
)
from sim.model.model import IndustryModel
from sim.run.results import annual_frame


@pytest.fixture(scope="module")
def panels(baseline_scenario):
    return simulate_panels(baseline_scenario, [1, 2, 3])


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.name)
def test_fact_holds_on_the_baseline(panels, fact):
    (result,) = measure(panels, (fact,))
    assert result.holds, f"{fact.name}: {fact.statistic} = {result.value:.3f}, reference {fact.reference}"


def test_every_fact_and_comparison_cites_its_source():
    for fact in (*FACTS, *COMPARISONS):
        assert any(str(year) in fact.reference for year in range(1990, 2026)) or "Gaussian" in fact.reference


def test_panel_adds_up_to_the_model_series(baseline_scenario):
    """Full-year sales in the panel add up to at most the district's output, year by year."""
    model = IndustryModel(baseline_scenario, rng=4)
    panel = record_panel(model)
    annual = annual_frame(model)
    assert list(panel.years) == list(annual["year"])
    assert (np.nansum(panel.sales, axis=1) <= annual["output_yi"].to_numpy() * 1.001).all()
    assert np.nansum(panel.sales[0]) == pytest.approx(annual["output_yi"].iloc[0], rel=1e-6)


def test_statistics_tell_known_distributions_apart():
    """On textbook samples: a Pareto tail of exponent 1.2; Laplace against Gaussian growth."""
    rng = np.random.default_rng(0)
    n = 5000

    def panel(growth: np.ndarray) -> FirmPanel:
        sizes = (rng.pareto(1.2, n) + 1) * 0.01
        sales = np.vstack([sizes, sizes * np.exp(growth)])
        return FirmPanel(np.array([0, 1]), sales, sales, sales, np.zeros(n, np.int16), 0.05)

    assert hill_tail_index([panel(rng.laplace(0, 0.1, n))]) == pytest.approx(1.2, abs=0.3)
    assert growth_excess_kurtosis([panel(rng.laplace(0, 0.1, n))]) == pytest.approx(3, abs=1)
    assert abs(growth_excess_kurtosis([panel(rng.normal(0, 0.1, n))])) < 0.5
