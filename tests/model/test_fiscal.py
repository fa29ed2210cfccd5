"""The district budget's revenue side: each source is its rate times its base, it grows
with what the plans add, and booking it changes nothing the firms do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.inputs.scenario import load_scenario
from sim.model import model as model_module
from sim.model.fiscal import COST_FLOWS, FISCAL_TOTALS, REVENUE_FLOWS
from sim.model.mechanisms.green import tariff_surcharge
from sim.model.model import IndustryModel
from sim.model.parcels import ParcelArrays
from sim.run.results import quarterly_frame
from tests.conftest import BASELINE, ROOT

ALL_PLANS = ROOT / "scenarios" / "all_plans.toml"
QUARTERS = 8
BUDGET_COLUMNS = {*COST_FLOWS, *REVENUE_FLOWS, *FISCAL_TOTALS}


def run_quarters(scenario_file, overrides=None, quarters=QUARTERS, seed=5) -> IndustryModel:
    model = IndustryModel(load_scenario(scenario_file, overrides), rng=seed)
    for _ in range(quarters):
        model.step()
    return model


@pytest.fixture(scope="module")
def watched(monkeypatch_module):
    """An all-plans run whose accounts and land grants are watched as they happen: per
    quarter the firms' booked value added, profit and S&T status, the surcharges due,
    and the land granted."""
    seen: list[dict[str, object]] = []
    granted: list[float] = []
    settle, allocate = model_module.settle_accounts, ParcelArrays.allocate_many

    def watched_settle(model: IndustryModel) -> None:
        alive = model.firms.alive.copy()
        surcharge = float(tariff_surcharge(model)[alive].sum())
        settle(model)
        firms = model.firms
        seen.append(
            {
                "value_added": firms.value_added[alive].copy(),
                "profit": firms.profit[alive].copy(),
                "tech": firms.tech[alive].copy(),
                "surcharge": surcharge,
                "land": sum(granted),
            }
        )
        granted.clear()

    def watched_allocate(self, occupants, needs, min_share=0.0):
        result = allocate(self, occupants, needs, min_share)
        granted.append(float(np.sum(result)))
        return result

    monkeypatch_module.setattr(model_module, "settle_accounts", watched_settle)
    monkeypatch_module.setattr(ParcelArrays, "allocate_many", watched_allocate)
    model = run_quarters(ALL_PLANS)
    return model, seen, quarterly_frame(model).iloc[1:].reset_index(drop=True)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_vat_booked_is_the_district_share_of_the_taxes_on_value_added(watched):
    model, seen, frame = watched
    revenue, rate = model.params.revenue, model.params.accounts.tax_rate_on_value_added
    share = revenue.vat_local_share * revenue.vat_district_share_of_local
    expected = [share * rate * np.maximum(q["value_added"], 0.0).sum() for q in seen]
    assert frame["revenue_vat_yi"].to_numpy() == pytest.approx(expected, rel=1e-12)
    assert min(expected) > 0


def test_income_tax_booked_is_the_district_share_of_the_tax_on_positive_profit(watched):
    model, seen, frame = watched
    revenue = model.params.revenue
    share = revenue.income_tax_local_share * revenue.income_tax_district_share_of_local
    expected = []
    for quarter in seen:
        profit, tech = np.maximum(quarter["profit"], 0.0), quarter["tech"]
        rate = np.where(tech, 0.15, 0.25)  # 企业所得税法 arts. 4 and 28
        rate = np.where(4 * profit <= 0.03, 0.05, rate)  # small low-profit firms, 300万元 a year
        expected.append(share * float((rate * profit).sum()))
    assert frame["revenue_income_tax_yi"].to_numpy() == pytest.approx(expected, rel=1e-12)
    assert min(expected) > 0


def test_land_transfer_income_is_the_price_times_the_land_granted(watched):
    model, seen, frame = watched
    price = model.params.revenue.land_price_wan_per_mu / 1e4
    expected = [price * quarter["land"] for quarter in seen]
    assert frame["revenue_land_transfer_yi"].to_numpy() == pytest.approx(expected, rel=1e-12)
    assert sum(expected) > 0


def test_tariff_surcharges_are_booked_as_revenue_in_full(watched):
    _, seen, frame = watched
    expected = [quarter["surcharge"] / 4 for quarter in seen]
    assert frame["revenue_tariffs_yi"].to_numpy() == pytest.approx(expected, rel=1e-12)
    assert sum(expected) > 0


def test_net_cost_is_gross_cost_less_revenue(watched):
    _, _, frame = watched
    gross, revenue = frame[list(COST_FLOWS)].sum(axis=1), frame[list(REVENUE_FLOWS)].sum(axis=1)
    assert frame["fiscal_gross_cost_yi"].to_numpy() == pytest.approx(gross.to_numpy())
    assert frame["fiscal_revenue_yi"].to_numpy() == pytest.approx(revenue.to_numpy())
    assert frame["fiscal_net_cost_yi"].to_numpy() == pytest.approx((gross - revenue).to_numpy())


def test_a_plan_that_raises_value_added_raises_revenue():
    """Same seed and futures: all plans add value added and profit, so the district collects more."""
    base = quarterly_frame(run_quarters(BASELINE, quarters=12)).iloc[1:]
    plan = quarterly_frame(run_quarters(ALL_PLANS, quarters=12)).iloc[1:]
    assert plan["value_added_yi"].sum() > base["value_added_yi"].sum()
    for column in ("revenue_vat_yi", "revenue_income_tax_yi", "fiscal_revenue_yi"):
        assert plan[column].sum() > base[column].sum(), column


def test_revenue_rates_change_the_revenue_only_never_what_firms_do():
    """Every revenue rate moved at once: every indicator but the budget's is bit-identical,
    and land-transfer income scales with the price."""
    moved = [
        "revenue.vat_district_share_of_local=0.7",
        "revenue.income_tax_district_share_of_local=0.3",
        "revenue.income_tax_rate=0.3",
        "revenue.land_price_wan_per_mu=11.0",
    ]
    default = quarterly_frame(run_quarters(ALL_PLANS))
    changed = quarterly_frame(run_quarters(ALL_PLANS, moved))
    behaviour = [column for column in default.columns if column not in BUDGET_COLUMNS]
    pd.testing.assert_frame_equal(default[behaviour], changed[behaviour], check_exact=True)
    ratio = changed["revenue_land_transfer_yi"].sum() / default["revenue_land_transfer_yi"].sum()
    assert ratio == pytest.approx(11.0 / 8.8)
    assert changed["revenue_vat_yi"].sum() == pytest.approx(default["revenue_vat_yi"].sum() * 0.7 / 0.5)
    assert not np.allclose(changed["revenue_income_tax_yi"], default["revenue_income_tax_yi"])
