"""Phase 6: production against demand, and the market-share dynamics that follow.

Output is the lesser of a firm's orders (this quarter's demand plus its order backlog) and
its effective capacity (capital, staff, mandates). Orders a firm cannot serve go to cluster
peers with spare capacity; those nobody can serve wait in the backlog, and customers cancel
a share of them each quarter, taking their custom out of the district. Shares
then move toward more competitive firms (replicator dynamics toward Armington shares) and
toward those that delivered; a cluster's total demand follows its firms' quality-adjusted
price against outside competitors whose productivity drifts (the frontier), and cluster
growth feeds productivity through local linkages (agglomeration).

The per-firm passes are compiled loops (numba, cached on disk), each doing one step of the
rule for every firm in row order, with the same arithmetic as the array expressions they
replaced (cluster totals summed in row order, as `np.bincount` sums them); exp and log
stay numpy's, so every number is the one the array code gave, to the bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum, minimum
from sim.model.firms import Stage
from sim.model.mechanisms.cluster_totals import cluster_sum
from sim.model.mechanisms.labour import required_skilled_share
from sim.model.mechanisms.quality import log_quality_premium

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def install_capacity(model: IndustryModel) -> None:
    """Capacity depreciates; expansions finishing their build come on line."""
    firms = model.firms
    wear = (1 - model.params.investment.depreciation_rate) ** 0.25
    _install_capacity(
        firms.producing, wear, firms.capacity, firms.capital, firms.pending_timer, firms.pending_capacity
    )


@numba.njit(cache=True)
def _install_capacity(
    producing: np.ndarray,
    wear: float,
    capacity: np.ndarray,
    capital: np.ndarray,
    pending_timer: np.ndarray,
    pending_capacity: np.ndarray,
) -> None:
    for i in range(len(producing)):
        if producing[i]:
            capacity[i] *= wear
            capital[i] *= wear
        if pending_timer[i] > 0:
            pending_timer[i] -= 1
            if pending_timer[i] == 0:
                capacity[i] += pending_capacity[i]
                pending_capacity[i] = 0.0


def skill_factor(model: IndustryModel) -> np.ndarray:
    """Productivity lost when a firm lacks the skilled share its tier needs."""
    firms = model.firms
    share = firms.skilled / np.maximum(firms.workers, 1e-9)
    gap = np.maximum(required_skilled_share(model) - share, 0.0)
    return np.maximum(1 - model.params.labour.skill_gap_penalty * gap, 0.5)


def competitiveness(model: IndustryModel) -> np.ndarray:
    """Log quality-adjusted price advantage: the cost cut productivity buys, as far as firms pass
    it into prices, plus the quality premium customers pay.

    A 1% higher effective productivity cuts materials per unit of output by 1%, so unit cost by
    the cluster's materials share; `cost_pass_through` of that reaches the price.
    """
    market = model.params.market
    firms = model.firms
    effective = firms.productivity * skill_factor(model)
    cost_elasticity = market.cost_pass_through * model.clusters.materials_share[firms.cluster]
    return cost_elasticity * np.log(effective) + log_quality_premium(model)


def frontier_price_cut_q(model: IndustryModel) -> np.ndarray:
    """Quarterly log fall in each cluster's outside competitors' prices: their productivity
    growth, passed into prices as Dazu's firms pass theirs."""
    market = model.params.market
    growth_q = np.log1p(model.frontier_growth) / 4
    return market.cost_pass_through * model.clusters.materials_share * growth_q


def produce(model: IndustryModel) -> None:
    """Sell min(orders, capacity); route unmet orders to peers with room; update shares."""
    firms = model.firms
    params = model.params
    install_capacity(model)
    producing = firms.producing
    n_clusters = model.clusters.n
    _serve_orders(
        firms.cluster,
        n_clusters,
        producing,
        firms.capacity,
        firms.workers,
        firms.output_per_worker,
        1 + params.labour.overtime_limit,
        firms.curtailment,
        params.market.unserved_demand_loss,
        firms.demand,
        firms.backlog,
        firms.output,
    )
    z = competitiveness(model)
    _move_shares(model, producing, z)
    _respond_cluster_demand(model, producing, z)
    _spill_over(model, producing)
    _expect_and_sell(
        producing,
        params.investment.expectation_weight,
        model.price_index,
        firms.demand,
        firms.expected_demand,
        firms.output,
        firms.revenue,
    )


