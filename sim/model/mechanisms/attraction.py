"""Phase 3: leads convert into projects, small firms are born, projects build and ramp up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np
from numpy.typing import ArrayLike

from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firms import FirmArrays, Stage
from sim.model.fiscal import sell_land, spend
from sim.model.mechanisms.investment import new_land_density
from sim.model.weighted_choice import weighted_choice
from sim.model.world import OUTPUT_PER_WORKER_DISPERSION

if TYPE_CHECKING:
    from sim.model.mechanisms.environment import Leads
    from sim.model.model import IndustryModel

Columns = dict[str, ArrayLike]  # newcomers' firm columns, as `IndustryModel.add_firms` takes them


def cluster_means(model: IndustryModel, fallback: np.ndarray | None = None) -> np.ndarray:
    """Mean log productivity, quality and output per worker of each cluster's producing firms.

    A cluster with no producing firm left takes the `fallback` means (the base year's), so
    newcomers can still enter it. Returns an array of shape (3, clusters).
    """
    firms = model.firms
    n_clusters = model.clusters.n
    floored, members, counts, sums = _producing_sums(
        firms.alive,
        firms.stage,
        int(Stage.BUILDING),
        firms.cluster,
        n_clusters,
        firms.productivity,
        firms.quality,
        firms.output_per_worker,
    )
    # numpy's log (numba's differs in the last bit) of the producing firms' floored productivity;
    # with no fallback an empty cluster's means are zero, the sums' zeros over one.
    return _cluster_means(
        np.log(floored), members, counts, sums, np.zeros((3, n_clusters)) if fallback is None else fallback
    )


@numba.njit(cache=True, error_model="numpy")
def _producing_sums(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    cluster: np.ndarray,
    n_clusters: int,
    productivity: np.ndarray,
    quality: np.ndarray,
    output_per_worker: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The producing firms' (alive, not building) productivity floored at 1e-12 and cluster,
    in row order, and per cluster their count and the sums of their quality and output per
    worker (rows 1 and 2 of the sums; row 0 is left for the log productivity)."""
    n = len(alive)
    floored = np.empty(n)
    members = np.empty(n, np.int64)
    counts = np.zeros(n_clusters, np.int64)
    sums = np.zeros((3, n_clusters))
    k = 0
    for i in range(n):
        if alive[i] and stage[i] != building:
            c = cluster[i]
            floored[k] = maximum(productivity[i], 1e-12)
            members[k] = c
            counts[c] += 1
            sums[1, c] += quality[i]
            sums[2, c] += output_per_worker[i]
            k += 1
    return floored[:k], members[:k], counts, sums


@numba.njit(cache=True, error_model="numpy")
def _cluster_means(
    log_a: np.ndarray, members: np.ndarray, counts: np.ndarray, sums: np.ndarray, fallback: np.ndarray
) -> np.ndarray:
    """Each cluster's means: `sums` with the log productivity of its producing firms (summed in
    row order) over their count, or `fallback`'s where it has none."""
    for k in range(len(log_a)):
        sums[0, members[k]] += log_a[k]
    means = np.empty((3, len(counts)))
    for c in range(len(counts)):
        for column in range(3):
            means[column, c] = sums[column, c] / counts[c] if counts[c] > 0 else fallback[column, c]
    return means


def newcomer_means(model: IndustryModel) -> np.ndarray:
    """The cluster means newcomers start around (the base year's where a cluster is empty)."""
    return cluster_means(model, model.constants.base_cluster_means)


def _grant_land(model: IndustryModel, first_row: int, need_mu: np.ndarray) -> np.ndarray:
    """Try to give each newcomer its land; returns the area each got (0 when refused).

    Newcomers that get land take firm rows from `first_row` on, in order.
    """
    granted = model.parcels.allocate_many(first_row, need_mu, model.params.attraction.min_land_share)
    model.scratch.tally.add("land_refusals", int(np.count_nonzero(granted == 0)))
    sell_land(model, granted)
    return granted


def _newcomer_columns(
    model: IndustryModel,
    cluster: np.ndarray,
    capacity: np.ndarray,
    granted: np.ndarray,
    productivity_edge: float,
    bank_draw: np.ndarray,
    spread_draw: np.ndarray,
    means: np.ndarray | None,
) -> Columns:
    """State shared by every kind of newcomer (an array, or a scalar for all); callers add
    stage, size and tier.

    Newcomers bank with a bank drawn in proportion to lending capacity (`bank_draw` is a
    uniform draw per newcomer). Their productivity and output per worker spread around the
    cluster's means as the base year's firms do (`spread_draw`, two standard normals per
    newcomer): entrants all at the mean would narrow the dispersion with every exit.
    `means` are this quarter's `newcomer_means`, if the caller has them.
    """
    log_a, quality, per_worker = newcomer_means(model) if means is None else means
    clusters = model.clusters
    bank, productivity_log, quality_of, per_worker_of, spread_log, energy, capital, density = _newcomer_state(
        cluster,
        capacity,
        granted,
        np.array([bank.capacity_yi for bank in model.banks]),
        bank_draw,
        spread_draw,
        log_a,
        quality,
        per_worker,
        productivity_edge,
        model.constants.productivity_dispersion,
        OUTPUT_PER_WORKER_DISPERSION**2 / 2,
        clusters.base_energy_intensity,
        model.params.attraction.newcomer_energy_factor,
        clusters.capital_output,
        model.price_index,
    )
    return {
        "alive": True,
        "cluster": cluster,
        "bank": bank,
        "productivity": np.exp(productivity_log),  # numpy's exp: numba's differs in the last bit
        "quality": quality_of,
        "competitiveness": np.nan,
        "output_per_worker": per_worker_of * np.exp(spread_log),
        "energy_intensity": energy,
        "capital": capital,
        "land_mu": granted,
        "density": density,
        "loan_rate": model.constants.policy_rate,
        "entry_step": model.steps,
    }


@numba.njit(cache=True, error_model="numpy")
def _newcomer_state(
    cluster: np.ndarray,
    capacity: np.ndarray,
    granted: np.ndarray,
    capacities: np.ndarray,
    bank_draw: np.ndarray,
    spread_draw: np.ndarray,
    log_a: np.ndarray,
    quality: np.ndarray,
    per_worker: np.ndarray,
    productivity_edge: float,
    productivity_dispersion: float,
    half_variance: float,
    base_energy_intensity: np.ndarray,
    energy_factor: float,
    capital_output: np.ndarray,
    price_index: float,
) -> tuple[np.ndarray, ...]:
    """`_newcomer_columns`' arithmetic in one pass, each value as its numpy expression had it
    (left to right): the bank (the first whose cumulative share of lending capacity is above
    the draw), the logs whose exp are productivity and the output-per-worker spread, the
    cluster's quality and output per worker, energy intensity, capital and density."""
    n = len(cluster)
    banks = len(capacities)
    edges = np.cumsum(capacities) / array_sum(capacities, banks)
    bank = np.empty(n, np.int64)
    productivity_log = np.empty(n)
    quality_of = np.empty(n)
    per_worker_of = np.empty(n)
    spread_log = np.empty(n)
    energy = np.empty(n)
    capital = np.empty(n)
    density = np.empty(n)
    for i in range(n):
        c = cluster[i]
        chosen = np.searchsorted(edges, bank_draw[i], side="right")
        bank[i] = min(chosen, banks - 1)
        productivity_log[i] = log_a[c] + productivity_edge + productivity_dispersion * spread_draw[i, 0]
        quality_of[i] = quality[c]
        per_worker_of[i] = per_worker[c]
        spread_log[i] = OUTPUT_PER_WORKER_DISPERSION * spread_draw[i, 1] - half_variance
        energy[i] = base_energy_intensity[c] * energy_factor
        capital[i] = capacity[i] * 4 * capital_output[c] * price_index
        density[i] = capacity[i] / maximum(granted[i], 1e-9)
    return bank, productivity_log, quality_of, per_worker_of, spread_log, energy, capital, density


def convert_leads(model: IndustryModel, leads: Leads, means: np.ndarray | None = None) -> None:
    """Leads sign with a chance raised by task-force support and incentives, if they pass the
    land screen and get land; approvals reform and task-force help shorten the build.

    `means`: this quarter's `newcomer_means`, if the caller has them.
    """
    _add_newcomers(model, _signed_projects(model, leads, means))


def _signed_projects(model: IndustryModel, leads: Leads, means: np.ndarray | None) -> Columns | None:
    """`convert_leads` up to adding the firms: the signed projects' columns (None if none),
    their land granted and their tallies booked."""
    params = model.params
    attraction = params.attraction
    incentive = params.levers.attraction.incentive_share
    capacity, need_mu, signs, screened_out = _lead_decisions(
        leads.cluster,
        leads.annual_output_yi,
        leads.supported,
        leads.signing_draw,
        leads.density_noise,
        model.cluster_effort,
        new_land_density(model),
        attraction.conversion_rate,
        params.task_forces.lead_support,
        1 + attraction.incentive_response * incentive,
        model.price_index,
        params.levers.land.min_output_per_mu_wan,
    )
    model.scratch.tally.add("leads", leads.n)
    model.scratch.tally.add("leads_screened_out", screened_out)
    signed = np.flatnonzero(signs)
    if len(signed) == 0:
        return None
    needs = need_mu[signed]
    granted = _grant_land(model, model.firms.n, needs)
    kept, planned = _granted_capacity(granted, capacity[signed], needs)
    chosen = signed[kept]
    cluster = leads.cluster[chosen]
    saved = params.task_forces.approval_quarters_saved * leads.supported[chosen]
    saved = saved + params.levers.attraction.approval_quarters_cut
    columns = _newcomer_columns(
        model,
        cluster,
        planned,
        granted[kept],
        attraction.newcomer_productivity,
        leads.bank_draw[chosen],
        leads.spread_draw[chosen],
        means,
    )
    tech = leads.tech_draw[chosen] < attraction.new_project_tech_share
    columns.update(
        stage=Stage.BUILDING,
        stage_timer=np.maximum(1, attraction.build_quarters - saved),
        planned_capacity=planned,
        tier=attraction.new_firm_tier,
        tech=tech,
        ever_certified=tech,
        cash=params.accounts.initial_cash_ratio * planned * 4 * model.price_index,
    )
    model.scratch.tally.add("projects_signed", len(cluster))
    model.scratch.tally.add("signed_output_yi", float(planned.sum()) * 4 * model.price_index)
    capital = float(np.asarray(columns["capital"]).sum())
    model.scratch.tally.add("investment_yi", capital)
    spend(model, "subsidies", incentive * capital)
    return columns


@numba.njit(cache=True, error_model="numpy")
def _lead_decisions(
    cluster: np.ndarray,
    annual_output_yi: np.ndarray,
    supported: np.ndarray,
    signing_draw: np.ndarray,
    density_noise: np.ndarray,
    cluster_effort: np.ndarray,
    new_density: np.ndarray,
    conversion_rate: float,
    lead_support: float,
    incentive_factor: float,
    price_index: float,
    min_output_per_mu_wan: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Each lead's capacity and land need, whether it signs (its chance, raised by support
    and incentives, above its draw, and its output per mu passing the screen), and how
    many the screen turned away: numpy's steps, left to right, one lead at a time."""
    n = len(cluster)
    capacity = np.empty(n)
    need_mu = np.empty(n)
    signs = np.empty(n, np.bool_)
    screened_out = 0
    for i in range(n):
        c = cluster[i]
        chance = conversion_rate * (1 + lead_support * cluster_effort[c] * (1.0 if supported[i] else 0.0))
        chance *= incentive_factor
        capacity[i] = annual_output_yi[i] / 4 / price_index
        need_mu[i] = capacity[i] / (new_density[c] * density_noise[i])
        passes_screen = annual_output_yi[i] * 1e4 / need_mu[i] >= min_output_per_mu_wan
        screened_out += not passes_screen
        signs[i] = signing_draw[i] < minimum(chance, 1.0) and passes_screen
    return capacity, need_mu, signs, screened_out


@numba.njit(cache=True, error_model="numpy")
def _granted_capacity(
    granted: np.ndarray, capacity: np.ndarray, need_mu: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The newcomers granted land (their positions), each with its capacity cut to the share
    of its land need granted: `capacity * np.minimum(1.0, granted / need_mu)` for them."""
    kept = np.empty(len(granted), np.int64)
    cut = np.empty(len(granted))
    count = 0
    for k in range(len(granted)):
        if granted[k] > 0:
            kept[count] = k
            cut[count] = capacity[k] * minimum(1.0, granted[k] / need_mu[k])
            count += 1
    return kept[:count], cut[:count]


def give_birth_to_small_firms(model: IndustryModel, means: np.ndarray | None = None) -> None:
    """Small firms are founded at a steady rate when land is available.

    `means`: this quarter's `newcomer_means`, if the caller has them.
    """
    _add_newcomers(model, _births(model, means))


def _births(model: IndustryModel, means: np.ndarray | None, unadded: int = 0) -> Columns | None:
    """`give_birth_to_small_firms` up to adding the firms: the newborn firms' columns (None if
    none), their land granted and their tally booked. `unadded`: signed projects made this
    quarter but not yet added, which count as live small firms and take rows first."""
    params = model.params
    firms = model.firms
    rng = model.scratch.streams["births"]
    small = np.count_nonzero(firms.alive & ~firms.above_scale) + unadded
    count = rng.poisson(params.demography.small_birth_rate / 4 * small)
    if count == 0:
        return None
    constants = model.constants
    cluster = weighted_choice(rng, constants.small_firm_shares, count)
    annual = np.minimum(
        rng.lognormal(np.log(constants.small_median_yi), constants.small_firm_dispersion, count),
        0.8 * constants.above_scale_threshold,
    )
    bank_draw = rng.random(count)
    digitised = rng.random(count) < params.demography.birth_digital_share
    spread_draw = rng.standard_normal((count, 2))
    utilisation = params.attraction.new_plant_utilisation
    capacity = annual / 4 / model.price_index / utilisation
    need_mu = capacity / new_land_density(model)[cluster]
    granted = _grant_land(model, firms.n + unadded, need_mu)
    kept, capacity = _granted_capacity(granted, capacity, need_mu)
    if len(kept) == 0:
        return None
    cluster, granted, digitised = cluster[kept], granted[kept], digitised[kept]
    columns = _newcomer_columns(
        model, cluster, capacity, granted, 0.0, bank_draw[kept], spread_draw[kept], means
    )
    demand = capacity * utilisation
    workers = demand / np.asarray(columns["output_per_worker"])
    columns.update(
        stage=Stage.OPERATING,
        tier=digitised.astype(np.int8),
        capacity=capacity,
        planned_capacity=capacity,
        demand=demand,
        expected_demand=demand,
        workers=workers,
        skilled=workers * np.asarray(params.labour.required_skilled_share)[digitised.astype(int)],
        cash=params.accounts.initial_cash_ratio * capacity * 4 * model.price_index,
    )
    model.scratch.tally.add("births", len(cluster))
    return columns


def _add_newcomers(model: IndustryModel, columns: Columns | None) -> None:
    if columns is not None:
        model.add_firms(np.size(columns["cluster"]), **columns)


def _joined(firms: FirmArrays, first: Columns, second: Columns) -> Columns:
    """Two groups of newcomers' columns as one, each cast to its firm column's type as
    `FirmArrays.add` casts it; a column a group leaves out is zero in its rows, as `add`
    leaves it, and a scalar both give stays one."""
    rows = np.size(first["cluster"])
    total = rows + np.size(second["cluster"])
    joined: Columns = {}
    for name in {**first, **second}:
        ours, theirs = first.get(name), second.get(name)
        if ours is theirs and ours is not None and not isinstance(ours, np.ndarray):
            joined[name] = ours
            continue
        column = getattr(firms, name)
        values = np.zeros((total, *column.shape[1:]), column.dtype)
        if ours is not None:
            values[:rows] = ours
        if theirs is not None:
            values[rows:] = theirs
        joined[name] = values
    return joined


def advance_projects(model: IndustryModel) -> None:
    """Building projects count down; ramping plants add capacity and bring customers."""
    attraction = model.params.attraction
    firms = model.firms
    _advance_projects(
        firms.alive,
        firms.cluster,
        model.clusters.n,
        int(Stage.BUILDING),
        int(Stage.RAMPING),
        int(Stage.OPERATING),
        attraction.ramp_quarters,
        attraction.new_plant_utilisation,
        attraction.own_demand_share,
        firms.stage,
        firms.stage_timer,
        firms.planned_capacity,
        firms.capacity,
        firms.demand,
        firms.expected_demand,
    )


@numba.njit(cache=True, error_model="numpy")
def _advance_projects(
    alive: np.ndarray,
    cluster: np.ndarray,
    n_clusters: int,
    building: int,
    ramping: int,
    operating: int,
    ramp_quarters: int,
    utilisation: float,
    own_demand_share: float,
    stage: np.ndarray,
    stage_timer: np.ndarray,
    planned_capacity: np.ndarray,
    capacity: np.ndarray,
    demand: np.ndarray,
    expected_demand: np.ndarray,
) -> None:
    """A project whose build is done starts ramping up. A ramping plant adds a share of its
    planned capacity each quarter and sells it at the new-plant utilisation: part of those
    sales is demand of its own, the rest it takes from its cluster's operating incumbents in
    proportion to their demand; when its ramp is over it operates."""
    n = len(alive)
    sold = np.zeros(n)
    is_ramping = np.zeros(n, np.bool_)
    taken = np.zeros(n_clusters)
    incumbent_demand = np.zeros(n_clusters)
    for i in range(n):
        if not alive[i]:
            continue
        if stage[i] == building:
            stage_timer[i] -= 1
            if stage_timer[i] <= 0:
                stage[i] = ramping
                stage_timer[i] = ramp_quarters
        if stage[i] == ramping:
            is_ramping[i] = True
            step = planned_capacity[i] / ramp_quarters
            capacity[i] += step
            sold[i] = step * utilisation
            taken[cluster[i]] += sold[i] * (1 - own_demand_share)
        elif stage[i] == operating:
            incumbent_demand[cluster[i]] += demand[i]
    keep = np.ones(n_clusters)
    for c in range(n_clusters):
        lost = taken[c] / incumbent_demand[c] if incumbent_demand[c] > 0 else 0.0
        keep[c] = minimum(maximum(1 - lost, 0.0), 1.0)
    for i in range(n):
        if is_ramping[i]:
            demand[i] += sold[i]
            expected_demand[i] += sold[i]
            stage_timer[i] -= 1
            if stage_timer[i] <= 0:
                stage[i] = operating
        elif alive[i] and stage[i] == operating:
            demand[i] *= keep[cluster[i]]


def attract_investment(model: IndustryModel, leads: Leads) -> None:
    advance_projects(model)
    # Signed projects join as BUILDING, which the means leave out: one computation serves both.
    means = newcomer_means(model)
    # The signed projects and the newborn firms are added in one go (each `add_firms` costs
    # as much as the rest of the phase); the births see the projects as if added.
    signed = _signed_projects(model, leads, means)
    born = _births(model, means, 0 if signed is None else np.size(signed["cluster"]))
    if signed is not None and born is not None:
        signed = _joined(model.firms, signed, born)
    _add_newcomers(model, born if signed is None else signed)
