"""Build the base-year world (firms, parcels, banks, labour pool) from a base-year file.

The construction reproduces the file's totals: gross and above-scale output, firm
counts, the top-50 concentration, employment, credit, land in use, idle and vacant land.
Randomness (who is in which cluster, productivity, tiers) comes from the run's generator.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numba
import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtri  # the normal quantile: norm.ppf's, without importing scipy.stats (0.7 s)

from sim.inputs.base_year import BaseYearData
from sim.inputs.scenario import ScenarioData
from sim.model.firms import FirmArrays, Stage
from sim.model.parcels import ParcelArrays, ParcelStatus

# Log-s.d. of output per worker among a cluster's firms at one digital tier; assumption.
OUTPUT_PER_WORKER_DISPERSION = 0.2

TOP_FIRMS = 50  # the published concentration figure is the top-50 firms' share


@dataclass(frozen=True)
class ClusterTable:
    """Per-cluster constants the quarter uses, as arrays indexed by cluster number."""

    keys: tuple[str, ...]
    trend_q: np.ndarray  # real quarterly log demand trend
    materials_share: np.ndarray  # material cost over output for a firm with productivity 1
    base_energy_intensity: np.ndarray  # output-weighted mean at the base year, tce per 万元
    energy_intensive: np.ndarray  # sectors whose energy quota is a multiple of the general one
    capital_output: np.ndarray
    new_density: np.ndarray  # real quarterly output capacity per mu on new land
    task_forces: np.ndarray
    channel_share: np.ndarray  # share of sales through consumer and trade channels
    input_supply_share: np.ndarray  # share of output that is inputs district firms could buy

    @property
    def n(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class BankSpec:
    name: str
    capacity_yi: float
    score_threshold: float
    spread: float


@dataclass
class World:
    firms: FirmArrays
    parcels: ParcelArrays
    clusters: ClusterTable
    banks: list[BankSpec]
    skilled_pool: float


def quantile_sizes(n: int, sigma: float, floor: float, mean: float) -> np.ndarray:
    """n firm sizes, largest first: the floor plus log-normal quantiles scaled to the mean."""
    z = ndtri((np.arange(n) + 0.5) / n)[::-1]
    excess = np.exp(sigma * z)
    return floor + excess * (mean - floor) * n / excess.sum()


def top_share_sigma(n: int, top: int, share: float, floor: float, mean: float) -> float:
    """Log-s.d. of firm output above the floor that gives the top `top` firms `share` of the total."""

    def gap(sigma: float) -> float:
        sizes = quantile_sizes(n, sigma, floor, mean)
        return sizes[:top].sum() / sizes.sum() - share

    return brentq(gap, 0.01, 5.0)


def _rescale_capped(sizes: np.ndarray, total: float, low: float, high: float) -> np.ndarray:
    """Scale sizes to sum to total while keeping each within [low, high].

    Sampled base-year figures can ask for more small firms above the smallest size than
    the small firms' output allows: then the floor gives way (every firm at least
    total / n x 1/2), so the base-year output is always the one asked for.
    """
    low = min(low, 0.5 * total / len(sizes))
    if high * len(sizes) < total:
        raise ValueError(f"{len(sizes)} small firms below {high:g} 亿元 cannot make {total:g} 亿元")
    scaled = sizes.copy()
    for _ in range(50):
        scaled *= total / scaled.sum()
        clipped = np.clip(scaled, low, high)
        if np.allclose(clipped, scaled):
            return scaled
        scaled = clipped
    # Not settled by rescaling: the scale whose clipped sizes sum to the total, by bisection.
    scale = brentq(lambda k: float(np.clip(k * sizes, low, high).sum()) - total, 0.0, high / sizes.min())
    return np.clip(scale * sizes, low, high)


def _above_scale_sizes(data: BaseYearData, total: float) -> np.ndarray:
    """Above-scale firm sizes, largest first, with the published top-50 share.

    Quantiles rather than random draws: the concentration is a base-year fact, not noise.
    The largest firms are capped at the file's largest firm size.
    """
    sizes = _above_scale_template(
        int(round(data.firms.above_scale.value)),
        data.firms.above_scale_threshold_yi.value,
        data.output.top50_share_of_above_scale.value,
        data.firms.largest_firm_yi.value,
        total,
    )
    return sizes.copy()


@functools.lru_cache(maxsize=16)  # batch runs that sample the 2024 base add one entry per value
def _above_scale_template(n: int, floor: float, top_share: float, largest: float, total: float) -> np.ndarray:
    """The deterministic size template, computed once per base year and reused by every run."""
    sigma = top_share_sigma(n, TOP_FIRMS, top_share, floor, total / n)
    excess = quantile_sizes(n, sigma, floor, total / n) - floor
    excess = _rescale_capped(excess, total - floor * n, 1e-6, largest - floor)
    sizes = floor + excess
    sizes.flags.writeable = False
    return sizes


def _assign_clusters(sizes: np.ndarray, targets: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Greedy: largest firms first, each to the cluster furthest below its output target."""
    return _greedy_clusters(np.argsort(-sizes), sizes, targets.astype(np.float64), caps.astype(np.float64))


