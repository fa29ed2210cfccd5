"""Phase 1: prices move, cluster demand takes its trend and correlated shocks, leads arrive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.weighted_choice import weighted_choice

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


@dataclass
class Leads:
    """Investment project leads of this quarter (招商线索), with their own random draws.

    Drawn in phase 1; task forces mark those they support (phase 2); they sign or not in
    phase 3.

    Every draw a lead may need later is made here, one per lead, so levers that change
    which leads sign do not shift anybody else's random numbers.
    """

    cluster: np.ndarray
    annual_output_yi: np.ndarray
    supported: np.ndarray
    signing_draw: np.ndarray
    density_noise: np.ndarray
    tech_draw: np.ndarray
    bank_draw: np.ndarray
    spread_draw: np.ndarray  # (n, 2) standard normals: where the plant falls in its cluster's spread

    @property
    def n(self) -> int:
        return len(self.cluster)


def move_prices(model: IndustryModel) -> None:
    """Producer prices, energy prices and wages grow at their annual rates."""
    params = model.params
    model.price_index *= (1 + params.environment.inflation) ** 0.25
    model.energy_price *= (1 + params.green.energy_price_growth) ** 0.25
    model.annual_wage *= (1 + params.labour.wage_growth) ** 0.25


def drift_correction(model: IndustryModel) -> float:
    """Half the growth in the variance of log demand this quarter (Jensen's inequality).

    The shock to quarter t's growth carries e_k with weight (1 - rho^(t-k+1)) / (1 - rho), so
    log demand gains variance sigma^2 ((1 - rho^t) / (1 - rho))^2 in quarter t; subtracting
    half of it keeps expected demand exactly on trend.
    """
    env = model.params.environment
    rho = env.shock_persistence
    variance = env.macro_volatility**2 + env.cluster_volatility**2
    return 0.5 * variance * ((1 - rho**model.steps) / (1 - rho)) ** 2


def shock_demand(model: IndustryModel) -> None:
    """Each firm's demand grows at its cluster's trend plus an AR(1) shock to that growth.

    Shocks hit growth rates (common to all clusters plus each cluster's own), so demand
    levels wander as real markets do; the drift correction keeps mean growth on trend.
    """
    env = model.params.environment
    rng = model.scratch.streams["demand"]
    common = rng.normal(0.0, env.macro_volatility)
    own = rng.normal(0.0, env.cluster_volatility, model.clusters.n)
    firms = model.firms
    model.demand_shock = _shock_demand(
        firms.cluster,
        env.shock_persistence,
        model.demand_shock,
        common,
        own,
        model.clusters.trend_q,
        drift_correction(model),
        firms.demand,
    )


@numba.njit(cache=True, error_model="numpy")
def _shock_demand(
    cluster: np.ndarray,
    rho: float,
    shock: np.ndarray,
    common: float,
    own: np.ndarray,
    trend_q: np.ndarray,
    drift: float,
    demand: np.ndarray,
) -> np.ndarray:
    """Each cluster's new shock (returned) and its demand growth factor, exp(trend + shock -
    drift), which scales its firms' demand."""
    n_clusters = len(shock)
    new_shock = np.empty(n_clusters)
    factor = np.empty(n_clusters)
    for c in range(n_clusters):
        new_shock[c] = rho * shock[c] + common + own[c]
        factor[c] = np.exp(trend_q[c] + new_shock[c] - drift)
    for i in range(len(cluster)):
        demand[i] *= factor[cluster[i]]
    return new_shock


def stationary_shock_sd(dispersion: float, persistence: float) -> float:
    """The shocks' s.d. under which an AR(1) with this persistence keeps log productivity's
    dispersion where the base year has it: var = sd^2 / (1 - rho^2) at the stationary state.

    Without it the dispersion drifts to whatever the shock size implies, and the exits that
    widening dispersion brings would be an artefact of the start, not a forecast.
    """
    return dispersion * float(np.sqrt(1 - persistence**2))


def shock_productivity(model: IndustryModel) -> None:
    """Firm productivity drifts: persistent around the cluster mean, with idiosyncratic shocks.

    The shocks are to the firm's overall efficiency (Hicks-neutral): output per worker moves
    with them, so labour productivity is as persistent as the data show, not a fixed trait.
    """
    env = model.params.environment
    firms = model.firms
    noise = model.scratch.streams["productivity"].normal(0.0, model.constants.productivity_shock_sd, firms.n)
    _drift_productivity(
        firms.alive,
        firms.cluster,
        model.clusters.n,
        noise,
        env.productivity_persistence,
        firms.productivity,
        firms.output_per_worker,
    )


@numba.njit(cache=True, error_model="numpy")
def _drift_productivity(
    alive: np.ndarray,
    cluster: np.ndarray,
    n_clusters: int,
    noise: np.ndarray,
    rho: float,
    productivity: np.ndarray,
    output_per_worker: np.ndarray,
) -> None:
    """Each live firm's log productivity takes `rho` of its own, the rest its cluster's mean
    among live firms, plus its shock; output per worker moves by the same factor."""
    log_a = np.empty(len(alive))
    counts = np.zeros(n_clusters, np.int64)
    sums = np.zeros(n_clusters)
    for i in range(len(alive)):
        if alive[i]:
            log_a[i] = np.log(productivity[i])
            counts[cluster[i]] += 1
            sums[cluster[i]] += log_a[i]
    means = np.empty(n_clusters)
    for c in range(n_clusters):
        means[c] = sums[c] / max(counts[c], 1)
    for i in range(len(alive)):
        if alive[i]:
            drift = rho * log_a[i] + (1 - rho) * means[cluster[i]] + noise[i]
            output_per_worker[i] *= np.exp(drift - log_a[i])
            productivity[i] = np.exp(drift)


def draw_leads(model: IndustryModel) -> Leads:
    """This quarter's project leads arrive (Poisson), in clusters, with heavy-tailed planned sizes.

    The attraction plan adds leads; focusing on large firms makes them larger but fewer.
    """
    attraction = model.params.attraction
    levers = model.params.levers.attraction
    rng = model.scratch.streams["leads"]
    per_year = attraction.leads_per_year + levers.extra_leads_per_year
    count = rng.poisson(per_year * (1 - attraction.focus_count_cost * levers.large_firm_focus) / 4)
    weights = np.sqrt(model.constants.lead_weights)
    cluster = weighted_choice(rng, weights / weights.sum(), count)
    median = attraction.lead_median_output_yi * (1 + attraction.focus_size_gain * levers.large_firm_focus)
    size = rng.lognormal(np.log(median), attraction.lead_size_dispersion, count)
    size = np.minimum(size, attraction.lead_max_output_yi)
    return Leads(
        cluster=cluster.astype(np.int16),
        annual_output_yi=size,
        supported=np.zeros(count, bool),
        signing_draw=rng.random(count),
        density_noise=rng.lognormal(0.0, 0.3, count),
        tech_draw=rng.random(count),
        bank_draw=rng.random(count),
        spread_draw=rng.standard_normal((count, 2)),
    )


def draw_environment(model: IndustryModel) -> Leads:
    """Move prices, demand and productivity; return the quarter's leads for phases 2 and 3."""
    move_prices(model)
    shock_demand(model)
    shock_productivity(model)
    return draw_leads(model)