@numba.njit(cache=True)
def _serve_orders(
    cluster: np.ndarray,
    n_clusters: int,
    producing: np.ndarray,
    capacity: np.ndarray,
    workers: np.ndarray,
    output_per_worker: np.ndarray,
    hours: float,
    curtailment: np.ndarray,
    cancel_rate: float,
    demand: np.ndarray,
    backlog: np.ndarray,
    output: np.ndarray,
) -> None:
    """Output is the lesser of orders (demand plus backlog) and effective capacity (plant, or
    staff on standard hours plus the overtime the law allows, less any curtailment); orders
    a firm cannot serve go to cluster peers with room, in proportion to their room; those
    nobody can serve wait in the backlog, less the share customers cancel, which leaves the
    firm's demand by the share of this quarter's demand in its orders."""
    n = len(cluster)
    room = np.zeros(n)
    orders = np.empty(n)
    excess = np.empty(n)
    unmet = np.zeros(n_clusters)
    room_by_cluster = np.zeros(n_clusters)
    for i in range(n):
        cap = 0.0
        if producing[i]:
            cap = minimum(capacity[i], workers[i] * output_per_worker[i] * hours)
            cap *= 1 - curtailment[i]
        orders[i] = demand[i] + backlog[i]
        output[i] = minimum(orders[i], cap)
        excess[i] = orders[i] - output[i]
        room[i] = cap - output[i]
        if producing[i]:
            unmet[cluster[i]] += excess[i]
            room_by_cluster[cluster[i]] += room[i]
    fill = np.zeros(n_clusters)
    unserved = np.zeros(n_clusters)
    for c in range(n_clusters):
        if room_by_cluster[c] > 0:
            fill[c] = minimum(unmet[c] / room_by_cluster[c], 1.0)
        if unmet[c] > 0:
            unserved[c] = (unmet[c] - minimum(unmet[c], room_by_cluster[c])) / unmet[c]
    for i in range(n):
        c = cluster[i]
        waiting = excess[i] * unserved[c]
        cancelled = cancel_rate * waiting
        if producing[i]:
            output[i] = output[i] + room[i] * fill[c]
            current = demand[i] / orders[i] if orders[i] > 0 else 0.0
            demand[i] = demand[i] - cancelled * current
            backlog[i] = waiting - cancelled
        else:
            output[i] = 0.0
            backlog[i] = 0.0


def _move_shares(model: IndustryModel, producing: np.ndarray, z: np.ndarray) -> None:
    """Replicator step on competitiveness, then a shift toward what firms delivered."""
    market = model.params.market
    firms = model.firms
    operating = producing & (firms.stage == Stage.OPERATING)
    speed = market.share_elasticity * market.trade_elasticity
    tilt = _share_tilt(firms.cluster, model.clusters.n, operating, firms.demand, z, speed)
    _mix_shares(
        firms.cluster,
        model.clusters.n,
        operating,
        np.exp(tilt),
        market.delivery_weight,
        firms.demand,
        firms.output,
    )


@numba.njit(cache=True)
def _share_tilt(
    cluster: np.ndarray,
    n_clusters: int,
    operating: np.ndarray,
    demand: np.ndarray,
    z: np.ndarray,
    elasticity: float,
) -> np.ndarray:
    """Log of each firm's replicator factor: elasticity x its competitiveness above the
    demand-weighted mean of its cluster's operating firms."""
    total = np.zeros(n_clusters)
    weighted = np.zeros(n_clusters)
    for i in range(len(cluster)):
        if operating[i]:
            total[cluster[i]] += demand[i]
            weighted[cluster[i]] += demand[i] * z[i]
    mean_z = np.empty(n_clusters)
    for c in range(n_clusters):
        mean_z[c] = weighted[c] / maximum(total[c], 1e-12)
    tilt = np.empty(len(cluster))
    for i in range(len(cluster)):
        tilt[i] = elasticity * (z[i] - mean_z[cluster[i]])
    return tilt


