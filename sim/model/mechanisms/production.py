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
replaced (cluster totals summed in row order, as `np.bincount` sums them; exp and log,
where a loop takes them, libm's, as numpy's are on a machine without AVX-512), so every
number is the one the array code gave, to the bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum, minimum
from sim.model.firms import Stage
from sim.model.mechanisms.quality import quality_premium_elasticity

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def install_capacity(model: IndustryModel) -> tuple[np.ndarray, np.ndarray]:
    """Capacity depreciates; expansions finishing their build come on line.

    Returns the producing (ramping or operating) and the operating firms, which installing
    changes neither, found in the same pass.
    """
    firms = model.firms
    wear = (1 - model.params.investment.depreciation_rate) ** 0.25
    return _install_capacity(
        firms.alive,
        firms.stage,
        int(Stage.BUILDING),
        int(Stage.OPERATING),
        wear,
        firms.capacity,
        firms.capital,
        firms.pending_timer,
        firms.pending_capacity,
    )


@numba.njit(cache=True, error_model="numpy")
def _install_capacity(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    operating: int,
    wear: float,
    capacity: np.ndarray,
    capital: np.ndarray,
    pending_timer: np.ndarray,
    pending_capacity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    n = len(alive)
    producing = np.empty(n, np.bool_)
    operates = np.empty(n, np.bool_)
    for i in range(n):
        producing[i] = alive[i] and stage[i] != building
        operates[i] = alive[i] and stage[i] == operating
        if producing[i]:
            capacity[i] *= wear
            capital[i] *= wear
        if pending_timer[i] > 0:
            pending_timer[i] -= 1
            if pending_timer[i] == 0:
                capacity[i] += pending_capacity[i]
                pending_capacity[i] = 0.0
    return producing, operates


def competitiveness(model: IndustryModel, among: np.ndarray | None = None) -> np.ndarray:
    """Log quality-adjusted price advantage of the firms `among` marks (every firm without
    it; 0 for the others): the cost cut productivity buys, as far as firms pass it into
    prices, plus the quality premium customers pay.

    A 1% higher effective productivity cuts materials per unit of output by 1%, so unit cost by
    the cluster's materials share; `cost_pass_through` of that reaches the price. Effective
    productivity loses what a shortage of skilled staff costs (`_effective_productivity`).
    One numpy log takes both logs, of the firms marked only (faster, measured, than two
    logs inside the loop).
    """
    params = model.params
    firms = model.firms
    if among is None:
        among = np.ones(firms.n, np.bool_)
    logs = np.log(
        _effective_productivity(
            among,
            firms.productivity,
            firms.skilled,
            firms.workers,
            firms.tier,
            np.asarray(params.labour.required_skilled_share, float),
            params.labour.skill_gap_penalty,
            firms.quality,
        )
    )
    return _competitiveness(
        among,
        firms.cluster,
        params.market.cost_pass_through,
        model.clusters.materials_share,
        logs,
        quality_premium_elasticity(model),
    )


@numba.njit(cache=True, error_model="numpy")
def _effective_productivity(
    among: np.ndarray,
    productivity: np.ndarray,
    skilled: np.ndarray,
    workers: np.ndarray,
    tier: np.ndarray,
    required_skilled_share: np.ndarray,
    skill_gap_penalty: float,
    quality: np.ndarray,
) -> np.ndarray:
    """For each firm `among` marks (in row order), productivity less the share lost for lack of
    the skilled share the firm's tier needs (the penalty on the gap, at most half; row 0),
    and its quality (row 1)."""
    top = len(required_skilled_share) - 1
    values = np.empty((2, len(productivity)))
    k = 0
    for i in range(len(productivity)):
        if among[i]:
            share = skilled[i] / maximum(workers[i], 1e-9)
            gap = maximum(required_skilled_share[min(tier[i], top)] - share, 0.0)
            values[0, k] = productivity[i] * maximum(1 - skill_gap_penalty * gap, 0.5)
            values[1, k] = quality[i]
            k += 1
    return values[:, :k]


@numba.njit(cache=True, error_model="numpy")
def _competitiveness(
    among: np.ndarray,
    cluster: np.ndarray,
    cost_pass_through: float,
    materials_share: np.ndarray,
    logs: np.ndarray,
    premium_elasticity: float,
) -> np.ndarray:
    """Pass-through x materials share x log effective productivity, plus the quality premium
    (`logs` of the firms `among` marks, as `_effective_productivity` lists them)."""
    z = np.zeros(len(cluster))
    k = 0
    for i in range(len(cluster)):
        if among[i]:
            cost_elasticity = cost_pass_through * materials_share[cluster[i]]
            z[i] = cost_elasticity * logs[0, k] + premium_elasticity * logs[1, k]
            k += 1
    return z


def produce(model: IndustryModel) -> None:
    """Sell min(orders, capacity); route unmet orders to peers with room; update shares.

    Shares move by competitiveness and delivery; a cluster's demand follows its price
    advantage over outside competitors; cluster growth feeds productivity (agglomeration).
    """
    firms = model.firms
    params = model.params
    market = params.market
    producing, operating = install_capacity(model)
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
        market.unserved_demand_loss,
        firms.demand,
        firms.backlog,
        firms.output,
    )
    z = competitiveness(model, producing)  # nothing reads the others' this quarter
    mean_gain, cluster_output = _mix_shares(
        firms.cluster,
        n_clusters,
        operating,
        market.share_elasticity * market.trade_elasticity,
        market.delivery_weight,
        producing,
        z,
        firms.competitiveness,
        firms.demand,
        firms.output,
    )
    previous_output = model.cluster_output
    model.cluster_output = cluster_output
    _close_quarter(
        firms.cluster,
        producing,
        mean_gain,
        market.cost_pass_through,
        model.clusters.materials_share,
        model.frontier_growth,
        market.trade_elasticity,
        model.competitive_position,
        cluster_output,
        previous_output is not None,
        cluster_output if previous_output is None else previous_output,
        market.agglomeration_elasticity * model.local_input_share,
        z,
        params.investment.expectation_weight,
        model.price_index,
        firms.demand,
        firms.competitiveness,
        firms.productivity,
        firms.expected_demand,
        firms.output,
        firms.revenue,
    )


