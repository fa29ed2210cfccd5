"""Regression tests: one per defect found in review, each failing on the old code."""

from __future__ import annotations

import numpy as np
import pytest

from sim.inputs.scenario import load_scenario
from sim.model.firms import Stage
from sim.model.mechanisms.accounts import book_defaults, operating_profit, update_above_scale_list
from sim.model.mechanisms.environment import shock_demand
from sim.model.mechanisms.innovation import _innovate
from sim.model.mechanisms.production import install_capacity
from sim.model.model import IndustryModel
from sim.model.quarter import quarter_streams
from tests.conftest import BASELINE


def model_with(*overrides: str, seed: int = 3) -> IndustryModel:
    return IndustryModel(load_scenario(BASELINE, list(overrides)), rng=seed)


def test_common_random_numbers_survive_a_change_in_the_number_of_firms():
    """Firm row i draws the same numbers whatever the population (paired comparisons)."""
    small = model_with()
    large = model_with("attraction.leads_per_year=300")
    for _ in range(6):
        small.step()
        large.step()
        fresh_small = quarter_streams(small._entropy, small.steps)
        fresh_large = quarter_streams(large._entropy, large.steps)
        common = min(small.firms.n, large.firms.n)
        for name in ("exit", "digital", "innovation", "finance", "investment"):
            a = fresh_small[name].random(small.firms.n)
            b = fresh_large[name].random(large.firms.n)
            np.testing.assert_array_equal(a[:common], b[:common])
    assert large.firms.n != small.firms.n


def test_demand_grows_exactly_on_trend_without_shocks():
    model = model_with("environment.macro_volatility=0", "environment.cluster_volatility=0")
    before = model.firms.demand.copy()
    shock_demand(model)
    expected = before * np.exp(model.clusters.trend_q[model.firms.cluster])
    np.testing.assert_allclose(model.firms.demand, expected)


def test_demand_shocks_keep_mean_growth_on_trend():
    """Growth shocks are centred so the expected demand level follows the trend."""
    model = model_with("environment.macro_volatility=0.05", "environment.cluster_volatility=0.1")
    trend = model.clusters.trend_q[model.firms.cluster[0]]
    ratios = []
    for seed in range(1500):
        model._entropy = seed  # an independent shock history per pass
        model.demand_shock[:] = 0.0
        model.firms.demand[:] = 1.0
        for step in range(1, 25):
            model.steps = step
            model._begin_quarter()
            shock_demand(model)
        ratios.append(model.firms.demand[0] / np.exp(24 * trend))
    assert np.mean(ratios) == pytest.approx(1.0, abs=0.05)  # s.e. about 0.02


def test_expansion_produces_after_exactly_build_quarters():
    model = model_with("investment.build_quarters=2")
    firm = 0
    model.firms.pending_capacity[firm] = 1.0
    model.firms.pending_timer[firm] = model.params.investment.build_quarters + 1  # as start_projects sets
    capacities = []
    for _ in range(3):
        capacity = model.firms.capacity[firm]
        install_capacity(model)
        capacities.append(
            model.firms.capacity[firm] - capacity * (1 - model.params.investment.depreciation_rate) ** 0.25
        )
    assert capacities[0] == pytest.approx(0.0) and capacities[1] == pytest.approx(0.0)
    assert capacities[2] == pytest.approx(1.0)


def test_signed_project_first_produces_build_quarters_after_signing():
    model = model_with(
        "attraction.build_quarters=3",
        "task_forces.approval_quarters_saved=0",
        "attraction.leads_per_year=200",
        seed=8,
    )
    signed: dict[int, int] = {}
    first_output: dict[int, int] = {}
    while model.running:
        model.step()
        firms = model.firms
        for row in np.flatnonzero((firms.stage == Stage.BUILDING) & (firms.entry_step == model.steps)):
            signed[int(row)] = model.steps
        for row in signed:
            if firms.output[row] > 0:
                first_output.setdefault(row, model.steps)
    assert len(first_output) > 10
    assert {first_output[row] - signed[row] for row in first_output} == {3}


def test_output_of_firms_exiting_this_quarter_is_counted():
    model = model_with("demography.exit_hazard_small=0.5")
    model.step()
    firms = model.firms
    exited_now = (~firms.alive) & (firms.revenue > 0)
    assert exited_now.any()
    assert model.indicators["output_yi"] == pytest.approx(firms.revenue.sum())
    assert model.indicators["output_yi"] > firms.revenue[firms.alive].sum()


def test_negative_cash_costs_interest():
    model = model_with()
    firm = 5
    model.firms.cash[firm] = 0.0
    base = operating_profit(model)[firm]
    model.firms.cash[firm] = -10.0
    assert operating_profit(model)[firm] == pytest.approx(base - 10.0 * model.firms.loan_rate[firm] / 4)


def test_default_is_debt_beyond_cash_and_liquidated_capital():
    model = model_with("levers.finance.risk_compensation=0.5")
    firms = model.firms
    firm = 0
    bank = model.banks[firms.bank[firm]]
    firms.debt[firm], firms.cash[firm], firms.capital[firm] = 10.0, 1.0, 20.0
    firms.pool_coverage[firm] = 0.5  # lent while the pool covered half of any loss
    capacity = bank.capacity_yi
    book_defaults(model, np.array([firm]))
    loss = 10.0 - 1.0 - model.params.finance.recovery_rate * 20.0
    assert model.scratch.tally["default_losses_yi"] == pytest.approx(loss)
    assert bank.capacity_yi == pytest.approx(capacity - 0.5 * loss)
    assert model.scratch.tally["fiscal_risk_compensation_yi"] == pytest.approx(0.5 * loss)


