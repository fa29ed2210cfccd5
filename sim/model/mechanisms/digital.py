"""Phase 4c: tiered digital and AI upgrades (数字化转型), weighed on cost, gain, peers and skills."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum
from sim.model.firms import Stage
from sim.model.mechanisms.adoption import adoption_chance

if TYPE_CHECKING:
    from sim.inputs.parameters import Digital
    from sim.model.mechanisms.projects import Projects
    from sim.model.model import IndustryModel

TOP_TIER = 3


def _productivity_gains(settings: Digital) -> np.ndarray:
    """Productivity gain of reaching tier 1..3, at the sampled size of digital gains."""
    return np.asarray(settings.productivity_gain) * settings.gain_scale


def plan_digital_upgrades(model: IndustryModel, projects: Projects) -> None:
    """Firms below the top tier consider the next one; the skill requirement must be met."""
    settings = model.params.digital
    firms = model.firms
    _plan_upgrades(
        firms.alive,
        firms.stage,
        int(Stage.OPERATING),
        firms.tier,
        firms.cluster,
        model.clusters.n,
        _productivity_gains(settings),
        _cumulative_savings(model),
        np.asarray(settings.upgrade_cost, float),
        model.constants.lead_weights,
        model.params.levers.ai.industry_brain_clusters,
        settings.platform_cost_cut,
        model.params.levers.ai.upgrade_subsidy_rate,
        settings.horizon_years,
        settings.decision_sharpness,
        settings.peer_effect,
        model.clusters.materials_share,
        model.annual_wage,
        model.price_index,
        firms.revenue,
        firms.productivity,
        firms.workers,
        firms.capacity,
        model.scratch.streams["digital"].random(firms.n),
        settings.base_rate,
        np.asarray(model.params.labour.required_skilled_share, float),
        settings.skill_tolerance,
        firms.skilled,
        firms.needs_talent,
        firms.preparing_upgrade,
        projects.digital,
        projects.digital_cost,
        projects.subsidy,
    )


@numba.njit(cache=True, error_model="numpy")
def _plan_upgrades(
    alive: np.ndarray,
    stage: np.ndarray,
    operating_stage: int,
    tier: np.ndarray,
    cluster: np.ndarray,
    n_clusters: int,
    gains: np.ndarray,
    savings: np.ndarray,
    upgrade_cost: np.ndarray,
    lead_weights: np.ndarray,
    brain_count: int,
    platform_cost_cut: float,
    subsidy_rate: float,
    horizon_years: float,
    sharpness: float,
    peer_effect: float,
    materials_share: np.ndarray,
    annual_wage: float,
    price_index: float,
    revenue: np.ndarray,
    productivity: np.ndarray,
    workers: np.ndarray,
    capacity: np.ndarray,
    draws: np.ndarray,
    base_rate: float,
    required_skilled_share: np.ndarray,
    skill_tolerance: float,
    skilled: np.ndarray,
    needs_talent: np.ndarray,
    preparing: np.ndarray,
    chosen: np.ndarray,
    chosen_cost: np.ndarray,
    chosen_subsidy: np.ndarray,
) -> None:
    """Candidates (operating firms below the top tier) weigh their next tier: its benefit
    over the horizon (productivity gain on materials, labour saved on wages) against its
    cost net of the subsidy. The full cost is priced on capacity, so a firm with no sales
    yet does not upgrade for free, and is cheaper where an industry brain serves the
    cluster; the share of its cluster's operating firms already at that tier or higher
    nudges it. Only a candidate whose draw falls below the base rate (the cap on the chance
    to upgrade) or that prepares an upgrade has something to decide.

    A candidate that draws an upgrade takes it if it has the skilled share the next tier
    needs; if not it asks for talent and prepares (recruits for it), and keeps preparing
    only while the upgrade still pays. Other firms neither prepare nor upgrade."""
    n = len(tier)
    width = TOP_TIER + 2
    counts = np.zeros((n_clusters, width))
    for i in range(n):
        if alive[i] and stage[i] == operating_stage:
            counts[cluster[i], tier[i]] += 1.0
    at_or_above = np.zeros((n_clusters, width))
    totals = np.empty(n_clusters)
    for c in range(n_clusters):
        running = 0.0
        for t in range(width - 1, -1, -1):
            running += counts[c, t]
            at_or_above[c, t] = running
        totals[c] = maximum(running, 1.0)
    # What depends only on the tier and the cluster, once (the same numbers as per firm).
    saving_at = np.empty(TOP_TIER)
    peers_at = np.empty((n_clusters, TOP_TIER))
    for t in range(TOP_TIER):
        saving_at[t] = _labour_saving(savings, t)
        for c in range(n_clusters):
            peers_at[c, t] = at_or_above[c, t + 1] / totals[c]
    brain = _largest(lead_weights, brain_count)
    top_required = len(required_skilled_share) - 1
    for i in range(n):
        wants = skills_ok = keeps = False
        cost = subsidy = 0.0
        # Not a candidate, or one that neither upgrades nor prepares: nothing to decide.
        if (
            alive[i]
            and stage[i] == operating_stage
            and tier[i] < TOP_TIER
            and (draws[i] < base_rate or preparing[i])
        ):
            c = cluster[i]
            step = tier[i]  # index of the next tier's parameters
            materials = revenue[i] * 4 * materials_share[c] / productivity[i]
            benefit = horizon_years * (gains[step] * materials + saving_at[step] * (annual_wage * workers[i]))
            scale = capacity[i] * 4 * price_index
            full_cost = upgrade_cost[step] * scale * (1 - platform_cost_cut * brain[c])
            cost = full_cost * (1 - subsidy_rate)
            subsidy = full_cost * subsidy_rate
            if draws[i] < base_rate:  # a draw at or above it is above the chance, its cap, too
                nudge = peer_effect * peers_at[c, step]
                wants = draws[i] < adoption_chance(benefit, cost, sharpness, base_rate, nudge)
            if wants:
                share = skilled[i] / maximum(workers[i], 1e-9)
                skills_ok = share >= skill_tolerance * required_skilled_share[min(step + 1, top_required)]
            keeps = preparing[i] and benefit >= cost
        if wants and not skills_ok:
            needs_talent[i] = True
        preparing[i] = keeps or (wants and not skills_ok)
        chosen[i] = wants and skills_ok
        chosen_cost[i] = cost if chosen[i] else 0.0
        chosen_subsidy[i] = subsidy if chosen[i] else 0.0


@numba.njit(cache=True, error_model="numpy", inline="always")
def _labour_saving(savings: np.ndarray, tier: int) -> float:
    """Share of its current workers a firm at `tier` saves by moving up one tier (`savings`
    the cumulative cut in workers per unit of output at each tier)."""
    return 1 - (1 - savings[min(tier + 1, TOP_TIER)]) / (1 - savings[tier])


def industry_brain_clusters(model: IndustryModel) -> np.ndarray:
    """Which clusters an 'industry brain' serves: the largest (by base-year output) first."""
    return _largest(model.constants.lead_weights, model.params.levers.ai.industry_brain_clusters)


@numba.njit(cache=True, error_model="numpy")
def _largest(weights: np.ndarray, count: int) -> np.ndarray:
    """The `count` largest weights, ties to the first (a stable sort)."""
    covered = np.zeros(len(weights), np.bool_)
    covered[np.argsort(-weights, kind="mergesort")[:count]] = True
    return covered


def _cumulative_savings(model: IndustryModel) -> np.ndarray:
    """Cut in workers per unit of output at each tier, relative to tier 0."""
    return np.array((0.0, *model.params.digital.labour_saving))


def complete_upgrade(model: IndustryModel, upgraded: np.ndarray) -> None:
    """A funded upgrade lifts the tier, productivity and output per worker at once."""
    firms = model.firms
    count = _upgrade(
        upgraded,
        _productivity_gains(model.params.digital),
        _cumulative_savings(model),
        firms.tier,
        firms.productivity,
        firms.output_per_worker,
        firms.preparing_upgrade,
    )
    model.scratch.tally.add("digital_upgrades", count)


@numba.njit(cache=True, error_model="numpy")
def _upgrade(
    upgraded: np.ndarray,
    gains: np.ndarray,
    savings: np.ndarray,
    tier: np.ndarray,
    productivity: np.ndarray,
    output_per_worker: np.ndarray,
    preparing: np.ndarray,
) -> int:
    """Upgraded firms move up a tier with its productivity gain and labour saving; returns how many."""
    count = 0
    for i in range(len(upgraded)):
        if upgraded[i]:
            productivity[i] *= 1 + gains[tier[i]]
            output_per_worker[i] /= 1 - _labour_saving(savings, tier[i])
            tier[i] += 1
            preparing[i] = False
            count += 1
    return count
