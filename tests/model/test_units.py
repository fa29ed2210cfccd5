"""Small pieces on their own: land splitting, bank approval, adoption, the size fit, ranks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from sim.model.agents.bank import answer_requests
from sim.model.fiscal import spend
from sim.model.mechanisms.adoption import adoption_probability
from sim.model.mechanisms.projects import Projects
from sim.model.mechanisms.task_force_service import _average_ranks
from sim.model.model import IndustryModel
from sim.model.parcels import NO_OCCUPANT, ParcelArrays, ParcelStatus
from sim.model.quarter import Tally
from sim.model.world import quantile_sizes, top_share_sigma


def test_allocation_splits_large_parcels_and_conserves_area():
    parcels = ParcelArrays()
    parcels.add(np.array([100.0, 10.0, 4.0]), ParcelStatus.VACANT)
    granted = parcels.allocate_many(np.array([7, 8]), np.array([9.0, 30.0]))
    assert granted.tolist() == [10.0, 30.0]  # best fit, no split; then split off the 100-mu parcel
    assert parcels.total_area == pytest.approx(114.0)
    assert parcels.area[0] == pytest.approx(70.0)
    assert parcels.occupant.tolist() == [NO_OCCUPANT, 7, NO_OCCUPANT, 8]
    assert parcels.allocate_many(np.array([9]), np.array([500.0]))[0] == pytest.approx(70.0)  # what is left
    parcels.release(np.array([7, 8]))
    assert parcels.area_by_status(ParcelStatus.IDLE) == pytest.approx(40.0)
    parcels.vacate(9)
    assert parcels.area_by_status(ParcelStatus.VACANT) == pytest.approx(74.0)


def test_bank_approves_best_scores_within_threshold_and_room():
    model = IndustryModel(rng=1)
    bank = model.banks[0]
    room = bank.capacity_yi - bank.outstanding_yi
    borrowers = np.flatnonzero(model.firms.bank == bank.index)[:4]
    other = np.flatnonzero(model.firms.bank != bank.index)[0]  # another bank's borrower, its room untouched
    asking = np.zeros(model.firms.n, bool)
    asking[[*borrowers, other]] = True
    scores, amounts = np.zeros(model.firms.n), np.zeros(model.firms.n)
    scores[borrowers] = [0.9, 0.8, 0.1, 0.95]
    amounts[borrowers] = [room * 0.6, room * 0.3, 0.01, room * 0.5]
    scores[other], amounts[other] = 1.0, 1e-3
    approved = answer_requests(model, asking, scores, amounts, np.zeros(model.firms.n))
    # 0.95 then 0.8 fit; 0.9 does not; 0.1 is below the threshold
    assert approved[borrowers].tolist() == [False, True, False, True]
    assert approved[other] and np.count_nonzero(approved) == 3


def test_adoption_rises_with_benefit_and_is_capped():
    cost = np.ones(3)
    chance = adoption_probability(np.array([0.5, 1.0, 3.0]), cost, sharpness=3.0, base_rate=0.1)
    assert (np.diff(chance) > 0).all() and (chance < 0.1).all()


def test_top_share_sigma_reproduces_concentration():
    sigma = top_share_sigma(350, 50, 0.52, floor=0.2, mean=1.4)
    sizes = quantile_sizes(350, sigma, floor=0.2, mean=1.4)
    assert sizes[:50].sum() / sizes.sum() == pytest.approx(0.52, abs=1e-6)
    assert sizes.mean() == pytest.approx(1.4) and sizes.min() > 0.2


def test_tally_refuses_names_it_does_not_declare():
    tally = Tally()
    tally.add("births", 2)
    tally.add("investment_yi", 1.5)
    assert (tally["births"], tally["investment_yi"], tally["exits"]) == (2, 1.5, 0)
    with pytest.raises(KeyError, match="'birth' is not a declared"):
        tally.add("birth", 1)
    with pytest.raises(KeyError, match="'birth' is not a declared"):
        tally["birth"]
    model = IndustryModel(rng=2)
    with pytest.raises(KeyError, match="'fiscal_bribes_yi' is not a declared"):
        spend(model, "bribes", 1.0)


def test_base_year_constants_cannot_be_changed():
    model = IndustryModel(rng=2)
    with pytest.raises(AttributeError):
        model.constants.policy_rate = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        model.constants.lead_weights[0] = 1.0


def test_enterprise_agent_reads_its_row():
    model = IndustryModel(rng=1)
    agent = model.enterprise(0)
    state = agent.snapshot()
    assert state["cluster"] == model.clusters.keys[model.firms.cluster[0]]
    assert state["capacity"] == model.firms.capacity[0] and state["tier"] == model.firms.tier[0]
    assert agent.above_scale and agent.annual_output_yi == pytest.approx(model.firms.annual_revenue[0])
    assert model.enterprise(0).unique_id != model.enterprise(1).unique_id


def _quarter_ready_model() -> tuple[IndustryModel, Projects]:
    """A model just before the banks answer, with empty project requests."""
    model = IndustryModel(rng=2)
    return model, Projects.empty(model.firms.n)


def test_funded_project_is_paid_from_cash_and_loan_exactly():
    from sim.model.mechanisms.finance import answer_loan_requests, start_projects

    model, projects = _quarter_ready_model()
    firms = model.firms
    firm = int(np.argmax(firms.annual_revenue))
    firms.margin[firm] = 0.2  # a good borrower
    firms.cash[firm] = 2.0 + 0.03 * firms.annual_revenue[firm]  # 2 亿 of spare cash
    projects.capacity_add[firm] = 1.0
    projects.capacity_cost[firm] = 3.0
    cash, debt, capital = firms.cash[firm], firms.debt[firm], firms.capital[firm]
    loans = answer_loan_requests(model, projects)
    assert loans.offer[firm] == pytest.approx(1.0)  # cost less spare cash
    start_projects(model, projects, loans)
    assert firms.debt[firm] == pytest.approx(debt + 1.0)
    assert firms.cash[firm] == pytest.approx(cash - 2.0)
    assert firms.capital[firm] == pytest.approx(capital + 3.0)
    assert firms.pending_capacity[firm] == pytest.approx(1.0)


def test_project_without_enough_own_funds_is_dropped():
    from sim.model.mechanisms.finance import answer_loan_requests, start_projects

    model, projects = _quarter_ready_model()
    firms = model.firms
    firm = int(np.argmax(firms.annual_revenue))
    firms.cash[firm] = 0.03 * firms.annual_revenue[firm]  # nothing above the reserve
    projects.capacity_add[firm] = 1.0
    projects.capacity_cost[firm] = 5.0
    cash, debt = firms.cash[firm], firms.debt[firm]
    loans = answer_loan_requests(model, projects)
    start_projects(model, projects, loans)
    assert firms.needs_finance[firm]
    assert (firms.cash[firm], firms.debt[firm]) == pytest.approx((cash, debt))
    assert firms.pending_capacity[firm] == 0


def test_accounts_move_cash_by_profit_less_payout_plus_depreciation_less_principal():
    from sim.model.mechanisms.accounts import settle_accounts

    model = IndustryModel(rng=2)
    firms = model.firms
    params = model.params
    rows = np.arange(firms.n)
    firms.margin[:] = np.where(rows % 3 == 0, 0.05, -0.01)  # performing loans amortise too
    firms.cash[:] = np.where(rows % 3 == 2, 0.001, 100.0)  # some firms have little cash
    cash, debt, capital = firms.cash.copy(), firms.debt.copy(), firms.capital.copy()
    settle_accounts(model)
    due = debt / (params.finance.maturity_years * 4)
    principal = np.minimum(due, cash)
    payout = params.accounts.payout_ratio * np.maximum(firms.profit, 0.0)
    depreciation = params.investment.depreciation_rate / 4 * capital  # all base-year firms produce
    np.testing.assert_allclose(firms.cash, cash + firms.profit - payout + depreciation - principal)
    np.testing.assert_allclose(firms.debt, debt - principal)
    assert (principal[rows % 3 == 0] == due[rows % 3 == 0]).all() and (
        principal[rows % 3 == 2] <= 0.001
    ).all()


def test_average_ranks_are_scipys():
    rng = np.random.default_rng(7)
    for trial in range(200):
        values = rng.integers(0, 4, 13).astype(float) if trial % 2 else rng.normal(size=13)
        assert np.array_equal(_average_ranks(values), rankdata(values))
    with_nan = np.array([0.1, np.nan, 0.3])
    assert np.isnan(_average_ranks(with_nan)).all() and np.isnan(rankdata(with_nan)).all()