def test_pools_cover_only_loans_made_under_them():
    """Base-year debt predates the pool: its default costs the pool nothing."""
    model = model_with("levers.finance.risk_compensation=0.5")
    firms = model.firms
    firm = 0
    firms.debt[firm], firms.cash[firm], firms.capital[firm] = 10.0, 0.0, 0.0
    book_defaults(model, np.array([firm]))
    assert model.scratch.tally["default_losses_yi"] == pytest.approx(10.0)
    assert model.scratch.tally["fiscal_risk_compensation_yi"] == 0.0


def test_exit_passes_customers_to_cluster_peers_and_frees_land():
    model = model_with()
    firms = model.firms
    firm = 10
    cluster = firms.cluster[firm]
    peers = firms.alive & (firms.cluster == cluster)
    peers[firm] = False
    before = firms.demand[peers].sum()
    lost = firms.demand[firm]
    model.remove_firms(np.array([firm]))
    retention = model.params.market.exit_demand_retention
    assert firms.demand[peers].sum() == pytest.approx(before + retention * lost)
    assert not (model.parcels.occupant == firm).any()
    assert firms.stage[firm] == Stage.EXITED


def test_above_scale_list_is_updated_from_annual_revenue():
    model = model_with()
    firms = model.firms
    small = int(np.flatnonzero(~firms.above_scale)[0])
    big = int(np.flatnonzero(firms.above_scale)[0])
    firms.revenue_4q[small] = 0.06  # 0.24 亿 a year: crosses the 0.2 亿 threshold
    firms.revenue_4q[big] = 0.01
    update_above_scale_list(model)
    assert firms.above_scale[small] and not firms.above_scale[big]
    assert model.scratch.tally["new_above_scale"] >= 1


def test_an_emptied_cluster_can_be_entered_again():
    model = model_with("attraction.leads_per_year=400", seed=31)
    hydrogen = model.clusters.keys.index("hydrogen")
    model.remove_firms(np.flatnonzero(model.firms.cluster == hydrogen))
    while model.running:
        model.step()
    firms = model.firms
    assert np.isfinite(firms.revenue).all() and np.isfinite(firms.productivity[firms.alive]).all()
    assert (firms.alive & (firms.cluster == hydrogen)).any()


def test_firms_with_no_sales_do_not_upgrade_for_free():
    from sim.model.mechanisms.digital import plan_digital_upgrades
    from sim.model.mechanisms.projects import Projects

    model = model_with("digital.skill_tolerance=0.3", "digital.base_rate=1.0")
    projects = Projects.empty(model.firms.n)
    model.firms.revenue[:] = 0.0
    plan_digital_upgrades(model, projects)
    chosen = projects.digital
    assert (projects.digital_cost[chosen] > 0).all()


def test_distress_exit_only_after_a_refused_rescue():
    from sim.model.mechanisms.accounts import close_firms
    from sim.model.mechanisms.finance import LoanAnswers

    model = model_with("demography.exit_hazard_small=0", "demography.exit_hazard_above=0")
    firms = model.firms
    refused, rescued = 20, 21
    firms.cash[[refused, rescued]] = -5 * firms.annual_revenue[[refused, rescued]]
    rescue_asked = np.zeros(firms.n, bool)
    rescue_asked[[refused, rescued]] = True
    offer = np.zeros(firms.n)
    offer[rescued] = 1.0
    close_firms(model, LoanAnswers(offer=offer, score=np.full(firms.n, 0.5), rescue_asked=rescue_asked))
    assert not firms.alive[refused] and firms.alive[rescued]
    assert model.scratch.tally["distress_exits"] == 1


def test_a_tier_that_needs_no_skilled_workers_runs_as_numpy_would():
    """A skilled share of 0 at tier 0 divides by 0 in the R&D staffing: the compiled loops
    follow numpy (inf, capped at 1), they do not raise."""
    model = model_with("labour.required_skilled_share=[0.0, 0.12, 0.18, 0.26]")
    model.run()
    assert np.isfinite(model.datacollector.get_model_vars_dataframe()["output_yi"]).all()


def test_no_tier_needing_skilled_workers_still_builds_a_world():
    """With no tier needing skilled workers the base year's skilled staff were placed in
    proportion to nothing (0/0): every firm's skilled count was NaN and the run crashed on
    the task forces' effort. They are now placed by headcount."""
    model = model_with("labour.required_skilled_share=[0, 0, 0, 0]")
    assert np.isfinite(model.firms.skilled).all()
    assert model.firms.skilled.sum() > 0
    model.run()
    assert np.isfinite(model.datacollector.get_model_vars_dataframe()["output_yi"]).all()


def test_a_firm_without_skilled_staff_at_a_tier_needing_none_still_innovates():
    """Its staffing was 0/0 = NaN, so its chance of an R&D success was NaN and it never
    succeeded; needing no skilled staff, it is fully staffed."""
    one, zero = np.ones(1), np.zeros(1)
    successes, _, _ = _innovate(
        np.ones(1, bool),  # alive
        np.full(1, int(Stage.OPERATING), np.int8),
        int(Stage.BUILDING),
        0.05,  # tech and other R&D rates
        0.05,
        1.0,  # platforms' boost
        np.zeros(1, np.int8),  # tier 0
        np.zeros(4),  # no tier needs skilled staff
        10.0,  # success scale: failure exp(-0.5)
        zero,  # the success draw, below any chance above 0
        np.full(1, 0.01),
        one,
        one,
        0.1,
        0.1,
        1.0,
        1.0,
        0.0,
        one.copy(),  # productivity
        zero.copy(),  # no skilled staff
        np.full(1, 10.0),  # workers
        np.zeros(1, bool),
        np.zeros(1, bool),
    )
    assert successes == 1
