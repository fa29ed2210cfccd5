"""Phase 3: leads convert into projects, small firms are born, projects build and ramp up."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numba
import numpy as np

from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firms import Stage
from sim.model.fiscal import sell_land, spend
from sim.model.mechanisms.investment import new_land_density
from sim.model.weighted_choice import weighted_choice
from sim.model.world import OUTPUT_PER_WORKER_DISPERSION

if TYPE_CHECKING:
    from sim.model.mechanisms.environment import Leads
    from sim.model.model import IndustryModel


def cluster_means(model: IndustryModel, fallback: np.ndarray | None = None) -> np.ndarray:
    """Mean log productivity, quality and output per worker of each cluster's producing firms.

    A cluster with no producing firm left takes the `fallback` means (the base year's), so
    newcomers can still enter it. Returns an array of shape (3, clusters).
    """
    firms = model.firms
    return _cluster_means(
        firms.alive,
        firms.stage,
        int(Stage.BUILDING),
        firms.cluster,
        firms.productivity,
        firms.quality,
        firms.output_per_worker,
        # With no fallback an empty cluster's means are zero, the sums' zeros over one.
        np.zeros((3, model.clusters.n)) if fallback is None else fallback,
    )


@numba.njit(cache=True, error_model="numpy")
def _cluster_means(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    cluster: np.ndarray,
    productivity: np.ndarray,
    quality: np.ndarray,
    output_per_worker: np.ndarray,
    fallback: np.ndarray,
) -> np.ndarray:
    """Each cluster's means over its producing firms (alive, not building), summed in row
    order: the log of productivity floored at 1e-12, quality and output per worker; or
    `fallback`'s where it has none."""
    n_clusters = fallback.shape[1]
    counts = np.zeros(n_clusters, np.int64)
    sums = np.zeros((3, n_clusters))
    for i in range(len(alive)):
        if alive[i] and stage[i] != building:
            c = cluster[i]
            counts[c] += 1
            sums[0, c] += np.log(maximum(productivity[i], 1e-12))
            sums[1, c] += quality[i]
            sums[2, c] += output_per_worker[i]
    means = np.empty((3, n_clusters))
    for c in range(n_clusters):
        for column in range(3):
            means[column, c] = sums[column, c] / counts[c] if counts[c] > 0 else fallback[column, c]
    return means


def newcomer_means(model: IndustryModel) -> np.ndarray:
    """The cluster means newcomers start around (the base year's where a cluster is empty)."""
    return cluster_means(model, model.constants.base_cluster_means)


class _Projects(NamedTuple):
    """The signed leads (their rows in the quarter's leads), the positions among them of those
    granted land (`kept`), the land each signed lead got, and the capacity each kept one plans
    (cut to the share of its land need granted)."""

    rows: np.ndarray
    kept: np.ndarray
    granted: np.ndarray
    planned: np.ndarray


class _Births(NamedTuple):
    """The quarter's newborn firms: the positions of those granted land (`kept`), every
    birth's draws and the land it got, and the capacity of each kept one."""

    kept: np.ndarray
    cluster: np.ndarray
    digitised: np.ndarray
    bank_draw: np.ndarray
    spread_draw: np.ndarray
    granted: np.ndarray
    capacity: np.ndarray


_NO_ROWS = np.zeros(0, np.int64)
_NONE = np.zeros(0)
_NO_PROJECTS = _Projects(_NO_ROWS, _NO_ROWS, _NONE, _NONE)
_NO_BIRTHS = _Births(_NO_ROWS, np.zeros(0, np.intp), np.zeros(0, bool), _NONE, np.zeros((0, 2)), _NONE, _NONE)
# The leads' cluster, support and tech, bank and spread draws `_newcomer_state` reads, when none.
_NO_LEAD_DRAWS: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] = (
    np.zeros(0, np.int16),
    np.zeros(0, bool),
    _NONE,
    _NONE,
    np.zeros((0, 2)),
)

# The firm columns that `_newcomer_state`'s tables' rows are, in order (`add_firms` casts them).
_INT_COLUMNS = ("cluster", "bank", "stage", "stage_timer", "tier", "tech")
_FLOAT_COLUMNS = (
    "productivity",
    "quality",
    "output_per_worker",
    "energy_intensity",
    "capital",
    "land_mu",
    "density",
    "planned_capacity",
    "capacity",
    "demand",
    "workers",
    "skilled",
    "cash",
)