@numba.njit(cache=True, error_model="numpy")
def _greedy_clusters(
    order: np.ndarray, sizes: np.ndarray, targets: np.ndarray, caps: np.ndarray
) -> np.ndarray:
    """Firms in `order`, each to the first cluster furthest below its target among those whose
    cap allows its size; the cluster's remaining target falls by the firm's size."""
    remaining = targets.copy()
    cluster = np.empty(len(sizes), np.int16)
    for i in order:
        choice, best = 0, -np.inf
        for c in range(len(remaining)):
            if caps[c] >= sizes[i] and remaining[c] > best:
                choice, best = c, remaining[c]
        cluster[i] = choice
        remaining[choice] -= sizes[i]
    return cluster


def _fit_cluster_totals(
    sizes: np.ndarray, cluster: np.ndarray, targets: np.ndarray, floor: float
) -> np.ndarray:
    """Scale each cluster's output above the floor so cluster totals hit their targets."""
    sizes = sizes.copy()
    for c, target in enumerate(targets):
        members = cluster == c
        if not members.any():
            continue
        excess = sizes[members] - floor
        room = target - floor * members.sum()
        if room > 0 and excess.sum() > 0:
            sizes[members] = floor + excess * room / excess.sum()
    return sizes


def _split_area(total: float, median: float, rng: np.random.Generator) -> np.ndarray:
    """Cut an area into parcels with log-normal sizes around a median."""
    if total <= 0:
        return np.zeros(0)
    sizes = []
    left = total
    while left > 1e-9:
        size = min(left, float(rng.lognormal(np.log(median), 0.6)))
        sizes.append(size)
        left -= size
    return np.array(sizes)


def _quota_tiers(score: np.ndarray, shares: list[float]) -> np.ndarray:
    """Give the lowest-scoring firms tier 0, the next tier 1, ... in the given shares."""
    order = np.argsort(score)
    cuts = np.round(np.cumsum(shares) * len(score)).astype(int)
    tier = np.empty(len(score), np.int8)
    start = 0
    for t, stop in enumerate(cuts):
        tier[order[start:stop]] = t
        start = stop
    return tier