@numba.njit(cache=True)
def _mix_shares(
    cluster: np.ndarray,
    n_clusters: int,
    operating: np.ndarray,
    factor: np.ndarray,
    delivery_weight: float,
    demand: np.ndarray,
    output: np.ndarray,
) -> None:
    """Operating firms' demand: the cluster's total shared by merit (demand x replicator
    factor) and by delivery (output), mixed by the delivery weight."""
    n = len(cluster)
    tilted = np.empty(n)
    total = np.zeros(n_clusters)
    delivered = np.zeros(n_clusters)
    tilted_total = np.zeros(n_clusters)
    for i in range(n):
        tilted[i] = demand[i] * factor[i]
        if operating[i]:
            c = cluster[i]
            total[c] += demand[i]
            delivered[c] += output[i]
            tilted_total[c] += tilted[i]
    merit_scale = np.empty(n_clusters)
    delivery_scale = np.empty(n_clusters)
    for c in range(n_clusters):
        merit_scale[c] = total[c] / maximum(tilted_total[c], 1e-12)
        delivery_scale[c] = total[c] / maximum(delivered[c], 1e-12)
    for i in range(n):
        if operating[i]:
            by_merit = tilted[i] * merit_scale[cluster[i]]
            by_delivery = output[i] * delivery_scale[cluster[i]]
            demand[i] = (1 - delivery_weight) * by_merit + delivery_weight * by_delivery


def _respond_cluster_demand(model: IndustryModel, producing: np.ndarray, z: np.ndarray) -> None:
    """A cluster's sales outside the district follow its price advantage over outside competitors.

    Its firms' gain in competitiveness this quarter, less the price cut the outside frontier
    made, moves the cluster's demand by the trade elasticity (Armington). The gain is measured
    on continuing firms, so entry and exit do not count as gains.
    """
    firms = model.firms
    mean_gain = _mean_gain(firms.cluster, model.clusters.n, producing, firms.demand, z, firms.competitiveness)
    gap_change = mean_gain - frontier_price_cut_q(model)
    model.competitive_position += gap_change
    change = np.exp(model.params.market.trade_elasticity * gap_change)
    _scale_rows(firms.cluster, producing, change, firms.demand)
    _take_where(producing, z, firms.competitiveness)


@numba.njit(cache=True)
def _mean_gain(
    cluster: np.ndarray,
    n_clusters: int,
    producing: np.ndarray,
    demand: np.ndarray,
    z: np.ndarray,
    previous: np.ndarray,
) -> np.ndarray:
    """Demand-weighted mean change in competitiveness of each cluster's continuing firms
    (producing, with a competitiveness last quarter)."""
    weights = np.zeros(n_clusters)
    gains = np.zeros(n_clusters)
    big = np.finfo(np.float64).max
    for i in range(len(cluster)):
        before = previous[i]
        if producing[i] and before == before:
            before = big if before > big else (-big if before < -big else before)  # np.nan_to_num
            weights[cluster[i]] += demand[i]
            gains[cluster[i]] += demand[i] * (z[i] - before)
    mean = np.empty(n_clusters)
    for c in range(n_clusters):
        mean[c] = gains[c] / maximum(weights[c], 1e-12)
    return mean


@numba.njit(cache=True)
def _scale_rows(cluster: np.ndarray, mask: np.ndarray, by_cluster: np.ndarray, values: np.ndarray) -> None:
    """values *= by_cluster[cluster] on the masked rows."""
    for i in range(len(cluster)):
        if mask[i]:
            values[i] *= by_cluster[cluster[i]]


@numba.njit(cache=True)
def _take_where(mask: np.ndarray, new: np.ndarray, values: np.ndarray) -> None:
    """values = new on the masked rows."""
    for i in range(len(mask)):
        if mask[i]:
            values[i] = new[i]


def _spill_over(model: IndustryModel, producing: np.ndarray) -> None:
    """Cluster output growth raises members' productivity via local supplier linkages."""
    market = model.params.market
    firms = model.firms
    cluster_output = cluster_sum(model, producing, firms.output)
    if model.cluster_output is not None:
        growth = np.log(np.maximum(cluster_output, 1e-12) / np.maximum(model.cluster_output, 1e-12))
        boost = np.exp(market.agglomeration_elasticity * model.local_input_share * growth)
        _scale_rows(firms.cluster, producing, boost, firms.productivity)
    model.cluster_output = cluster_output


@numba.njit(cache=True)
def _expect_and_sell(
    producing: np.ndarray,
    weight: float,
    price_index: float,
    demand: np.ndarray,
    expected_demand: np.ndarray,
    output: np.ndarray,
    revenue: np.ndarray,
) -> None:
    """Producing firms' expected demand moves toward this quarter's; revenue is output at the price index."""
    for i in range(len(producing)):
        if producing[i]:
            expected_demand[i] = weight * demand[i] + (1 - weight) * expected_demand[i]
        revenue[i] = output[i] * price_index
