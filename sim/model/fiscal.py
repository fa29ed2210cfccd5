"""The district budget both ways, booked where each lever acts, in 亿元: what the plans
cost, and what the firms and the land bring back.

Mechanisms book what the plan pays for as it happens (a subsidy when a project starts, a
pool payout when a firm defaults); running costs (platforms, task-force staff, promotion)
are booked once a quarter here. Unit costs are the assumptions of the [fiscal] section.
Revenue is booked as it arises too (the district's share of VAT and income tax when the
books close, land-transfer income when a parcel is granted, tariff surcharges), at the
rates of the [revenue] section. Revenue is only counted: no firm sees it, so it cannot
change what the model's firms do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum, maximum

if TYPE_CHECKING:
    from sim.model.model import IndustryModel
    from sim.model.quarter import Tally

# The categories of the fiscal-cost report, each a per-quarter flow `fiscal_<category>_yi`.
CATEGORIES = (
    "subsidies",  # R&D, quality, digital, retrofit, investment incentives, awards, channels, platforms
    "interest_support",
    "risk_compensation",
    "land",  # preparing new land and reclaiming idle land
    "talent_training",
    "task_forces",
)
# The sources of revenue, each a per-quarter flow `revenue_<source>_yi`.
SOURCES = (
    "vat",  # the district's share of VAT on value added
    "income_tax",  # the district's share of enterprise income tax on positive profit
    "land_transfer",  # land-transfer income (土地出让收入) from parcels granted to firms
    "tariffs",  # differential-tariff surcharges collected
)
COST_FLOWS = tuple(f"fiscal_{category}_yi" for category in CATEGORIES)
REVENUE_FLOWS = tuple(f"revenue_{source}_yi" for source in SOURCES)
FISCAL_FLOWS = (*COST_FLOWS, *REVENUE_FLOWS)
# The budget's totals per quarter, as the indicators report them.
FISCAL_TOTALS = ("fiscal_gross_cost_yi", "fiscal_revenue_yi", "fiscal_net_cost_yi")
WAN_PER_YI = 1e4


def spend(model: IndustryModel, category: str, amount_yi: float) -> None:
    """Book `amount_yi` of this quarter's spending under `category` (the tally refuses unknown ones)."""
    model.scratch.tally.add(f"fiscal_{category}_yi", float(amount_yi))


def collect(model: IndustryModel, source: str, amount_yi: float) -> None:
    """Book `amount_yi` of this quarter's revenue from `source` (the tally refuses unknown ones)."""
    model.scratch.tally.add(f"revenue_{source}_yi", float(amount_yi))


def district_vat(model: IndustryModel, taxes_on_value_added: float) -> float:
    """The district's part of the taxes firms pay on value added (all read as VAT)."""
    revenue = model.params.revenue
    return taxes_on_value_added * revenue.vat_local_share * revenue.vat_district_share_of_local


def income_tax_rates(model: IndustryModel) -> np.ndarray:
    """The high-tech, statutory and small-profit rates of enterprise income tax, and the
    small-profit threshold (a year's profit, 亿元), as `income_tax` reads them."""
    revenue = model.params.revenue
    return np.array(
        [
            revenue.income_tax_rate_high_tech,
            revenue.income_tax_rate,
            revenue.small_profit_rate,
            revenue.small_profit_threshold_yi,
        ]
    )


@numba.njit(cache=True, error_model="numpy", inline="always")
def income_tax(profit: float, tech: bool, rates: np.ndarray) -> float:
    """A firm's enterprise income tax on this quarter's profit (none on a loss).

    A firm whose profit, at this quarter's rate for a year, stays under the small-profit
    threshold pays the small-profit rate; certified S&T firms pay the high-tech rate; the
    rest the statutory rate. Each quarter is taxed on its own, so losses are not carried
    forward (which overstates the tax of firms whose profit swings).
    """
    taxable = maximum(profit, 0.0)
    if 4 * taxable <= rates[3]:
        return rates[2] * taxable
    return (rates[0] if tech else rates[1]) * taxable


@numba.njit(cache=True, error_model="numpy")
def _income_taxes(profit: np.ndarray, tech: np.ndarray, rates: np.ndarray) -> float:
    taxes = np.empty(len(profit))
    for i in range(len(profit)):
        taxes[i] = income_tax(profit[i], tech[i], rates)
    return array_sum(taxes, len(taxes))


def district_income_tax(model: IndustryModel, profit: np.ndarray, tech: np.ndarray) -> float:
    """The district's part of the enterprise income tax (`income_tax`) on these profits."""
    return district_share_of_income_tax(model, _income_taxes(profit, tech, income_tax_rates(model)))


def district_share_of_income_tax(model: IndustryModel, income_tax: float) -> float:
    """The district's part of enterprise income tax firms pay."""
    revenue = model.params.revenue
    return income_tax * (revenue.income_tax_local_share * revenue.income_tax_district_share_of_local)


def sell_land(model: IndustryModel, granted_mu: np.ndarray) -> None:
    """Book the land-transfer income of the parcels just granted to firms."""
    price = model.params.revenue.land_price_wan_per_mu / WAN_PER_YI
    collect(model, "land_transfer", float(granted_mu.sum()) * price)


def pay_running_costs(model: IndustryModel) -> None:
    """This quarter's share of the yearly programme costs the levers set."""
    levers = model.params.levers
    unit = model.params.fiscal
    programmes = (
        levers.four_chain.matchmaking_rounds_per_year * unit.matchmaking_round_wan / WAN_PER_YI
        + levers.innovation.platforms * unit.platform_yi_per_year
        + levers.ai.industry_brain_clusters * unit.industry_brain_yi_per_year
        + levers.attraction.extra_leads_per_year * unit.promotion_wan_per_lead / WAN_PER_YI
        + levers.commerce.ecommerce_support_yi_per_year
        + levers.commerce.procurement_trade_scale * unit.procurement_pilot_yi_per_year
    )
    spend(model, "subsidies", programmes / 4)
    talent = (
        levers.talent.recruited_talent_per_year * unit.settling_allowance_wan
        + levers.talent.training_places_per_year * unit.training_wan_per_place
    )
    spend(model, "talent_training", talent / WAN_PER_YI / 4)
    # Staff are paid for the cases they can handle, effort included (see TaskForce.capacity).
    staff = sum(task_force.capacity for task_force in model.task_forces) * unit.task_force_wan_per_case
    spend(model, "task_forces", staff / WAN_PER_YI)


def budget_totals(tally: Tally | Mapping[str, float]) -> dict[str, float]:
    """One quarter's gross cost, revenue and net cost (gross cost less revenue) to the budget."""
    gross = sum(tally[name] for name in COST_FLOWS)
    revenue = sum(tally[name] for name in REVENUE_FLOWS)
    return dict(zip(FISCAL_TOTALS, (gross, revenue, gross - revenue), strict=True))