@numba.njit(cache=True, error_model="numpy")
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


@numba.njit(cache=True, error_model="numpy")
def _mix_shares(
    cluster: np.ndarray,
    n_clusters: int,
    operating: np.ndarray,
    elasticity: float,
    delivery_weight: float,
    producing: np.ndarray,
    z: np.ndarray,
    previous_z: np.ndarray,
    demand: np.ndarray,
    output: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Operating firms' demand (no other firm's is shared out): the cluster's total shared by
    merit and by delivery (output), mixed by the delivery weight. By merit, each firm's
    demand takes the replicator factor exp(elasticity x its competitiveness above the
    demand-weighted mean of its cluster's operating firms).

    Returns, by cluster, the demand-weighted mean gain in competitiveness of the continuing
    firms (producing, with a competitiveness last quarter) and the producing firms' output.
    """
    n = len(cluster)
    total = np.zeros(n_clusters)
    weighted = np.zeros(n_clusters)
    delivered = np.zeros(n_clusters)
    for i in range(n):
        if operating[i]:
            c = cluster[i]
            total[c] += demand[i]
            weighted[c] += demand[i] * z[i]
            delivered[c] += output[i]
    mean_z = np.empty(n_clusters)
    for c in range(n_clusters):
        mean_z[c] = weighted[c] / maximum(total[c], 1e-12)
    tilted = np.empty(n)
    tilted_total = np.zeros(n_clusters)
    for i in range(n):
        if operating[i]:
            c = cluster[i]
            tilted[i] = demand[i] * np.exp(elasticity * (z[i] - mean_z[c]))
            tilted_total[c] += tilted[i]
    merit_scale = np.empty(n_clusters)
    delivery_scale = np.empty(n_clusters)
    for c in range(n_clusters):
        merit_scale[c] = total[c] / maximum(tilted_total[c], 1e-12)
        delivery_scale[c] = total[c] / maximum(delivered[c], 1e-12)
    weights = np.zeros(n_clusters)
    gains = np.zeros(n_clusters)
    cluster_output = np.zeros(n_clusters)
    big = np.finfo(np.float64).max
    for i in range(n):
        c = cluster[i]
        if operating[i]:
            by_merit = tilted[i] * merit_scale[c]
            by_delivery = output[i] * delivery_scale[c]
            demand[i] = (1 - delivery_weight) * by_merit + delivery_weight * by_delivery
        if producing[i]:
            cluster_output[c] += output[i]
            before = previous_z[i]
            if before == before:
                before = big if before > big else (-big if before < -big else before)  # np.nan_to_num
                weights[c] += demand[i]
                gains[c] += demand[i] * (z[i] - before)
    mean_gain = np.empty(n_clusters)
    for c in range(n_clusters):
        mean_gain[c] = gains[c] / maximum(weights[c], 1e-12)
    return mean_gain, cluster_output


@numba.njit(cache=True, error_model="numpy")
def _close_quarter(
    cluster: np.ndarray,
    producing: np.ndarray,
    mean_gain: np.ndarray,
    cost_pass_through: float,
    materials_share: np.ndarray,
    frontier_growth: np.ndarray,
    trade_elasticity: float,
    competitive_position: np.ndarray,
    cluster_output: np.ndarray,
    spillover: bool,
    previous_output: np.ndarray,
    agglomeration: float,
    z: np.ndarray,
    weight: float,
    price_index: float,
    demand: np.ndarray,
    competitiveness: np.ndarray,
    productivity: np.ndarray,
    expected_demand: np.ndarray,
    output: np.ndarray,
    revenue: np.ndarray,
) -> None:
    """Each cluster's demand moves with its price advantage over outside competitors
    (Armington): its continuing firms' mean gain in competitiveness, less the quarter's fall
    in the frontier's prices (its productivity growth passed into prices as Dazu's firms
    pass theirs), times the trade elasticity. With a quarter before (`spillover`), the
    cluster's output growth raises its members' productivity via local supplier linkages.

    Producing firms' demand moves with their cluster's, their competitiveness is this
    quarter's, their productivity takes the spillover and their expected demand moves toward
    this quarter's; revenue is output at the price index."""
    n_clusters = len(mean_gain)
    demand_change = np.empty(n_clusters)
    boost = np.ones(n_clusters)
    for c in range(n_clusters):
        frontier_cut = cost_pass_through * materials_share[c] * (np.log1p(frontier_growth[c]) / 4)
        gap_change = mean_gain[c] - frontier_cut
        competitive_position[c] += gap_change
        demand_change[c] = np.exp(trade_elasticity * gap_change)
        if spillover:
            growth = np.log(maximum(cluster_output[c], 1e-12) / maximum(previous_output[c], 1e-12))
            boost[c] = np.exp(agglomeration * growth)
    for i in range(len(producing)):
        if producing[i]:
            c = cluster[i]
            demand[i] *= demand_change[c]
            competitiveness[i] = z[i]
            productivity[i] *= boost[c]
            expected_demand[i] = weight * demand[i] + (1 - weight) * expected_demand[i]
        revenue[i] = output[i] * price_index
