"""Phase 6: production against demand, and the market-share dynamics that follow.

Output is the lesser of a firm's orders (this quarter's demand plus its order backlog) and
its effective capacity (capital, staff, mandates). Orders a firm cannot serve go to cluster
peers with spare capacity; those nobody can serve wait in the backlog, and customers cancel
a share of them each quarter, taking their custom out of the district. Shares
then move toward more competitive firms (replicator dynamics) and toward those that
delivered; a cluster's total demand responds to its firms' average competitiveness, and
cluster growth feeds productivity through local linkages (agglomeration).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.firms import Stage
from sim.model.mechanisms.cluster_totals import cluster_sum
from sim.model.mechanisms.labour import required_skilled_share

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def install_capacity(model: IndustryModel) -> None:
    """Capacity depreciates; expansions finishing their build come on line."""
    firms = model.firms
    wear = (1 - model.params.investment.depreciation_rate) ** 0.25
    # Multiplying the other rows by one leaves them as they are, and costs less than picking
    # out the producing rows (here and in the updates below).
    wear_now = np.where(firms.producing, wear, 1.0)
    firms.capacity *= wear_now
    firms.capital *= wear_now
    building = firms.pending_timer > 0
    firms.pending_timer[building] -= 1
    ready = building & (firms.pending_timer == 0)
    firms.capacity[ready] += firms.pending_capacity[ready]
    firms.pending_capacity[ready] = 0.0


def skill_factor(model: IndustryModel) -> np.ndarray:
    """Productivity lost when a firm lacks the skilled share its tier needs."""
    firms = model.firms
    share = firms.skilled / np.maximum(firms.workers, 1e-9)
    gap = np.maximum(required_skilled_share(model) - share, 0.0)
    return np.maximum(1 - model.params.labour.skill_gap_penalty * gap, 0.5)


def competitiveness(model: IndustryModel) -> np.ndarray:
    """Log competitiveness: effective productivity plus weighted log quality."""
    firms = model.firms
    effective = firms.productivity * skill_factor(model)
    return np.log(effective) + model.params.market.quality_weight * np.log(firms.quality)


def effective_capacity(model: IndustryModel) -> np.ndarray:
    """What a firm can make this quarter: its plant, its staff on standard hours plus the
    overtime the law allows (paid at a premium in the accounts), less any curtailment."""
    firms = model.firms
    staffed = firms.workers * firms.output_per_worker * (1 + model.params.labour.overtime_limit)
    cap = np.minimum(firms.capacity, staffed)
    cap *= np.where(firms.curtailed, 1 - model.params.green.curtailment, 1.0)
    return np.where(firms.producing, cap, 0.0)


def produce(model: IndustryModel) -> None:
    """Sell min(orders, capacity); route unmet orders to peers with room; update shares."""
    firms = model.firms
    install_capacity(model)
    producing = firms.producing
    capacity = effective_capacity(model)
    orders = firms.demand + firms.backlog
    output = np.minimum(orders, capacity)
    excess = orders - output
    unmet = cluster_sum(model, producing, excess)
    room = capacity - output
    room_by_cluster = cluster_sum(model, producing, room)
    fill = np.divide(unmet, room_by_cluster, out=np.zeros_like(unmet), where=room_by_cluster > 0)
    output += room * np.minimum(fill, 1.0)[firms.cluster]
    firms.output = np.where(producing, output, 0.0)
    _carry_backlog(model, producing, orders, excess, unmet, room_by_cluster)

    z = competitiveness(model)
    _move_shares(model, producing, z)
    _respond_cluster_demand(model, producing, z)
    _spill_over(model, producing)

    weight = model.params.investment.expectation_weight
    firms.expected_demand = np.where(
        producing, weight * firms.demand + (1 - weight) * firms.expected_demand, firms.expected_demand
    )
    firms.revenue = firms.output * model.price_index


def _carry_backlog(
    model: IndustryModel,
    producing: np.ndarray,
    orders: np.ndarray,
    excess: np.ndarray,
    unmet: np.ndarray,
    room_by_cluster: np.ndarray,
) -> None:
    """Orders nobody in the cluster could serve wait for next quarter, less those cancelled.

    Customers who cancel take their custom elsewhere: the firm's demand falls by the
    cancelled orders' share that was this quarter's demand (the rest was backlog already).
    """
    firms = model.firms
    unserved = np.divide(
        unmet - np.minimum(unmet, room_by_cluster), unmet, out=np.zeros_like(unmet), where=unmet > 0
    )
    waiting = excess * unserved[firms.cluster]
    cancelled = model.params.market.unserved_demand_loss * waiting
    current = np.divide(firms.demand, orders, out=np.zeros(firms.n), where=orders > 0)
    firms.demand = np.where(producing, firms.demand - cancelled * current, firms.demand)
    firms.backlog = np.where(producing, waiting - cancelled, 0.0)


def _move_shares(model: IndustryModel, producing: np.ndarray, z: np.ndarray) -> None:
    """Replicator step on competitiveness, then a shift toward what firms delivered."""
    market = model.params.market
    firms = model.firms
    operating = producing & (firms.stage == Stage.OPERATING)
    total = cluster_sum(model, operating, firms.demand)
    mean_z = cluster_sum(model, operating, firms.demand * z) / np.maximum(total, 1e-12)
    tilted = firms.demand * np.exp(market.share_elasticity * (z - mean_z[firms.cluster]))
    delivered = cluster_sum(model, operating, firms.output)
    tilted_total = cluster_sum(model, operating, tilted)
    by_merit = tilted * (total / np.maximum(tilted_total, 1e-12))[firms.cluster]
    by_delivery = firms.output * (total / np.maximum(delivered, 1e-12))[firms.cluster]
    mixed = (1 - market.delivery_weight) * by_merit + market.delivery_weight * by_delivery
    firms.demand = np.where(operating, mixed, firms.demand)


def _respond_cluster_demand(model: IndustryModel, producing: np.ndarray, z: np.ndarray) -> None:
    """A cluster whose firms grew more competitive wins demand from outside the district.

    The change is measured on continuing firms, so entry and exit do not count as gains.
    """
    firms = model.firms
    continuing = producing & ~np.isnan(firms.competitiveness)
    gain = np.where(continuing, z - np.nan_to_num(firms.competitiveness), 0.0)
    weights = cluster_sum(model, continuing, firms.demand)
    mean_gain = cluster_sum(model, continuing, firms.demand * gain) / np.maximum(weights, 1e-12)
    change = np.exp(model.params.market.competitiveness_demand_elasticity * mean_gain)
    firms.demand *= np.where(producing, change[firms.cluster], 1.0)
    firms.competitiveness = np.where(producing, z, firms.competitiveness)


def _spill_over(model: IndustryModel, producing: np.ndarray) -> None:
    """Cluster output growth raises members' productivity via local supplier linkages."""
    market = model.params.market
    firms = model.firms
    cluster_output = cluster_sum(model, producing, firms.output)
    if model.cluster_output is not None:
        growth = np.log(np.maximum(cluster_output, 1e-12) / np.maximum(model.cluster_output, 1e-12))
        boost = np.exp(market.agglomeration_elasticity * model.local_input_share * growth)
        firms.productivity *= np.where(producing, boost[firms.cluster], 1.0)
    model.cluster_output = cluster_output