def _lognormal_unit_mean(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """Log-normal multipliers with mean one."""
    return rng.lognormal(-(sigma**2) / 2, sigma, n)


def _firm_sizes(
    data: BaseYearData, gross: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Annual output, cluster and above-scale flag of every base-year firm.

    Small firms: counts by cluster, log-normal sizes below the threshold. Above-scale
    firms: a heavy tail fitted to the top-50 share, assigned to clusters so that each
    cluster's output matches its share.
    """
    clusters = data.clusters
    n_clusters = len(clusters)
    threshold = data.firms.above_scale_threshold_yi.value
    above_total = gross * data.output.above_scale_share.value

    n_small = int(round(data.firms.small.value))
    small_shares = np.array([c.small_firm_share for c in clusters])
    small_cluster = rng.choice(n_clusters, size=n_small, p=small_shares / small_shares.sum())
    small_sizes = rng.lognormal(0.0, data.heterogeneity.small_firm_dispersion.value, n_small)
    floor = data.heterogeneity.smallest_firm_yi.value
    small_sizes = _rescale_capped(small_sizes, gross - above_total, floor, threshold * 0.95)
    cluster_output = np.array([c.output_share for c in clusters]) * gross
    small_cluster = _fit_small_firms_to_clusters(small_cluster, small_sizes, cluster_output)
    small_by_cluster = np.bincount(small_cluster, weights=small_sizes, minlength=n_clusters)

    above_targets = cluster_output - small_by_cluster
    if (above_targets <= 0).any():
        bad = [clusters[c].key for c in np.flatnonzero(above_targets <= 0)]
        raise ValueError(f"clusters {bad}: small firms alone exceed the cluster's output share")
    above_sizes = _above_scale_sizes(data, above_total)
    caps = np.array([c.largest_firm_yi for c in clusters])
    above_cluster = _assign_clusters(above_sizes, above_targets, caps)
    above_sizes = _fit_cluster_totals(above_sizes, above_cluster, above_targets, threshold)

    annual = np.concatenate([above_sizes, small_sizes])
    cluster = np.concatenate([above_cluster, small_cluster]).astype(np.intp)
    above = np.arange(len(annual)) < len(above_sizes)
    return annual, cluster, above


# Most a cluster's small firms may make of its output when sampled base-year figures (more
# small firms, a lower above-scale share) would otherwise leave its above-scale firms nothing.
SMALL_FIRM_CEILING = 0.8


def _fit_small_firms_to_clusters(
    small_cluster: np.ndarray, sizes: np.ndarray, cluster_output: np.ndarray
) -> np.ndarray:
    """Clusters whose small firms would make more than `SMALL_FIRM_CEILING` of their output
    hand their last-listed small firms to the clusters with the most room under theirs, so
    every base year the figures' ranges allow can be built; totals are unchanged. At the
    default figures no cluster is over its ceiling and nothing moves."""
    small_cluster = small_cluster.copy()
    ceiling = SMALL_FIRM_CEILING * cluster_output
    by_cluster = np.bincount(small_cluster, weights=sizes, minlength=len(cluster_output))
    over = np.flatnonzero(by_cluster > ceiling)
    for cluster in over:
        members = np.flatnonzero(small_cluster == cluster)[::-1]  # the last listed go first
        excess = by_cluster[cluster] - ceiling[cluster]
        moved = members[: int(np.searchsorted(np.cumsum(sizes[members]), excess)) + 1]
        for firm in moved:  # each to the cluster with the most room left under its ceiling
            room = ceiling - by_cluster
            room[over] = -np.inf
            target = int(np.argmax(room))
            if room[target] < sizes[firm]:
                raise ValueError("small firms alone exceed what the clusters' output shares can hold")
            small_cluster[firm] = target
            by_cluster[target] += sizes[firm]
            by_cluster[cluster] -= sizes[firm]
    return small_cluster


def _tech_status(data: BaseYearData, above: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Certified S&T enterprises: a share of above-scale firms, the rest among small firms."""
    n = len(above)
    n_above = int(above.sum())
    tech = np.zeros(n, bool)
    tech[:n_above] = rng.random(n_above) < data.firms.tech_enterprise_share_above_scale.value
    small_tech = max(0, int(round(data.firms.tech_enterprises.value)) - int(tech.sum()))
    tech[rng.choice(np.arange(n_above, n), size=min(small_tech, n - n_above), replace=False)] = True
    return tech


def _staff(
    data: BaseYearData,
    params: ScenarioData,
    quarterly: np.ndarray,
    cluster: np.ndarray,
    tier: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Workers, skilled workers and quarterly output per worker, matching total employment.

    Firms are staffed as the hiring rule would staff them (output plus the staffing
    buffer), so the first quarter starts without a hiring jump.
    """
    n = len(quarterly)
    saving = np.concatenate([[0.0], params.digital.labour_saving])
    per_worker_c = np.array([c.output_per_worker_yi for c in data.clusters]) / 4
    per_worker = (
        per_worker_c[cluster] / (1 - saving[tier]) * rng.lognormal(0, OUTPUT_PER_WORKER_DISPERSION, n)
    )
    workers = quarterly * params.labour.staffing_buffer / per_worker
    scale = workers.sum() / data.employment.workers.value
    per_worker *= scale
    workers /= scale
    required = np.asarray(params.labour.required_skilled_share, float)[tier]
    if not np.any(required > 0):  # no firm's tier needs skilled workers: place them by headcount
        required = np.ones(n)
    skilled = workers * required * rng.lognormal(0, 0.25, n)
    skilled *= data.employment.skilled_share.value * workers.sum() / skilled.sum()
    return workers, np.minimum(skilled, workers), per_worker


def _credit(
    data: BaseYearData, capital: np.ndarray, above: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[BankSpec]]:
    """House banks, debt (each bank at its share of the stock), loan rates and bank limits."""
    banks = data.banks
    share = np.array([b.credit_share for b in banks])
    spread = np.array([b.spread for b in banks])
    bank = rng.choice(len(banks), size=len(capital), p=share).astype(np.int16)
    access = np.where(above, 1.0, data.heterogeneity.small_firm_credit_access.value)
    raw_debt = capital * access * rng.beta(2, 3, len(capital))
    stock = data.credit.industrial_loans_yi.value
    per_bank = np.bincount(bank, weights=raw_debt, minlength=len(banks))
    debt = raw_debt * (share * stock / np.where(per_bank > 0, per_bank, 1))[bank]
    rate = policy_rate(data) + spread[bank]
    headroom = 1 + data.credit.lending_headroom.value
    specs = [BankSpec(b.name, b.credit_share * stock * headroom, b.score_threshold, b.spread) for b in banks]
    return bank, debt, rate, specs


def policy_rate(data: BaseYearData) -> float:
    """The rate common to all banks: the average loan rate less the average bank spread."""
    return data.credit.loan_rate.value - sum(b.credit_share * b.spread for b in data.banks)


def build_world(data: BaseYearData, params: ScenarioData, rng: np.random.Generator) -> World:
    """Construct firms, parcels, banks and the labour pool at the end of the base year."""
    gross = params.world.gross_output_yi or data.output.gross_output_yi.value
    heterogeneity = data.heterogeneity
    clusters = data.clusters
    n_clusters = len(clusters)
    annual, cluster, above = _firm_sizes(data, gross, rng)
    n = len(annual)

    # Demand, capacity and capital: real quarterly rates at the end of the base year, when
    # the year's output (its mid-year rate) has grown for another 1.5 quarters.
    env = params.environment
    growth = np.array([c.demand_growth + env.cluster_demand_shift.get(c.key, 0.0) for c in clusters])
    growth += env.demand_growth_shift
    trend_q = np.log((1 + growth) / (1 + env.inflation)) / 4
    quarterly = annual / 4 * np.exp(1.5 * trend_q[cluster])
    capacity = quarterly / rng.uniform(
        heterogeneity.utilisation_low.value, heterogeneity.utilisation_high.value, n
    )
    capital_output = np.array([c.capital_output_ratio for c in clusters])
    capital = capacity * 4 * capital_output[cluster]

    # Productivity (cost efficiency), energy and the materials share that reproduces each
    # cluster's value-added ratio.
    size_rank = np.log(annual / np.median(annual))
    productivity = np.exp(0.02 * size_rank + rng.normal(0, heterogeneity.productivity_dispersion.value, n))
    base_intensity = np.array([c.energy_intensity for c in clusters])
    energy = base_intensity[cluster] * _lognormal_unit_mean(rng, heterogeneity.energy_dispersion.value, n)
    energy_share = energy * data.energy.price_yuan_per_tce.value / 1e4
    va_ratio = np.array([c.value_added_ratio for c in clusters])
    out_c = np.bincount(cluster, weights=annual, minlength=n_clusters)
    non_energy = np.bincount(cluster, weights=annual * (1 - energy_share), minlength=n_clusters)
    per_productivity = np.bincount(cluster, weights=annual / productivity, minlength=n_clusters)
    materials = (non_energy - va_ratio * out_c) / per_productivity
    weighted_intensity = np.bincount(cluster, weights=annual * energy, minlength=n_clusters) / out_c

    # Quality capital relative to the steady state of status-quo spending (mechanisms/quality.py).
    quality = _lognormal_unit_mean(rng, heterogeneity.quality_dispersion.value, n)
    tier = _quota_tiers(size_rank + rng.normal(0, 1.5, n), data.digital.tier_shares.value)
    tech = _tech_status(data, above, rng)
    workers, skilled, output_per_worker = _staff(data, params, quarterly, cluster, tier, rng)
    bank, debt, loan_rate, bank_specs = _credit(data, capital, above, rng)
    cash = params.accounts.initial_cash_ratio * annual * _lognormal_unit_mean(rng, 0.3, n)

    # Land: one parcel per firm, sized so the total matches land in use.
    area = annual**0.85 * rng.lognormal(0, 0.3, n)
    area *= data.land.occupied_mu.value / area.sum()
    new_density = np.bincount(cluster, weights=capacity, minlength=n_clusters) / np.bincount(
        cluster, weights=area, minlength=n_clusters
    )

    firms = FirmArrays()
    firms.add(
        n,
        alive=True,
        stage=Stage.OPERATING,
        cluster=cluster,
        above_scale=above,
        tech=tech,
        ever_certified=tech,
        tier=tier,
        bank=bank,
        capacity=capacity,
        planned_capacity=capacity,
        capital=capital,
        productivity=productivity,
        quality=quality,
        workers=workers,
        skilled=skilled,
        output_per_worker=output_per_worker,
        energy_intensity=energy,
        demand=quarterly,
        expected_demand=quarterly,
        output=quarterly,
        revenue=annual / 4,
        revenue_4q=np.repeat((annual / 4)[:, None], 4, axis=1),
        cash=cash,
        debt=debt,
        loan_rate=loan_rate,
        land_mu=area,
        density=capacity / area,
        entry_step=-4,  # base-year firms have produced for at least a year
    )

    parcels = ParcelArrays()
    parcels.add(area, ParcelStatus.OCCUPIED, np.arange(n))
    parcels.add(_split_area(data.land.idle_mu.value, 20.0, rng), ParcelStatus.IDLE)
    vacant = _split_area(data.land.vacant_mu.value, data.land.vacant_parcel_mu.value, rng)
    parcels.add(vacant, ParcelStatus.VACANT)

    table = ClusterTable(
        keys=tuple(c.key for c in clusters),
        trend_q=trend_q,
        materials_share=materials,
        base_energy_intensity=weighted_intensity,
        energy_intensive=np.array([c.energy_intensive for c in clusters]),
        capital_output=capital_output,
        new_density=new_density,
        task_forces=np.array([c.task_forces for c in clusters]),
        channel_share=np.array([c.channel_share for c in clusters]),
        input_supply_share=np.array([c.input_supply_share for c in clusters]),
    )
    return World(
        firms=firms,
        parcels=parcels,
        clusters=table,
        banks=bank_specs,
        skilled_pool=heterogeneity.skilled_pool_share.value * float(skilled.sum()),
    )
