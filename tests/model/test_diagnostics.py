"""Diagnostics of the mechanisms as tests: output follows demand where nothing else binds,
volatility alone does not move mean output, and productivity dispersion stays stationary.

Issue 13 found the opposite in the first version (output bound by fixed supply constants,
shortfalls lost for good, dispersion drifting to twice its base-year value); these keep it
from coming back. Paired runs: the same seeds in every setting (common random numbers).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import IndustryModel, load_scenario
from sim.paths import SCENARIOS_DIR

BASELINE = SCENARIOS_DIR / "baseline.toml"

# Land, credit and labour in ample supply, and firms that staff and build with room to spare.
SLACK = [
    "land.status_quo_supply_mu_per_year=6000",
    "land.resale_rate=0.5",
    "finance.capacity_growth=0.3",
    "finance.long_run_capacity_growth=0.3",
    "investment.own_funds_share=0",
    "labour.skilled_inflow_per_year=20000",
    "labour.staffing_buffer=1.3",
    "investment.capacity_buffer=0.5",
]


def output_2030(settings: list[str], seed: int) -> tuple[float, float]:
    """Annual output in the base year and in the last year, 亿元."""
    model = IndustryModel(load_scenario(BASELINE, settings), rng=seed)
    start = float(model.firms.annual_revenue[model.firms.alive].sum())
    model.run()
    return start, float(model.firms.annual_revenue[model.firms.alive].sum())


def test_output_growth_follows_demand_growth_when_supply_is_slack():
    shifts = np.array([-0.04, 0.0, 0.04])
    growth = []
    for shift in shifts:
        runs = [output_2030([*SLACK, f"environment.demand_growth_shift={shift}"], seed) for seed in range(4)]
        growth.append(np.mean([(end / start) ** (1 / 6) - 1 for start, end in runs]))
    slope = np.polyfit(shifts, growth, 1)[0]
    assert 0.85 <= slope <= 1.15, f"output growth moves {slope:.2f} points per point of demand growth"


def test_volatility_alone_barely_moves_mean_output_at_slack_capacity():
    seeds = range(10)

    def mean_output(scale: float) -> float:
        volatility = [
            f"environment.macro_volatility={0.01 * scale}",
            f"environment.cluster_volatility={0.02 * scale}",
        ]
        return float(np.mean([output_2030([*SLACK, *volatility], seed)[1] for seed in seeds]))

    usual, doubled = mean_output(1.0), mean_output(2.0)
    assert doubled == pytest.approx(usual, rel=0.03), (usual, doubled)


def test_status_quo_productivity_dispersion_stays_near_its_base_year_value():
    for seed in range(3):
        model = IndustryModel(load_scenario(BASELINE), rng=seed)
        base = model.base_year.heterogeneity.productivity_dispersion.value
        spreads = []
        while model.running:
            model.step()
            firms = model.firms
            log_a = np.log(firms.productivity[firms.alive])
            cluster = firms.cluster[firms.alive]
            means = np.bincount(cluster, weights=log_a) / np.maximum(np.bincount(cluster), 1)
            spreads.append(float(np.sqrt(np.mean((log_a - means[cluster]) ** 2))))
        assert 0.8 * base <= min(spreads) and max(spreads) <= 1.25 * base, (base, min(spreads), max(spreads))


def test_small_firms_over_a_clusters_ceiling_move_to_clusters_with_room():
    """Sampled base-year figures can give a cluster more small-firm output than it holds:
    its surplus firms go where there is room; with no room anywhere the build refuses."""
    from sim.model.world import SMALL_FIRM_CEILING, _fit_small_firms_to_clusters

    sizes = np.ones(10)
    clusters = np.array([0] * 8 + [1, 2])
    output = np.array([5.0, 10.0, 10.0])
    fitted = _fit_small_firms_to_clusters(clusters, sizes, output)
    held = np.bincount(fitted, weights=sizes, minlength=3)
    assert held.sum() == 10 and (held <= SMALL_FIRM_CEILING * output).all(), held
    with pytest.raises(ValueError):
        _fit_small_firms_to_clusters(clusters, sizes, np.array([5.0, 2.0, 2.0]))
