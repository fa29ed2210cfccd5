"""The district budget's cost of a scenario, booked where each lever acts, in 亿元.

Mechanisms book what the plan pays for as it happens (a subsidy when a project starts, a
pool payout when a firm defaults); running costs (platforms, task-force staff, promotion)
are booked once a quarter here. Unit costs are the assumptions of the [fiscal] section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    "tariff_revenue",  # differential-tariff surcharges collected (a negative cost)
)
FISCAL_FLOWS = tuple(f"fiscal_{category}_yi" for category in CATEGORIES)
WAN_PER_YI = 1e4


def spend(model: IndustryModel, category: str, amount_yi: float) -> None:
    """Book `amount_yi` of this quarter's spending under `category` (the tally refuses unknown ones)."""
    model.scratch.tally.add(f"fiscal_{category}_yi", float(amount_yi))


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


def total_cost_yi(tally: Tally) -> float:
    """Net cost to the budget of one quarter's fiscal flows."""
    return sum(tally[name] for name in FISCAL_FLOWS)