def _grant_land(
    model: IndustryModel, first_row: int, need_mu: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Try to give each newcomer its land: returns the positions of those that got some, the
    area each got (0 when refused), and their capacity cut to the share of the need granted.

    Newcomers that get land take firm rows from `first_row` on, in order.
    """
    granted = model.parcels.allocate_many(first_row, need_mu, model.params.attraction.min_land_share)
    kept, cut, refusals = _granted_capacity(granted, capacity, need_mu)
    model.scratch.tally.add("land_refusals", refusals)
    sell_land(model, granted)
    return kept, granted, cut


@numba.njit(cache=True, error_model="numpy")
def _granted_capacity(
    granted: np.ndarray, capacity: np.ndarray, need_mu: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """The newcomers granted land (their positions), each with its capacity cut to the share
    of its land need granted (`capacity * np.minimum(1.0, granted / need_mu)` for them), and
    how many were refused."""
    kept = np.empty(len(granted), np.int64)
    cut = np.empty(len(granted))
    count = 0
    for k in range(len(granted)):
        if granted[k] > 0:
            kept[count] = k
            cut[count] = capacity[k] * minimum(1.0, granted[k] / need_mu[k])
            count += 1
    return kept[:count], cut[:count], int(np.count_nonzero(granted == 0))


def convert_leads(model: IndustryModel, leads: Leads, means: np.ndarray | None = None) -> None:
    """Leads sign with a chance raised by task-force support and incentives, if they pass the
    land screen and get land; approvals reform and task-force help shorten the build.

    `means`: this quarter's `newcomer_means`, if the caller has them.
    """
    _add_newcomers(model, leads, _signed_projects(model, leads), None, means)


def _signed_projects(model: IndustryModel, leads: Leads) -> _Projects | None:
    """`convert_leads` up to making the firms: the signed projects (None if none) and their
    land granted."""
    params = model.params
    attraction = params.attraction
    signed, capacity, need_mu, screened_out = _lead_decisions(
        leads.cluster,
        leads.annual_output_yi,
        leads.supported,
        leads.signing_draw,
        leads.density_noise,
        model.cluster_effort,
        new_land_density(model),
        attraction.conversion_rate,
        params.task_forces.lead_support,
        1 + attraction.incentive_response * params.levers.attraction.incentive_share,
        model.price_index,
        params.levers.land.min_output_per_mu_wan,
    )
    model.scratch.tally.add("leads", leads.n)
    model.scratch.tally.add("leads_screened_out", screened_out)
    if len(signed) == 0:
        return None
    kept, granted, planned = _grant_land(model, model.firms.n, need_mu, capacity)
    return _Projects(signed, kept, granted, planned)


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
    """The leads that sign (their chance, raised by support and incentives, above their draw,
    and their output per mu passing the screen), with each one's capacity and land need, and
    how many the screen turned away: numpy's steps, left to right, one lead at a time."""
    n = len(cluster)
    signed = np.empty(n, np.int64)
    capacity = np.empty(n)
    need_mu = np.empty(n)
    count = 0
    screened_out = 0
    for i in range(n):
        c = cluster[i]
        chance = conversion_rate * (1 + lead_support * cluster_effort[c] * (1.0 if supported[i] else 0.0))
        chance *= incentive_factor
        capacity[count] = annual_output_yi[i] / 4 / price_index
        need_mu[count] = capacity[count] / (new_density[c] * density_noise[i])
        passes_screen = annual_output_yi[i] * 1e4 / need_mu[count] >= min_output_per_mu_wan
        screened_out += not passes_screen
        if signing_draw[i] < minimum(chance, 1.0) and passes_screen:
            signed[count] = i
            count += 1
    return signed[:count], capacity[:count], need_mu[:count], screened_out


def give_birth_to_small_firms(model: IndustryModel, means: np.ndarray | None = None) -> None:
    """Small firms are founded at a steady rate when land is available.

    `means`: this quarter's `newcomer_means`, if the caller has them.
    """
    _add_newcomers(model, None, None, _births(model), means)


def _births(model: IndustryModel, unadded: int = 0) -> _Births | None:
    """`give_birth_to_small_firms` up to making the firms: the newborn firms granted land
    (None if none) and their draws. `unadded`: signed projects made this quarter but not yet
    added, which count as live small firms and take rows first."""
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
    capacity = annual / 4 / model.price_index / params.attraction.new_plant_utilisation
    need_mu = capacity / new_land_density(model)[cluster]
    kept, granted, capacity = _grant_land(model, firms.n + unadded, need_mu, capacity)
    if len(kept) == 0:
        return None
    return _Births(kept, cluster, digitised, bank_draw, spread_draw, granted, capacity)


def _add_newcomers(
    model: IndustryModel,
    leads: Leads | None,
    projects: _Projects | None,
    births: _Births | None,
    means: np.ndarray | None,
) -> None:
    """The signed projects (of `leads`) and the newborn firms join as firms, in one
    `add_firms` (which costs as much as the rest of the phase), the projects first; their
    tallies are booked. `means`: this quarter's `newcomer_means`, if the caller has them.

    Newcomers bank with a bank drawn in proportion to lending capacity (a uniform draw each).
    Their productivity and output per worker spread around the cluster's means as the base
    year's firms do (two standard normals each): entrants all at the mean would narrow the
    dispersion with every exit. A project builds; a newborn firm operates at once, staffed.
    """
    if projects is None and births is None:
        return
    params = model.params
    attraction = params.attraction
    clusters = model.clusters
    signed = _NO_PROJECTS if projects is None else projects
    born = _NO_BIRTHS if births is None else births
    lead_draws = (
        _NO_LEAD_DRAWS
        if leads is None
        else (leads.cluster, leads.supported, leads.tech_draw, leads.bank_draw, leads.spread_draw)
    )
    ints, floats, planned_total, investment = _newcomer_state(
        signed.rows,
        signed.kept,
        *lead_draws,
        signed.granted,
        signed.planned,
        *born,
        newcomer_means(model) if means is None else means,
        np.array([bank.capacity_yi for bank in model.banks]),
        attraction.newcomer_productivity,
        model.constants.productivity_dispersion,
        OUTPUT_PER_WORKER_DISPERSION**2 / 2,
        clusters.base_energy_intensity,
        attraction.newcomer_energy_factor,
        clusters.capital_output,
        model.price_index,
        params.accounts.initial_cash_ratio,
        int(Stage.BUILDING),
        int(Stage.OPERATING),
        attraction.build_quarters,
        params.task_forces.approval_quarters_saved,
        params.levers.attraction.approval_quarters_cut,
        attraction.new_project_tech_share,
        attraction.new_firm_tier,
        attraction.new_plant_utilisation,
        np.asarray(params.labour.required_skilled_share, float),
    )
    tally = model.scratch.tally
    if projects is not None:
        tally.add("projects_signed", len(projects.kept))
        tally.add("signed_output_yi", planned_total * 4 * model.price_index)
        tally.add("investment_yi", investment)
        spend(model, "subsidies", params.levers.attraction.incentive_share * investment)
    if births is not None:
        tally.add("births", len(births.kept))
    columns = dict(zip(_INT_COLUMNS, ints, strict=True)) | dict(zip(_FLOAT_COLUMNS, floats, strict=True))
    model.add_firms(
        ints.shape[1],
        **columns,
        expected_demand=columns["demand"],
        ever_certified=columns["tech"],
        alive=True,
        competitiveness=np.nan,
        loan_rate=model.constants.policy_rate,
        entry_step=model.steps,
    )


@numba.njit(cache=True, error_model="numpy")
def _newcomer_state(
    project_rows: np.ndarray,
    project_kept: np.ndarray,
    lead_cluster: np.ndarray,
    lead_supported: np.ndarray,
    lead_tech_draw: np.ndarray,
    lead_bank_draw: np.ndarray,
    lead_spread_draw: np.ndarray,
    project_granted: np.ndarray,
    planned: np.ndarray,
    birth_kept: np.ndarray,
    birth_cluster: np.ndarray,
    birth_digitised: np.ndarray,
    birth_bank_draw: np.ndarray,
    birth_spread_draw: np.ndarray,
    birth_granted: np.ndarray,
    birth_capacity: np.ndarray,
    means: np.ndarray,
    capacities: np.ndarray,
    productivity_edge: float,
    productivity_dispersion: float,
    half_variance: float,
    base_energy_intensity: np.ndarray,
    energy_factor: float,
    capital_output: np.ndarray,
    price_index: float,
    cash_ratio: float,
    building: int,
    operating: int,
    build_quarters: int,
    quarters_saved: int,
    quarters_cut: int,
    tech_share: float,
    new_firm_tier: int,
    utilisation: float,
    required_skilled_share: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The newcomers' columns as two tables (integer and float; rows `_INT_COLUMNS` and
    `_FLOAT_COLUMNS`: one array each to hand back, each costing as much as the pass), the
    projects first, each value as its numpy expression had it (left to right); a column one
    kind leaves out is zero in its rows. Also the projects' planned capacity and capital, each
    summed in numpy's order.

    The bank is the first whose cumulative share of lending capacity is above the draw; a
    project's productivity starts `productivity_edge` (in logs) above its cluster's mean, and
    task-force support and the approvals reform shorten its build.
    """
    n_projects = len(project_kept)
    n = n_projects + len(birth_kept)
    banks = len(capacities)
    edges = np.cumsum(capacities) / array_sum(capacities, banks)
    ints = np.zeros((len(_INT_COLUMNS), n), np.int64)
    cluster, bank, stage, stage_timer, tier, tech = ints[0], ints[1], ints[2], ints[3], ints[4], ints[5]
    floats = np.zeros((len(_FLOAT_COLUMNS), n))
    productivity, quality, output_per_worker, energy = floats[0], floats[1], floats[2], floats[3]
    capital, land_mu, density, planned_capacity, capacity = (
        floats[4],
        floats[5],
        floats[6],
        floats[7],
        floats[8],
    )
    demand, workers, skilled, cash = floats[9], floats[10], floats[11], floats[12]
    for k in range(n):
        if k < n_projects:
            row = project_rows[project_kept[k]]
            c = lead_cluster[row]
            bank_draw = lead_bank_draw[row]
            spread = lead_spread_draw[row]
            edge = productivity_edge
            land_mu[k] = project_granted[project_kept[k]]
            planned_capacity[k] = planned[k]
            stage[k] = building
            saved = quarters_saved * (1 if lead_supported[row] else 0) + quarters_cut
            stage_timer[k] = max(1, build_quarters - saved)
            tier[k] = new_firm_tier
            tech[k] = lead_tech_draw[row] < tech_share
        else:
            j = k - n_projects
            row = birth_kept[j]
            c = birth_cluster[row]
            bank_draw = birth_bank_draw[row]
            spread = birth_spread_draw[row]
            edge = 0.0
            land_mu[k] = birth_granted[row]
            planned_capacity[k] = birth_capacity[j]
            capacity[k] = birth_capacity[j]
            stage[k] = operating
            tier[k] = 1 if birth_digitised[row] else 0
        cluster[k] = c
        size = planned_capacity[k]
        bank[k] = min(np.searchsorted(edges, bank_draw, side="right"), banks - 1)
        productivity[k] = np.exp(means[0, c] + edge + productivity_dispersion * spread[0])
        quality[k] = means[1, c]
        output_per_worker[k] = means[2, c] * np.exp(OUTPUT_PER_WORKER_DISPERSION * spread[1] - half_variance)
        energy[k] = base_energy_intensity[c] * energy_factor
        capital[k] = size * 4 * capital_output[c] * price_index
        density[k] = size / maximum(land_mu[k], 1e-9)
        cash[k] = cash_ratio * size * 4 * price_index
        if k >= n_projects:
            demand[k] = size * utilisation
            workers[k] = demand[k] / output_per_worker[k]
            skilled[k] = workers[k] * required_skilled_share[tier[k]]
    return ints, floats, array_sum(planned, n_projects), array_sum(capital, n_projects)


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
    # The births see the signed projects, added with them, as if added.
    projects = _signed_projects(model, leads)
    births = _births(model, 0 if projects is None else len(projects.kept))
    _add_newcomers(model, leads, projects, births, means)
