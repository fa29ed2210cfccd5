"""The levers' mechanisms one at a time: exact arithmetic on small, controlled cases."""

from __future__ import annotations

import numpy as np
import pytest

from sim.inputs.scenario import load_scenario
from sim.model.mechanisms.commerce import channel_target_yi, open_channels
from sim.model.mechanisms.digital import industry_brain_clusters
from sim.model.mechanisms.finance import LoanAnswers, loss_coverage, start_projects
from sim.model.mechanisms.land import evaluate_output_per_mu
from sim.model.mechanisms.linkages import match_suppliers
from sim.model.mechanisms.projects import Projects
from sim.model.model import IndustryModel
from sim.model.parcels import NO_OCCUPANT, ParcelArrays, ParcelStatus
from tests.conftest import BASELINE


def model_with(*overrides: str) -> IndustryModel:
    return IndustryModel(load_scenario(BASELINE, list(overrides)), rng=4)


def test_surrender_splits_the_largest_parcel_and_conserves_land():
    parcels = ParcelArrays()
    parcels.add(np.array([10.0, 30.0]), ParcelStatus.OCCUPIED, occupant=np.array([7, 7]))
    assert parcels.surrender(7, 12.0) == 12.0
    assert parcels.area.tolist() == [10.0, 18.0, 12.0]
    assert parcels.status.tolist() == [ParcelStatus.OCCUPIED, ParcelStatus.OCCUPIED, ParcelStatus.VACANT]
    assert parcels.surrender(7, 25.0) == 18.0  # no more than the largest parcel, given whole
    assert parcels.occupant[1] == NO_OCCUPANT and parcels.total_area == 40.0
    assert parcels.surrender(8, 5.0) == 0.0  # holds nothing


def test_batched_allocation_numbers_newcomers_in_order_of_success():
    parcels = ParcelArrays()
    parcels.add(np.array([5.0, 50.0]), ParcelStatus.VACANT)
    granted = parcels.allocate_many(100, np.array([4.5, 80.0, 20.0]), min_share=0.8)
    assert granted.tolist() == [5.0, 0.0, 20.0]  # 80 would get only 50: refused, parcel stays vacant
    assert parcels.occupant.tolist() == [100, NO_OCCUPANT, 101]  # the third request is row 101
    assert parcels.area.tolist() == [5.0, 30.0, 20.0]


def test_industry_brains_serve_the_largest_clusters_first():
    model = model_with("levers.ai.industry_brain_clusters=2")
    covered = industry_brain_clusters(model)
    largest_two = np.argsort(-model.constants.lead_weights)[:2]
    assert covered.sum() == 2 and covered[largest_two].all()


def test_loans_keep_the_pool_coverage_they_were_made_with():
    model = model_with("levers.finance.risk_compensation=0.2", "levers.finance.st_credit_guarantee=0.6")
    firms = model.firms
    assert loss_coverage(model)[firms.tech].tolist() == pytest.approx([0.6] * int(firms.tech.sum()))
    assert set(loss_coverage(model)[~firms.tech].tolist()) == {0.2}
    firm = int(np.flatnonzero(firms.tech & (firms.debt > 0))[0])
    old_debt = firms.debt[firm]
    projects = Projects.empty(firms.n)
    projects.rescue[firm] = 1.0
    offer = np.zeros(firms.n)
    offer[firm] = 1.0
    loans = LoanAnswers(offer=offer, score=np.full(firms.n, 0.5), rescue_asked=projects.rescue > 0)
    firms.cash[firm] = 0.0
    start_projects(model, projects, loans)
    # Base-year debt had no cover; the new loan carries the S&T pool's 60%.
    assert firms.pool_coverage[firm] == pytest.approx(0.6 * 1.0 / (old_debt + 1.0))


def test_interest_support_is_paid_on_subsidised_debt_only():
    model = model_with("levers.finance.interest_subsidy=0.01")
    model.step()
    firms = model.firms
    paid = model.scratch.tally["fiscal_interest_support_yi"]
    # Paid on the debt before this quarter's amortisation, which repays at most 1/(4 x maturity).
    after = float((firms.debt * firms.interest_support)[firms.alive].sum()) / 4
    repaid_at_most = 1 / (4 * model.params.finance.maturity_years)
    assert after * 0.98 <= paid <= after / (1 - repaid_at_most) * 1.02
    assert paid > 0
    assert (firms.interest_support <= 0.01 + 1e-12).all()


def test_channels_ramp_to_their_target_and_place_demand():
    model = model_with("levers.commerce.ecommerce_support_yi_per_year=1")
    settings = model.params.commerce
    target = channel_target_yi(model)
    assert target == pytest.approx(settings.sales_per_support * 1.0)
    demand = model.firms.demand.sum()
    open_channels(model)
    step = target / (4 * settings.ramp_years)
    assert model.channel_sales_yi == pytest.approx(step)
    added = model.firms.demand.sum() - demand
    assert added == pytest.approx(settings.additionality * step / 4 / model.price_index)
    for _ in range(40):
        open_channels(model)
    assert model.channel_sales_yi == pytest.approx(target)


def test_matchmaking_moves_demand_to_input_making_clusters_only():
    model = model_with("levers.four_chain.matchmaking_rounds_per_year=12")
    model.clusters.input_supply_share[:] = 0.0
    model.clusters.input_supply_share[1] = 0.5  # only cluster 1 makes inputs
    before = np.bincount(model.firms.cluster, weights=model.firms.demand, minlength=model.clusters.n)
    share = model.local_input_share
    match_suppliers(model)
    after = np.bincount(model.firms.cluster, weights=model.firms.demand, minlength=model.clusters.n)
    changed = np.flatnonzero(~np.isclose(after, before))
    assert changed.tolist() == [1]
    gain = 3 * model.params.market.local_share_gain_per_round
    assert model.local_input_share == pytest.approx(share + gain)


def test_low_yield_firms_give_back_idle_land_and_scrap_idle_plant():
    model = model_with("levers.land.low_yield_threshold_wan=800")  # most firms are below it
    model.steps = 4  # a full year has passed for base-year firms
    firms = model.firms
    land, capacity, total = firms.land_mu.copy(), firms.capacity.copy(), model.parcels.total_area
    evaluate_output_per_mu(model, Projects.empty(firms.n))
    gave = land - firms.land_mu
    assert gave.sum() > 0 and model.scratch.tally["land_surrendered_mu"] == pytest.approx(gave.sum())
    assert (firms.capacity >= firms.output - 1e-12).all()  # only idle plant is scrapped
    assert (firms.capacity <= capacity).all()
    assert model.parcels.total_area == pytest.approx(total)
    price = model.params.fiscal.reclaim_wan_per_mu / 1e4
    assert model.scratch.tally["fiscal_land_yi"] == pytest.approx(gave.sum() * price)
