"""Phase 4c: tiered digital and AI upgrades (数字化转型), weighed on cost, gain, peers and skills."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.firms import Stage
from sim.model.mechanisms.adoption import adoption_probability
from sim.model.mechanisms.labour import required_skilled_share

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
    rng = model.scratch.streams["digital"]
    draws = rng.random(firms.n)
    candidates = firms.alive & (firms.stage == Stage.OPERATING) & (firms.tier < TOP_TIER)
    step = np.minimum(firms.tier, TOP_TIER - 1)  # index of the next tier's parameters
    gain = _productivity_gains(settings)[step]
    materials = firms.revenue * 4 * model.clusters.materials_share[firms.cluster] / firms.productivity
    wages = model.annual_wage * firms.workers
    benefit = settings.horizon_years * (gain * materials + _labour_saving_step(model) * wages)
    # Priced on capacity, so a firm with no sales yet does not upgrade for free.
    scale = firms.capacity * 4 * model.price_index
    brain = industry_brain_clusters(model)[firms.cluster]
    full_cost = np.asarray(settings.upgrade_cost)[step] * scale * (1 - settings.platform_cost_cut * brain)
    subsidy_rate = model.params.levers.ai.upgrade_subsidy_rate
    cost = full_cost * (1 - subsidy_rate)
    peers = _share_at_or_above(model, firms.tier + 1)
    chance = adoption_probability(
        benefit, cost, settings.decision_sharpness, settings.base_rate, settings.peer_effect * peers
    )
    next_required = required_skilled_share(model, tiers_ahead=1)
    skilled_share = firms.skilled / np.maximum(firms.workers, 1e-9)
    skills_ok = skilled_share >= settings.skill_tolerance * next_required
    wants = candidates & (draws < chance)
    firms.needs_talent |= wants & ~skills_ok
    # A firm keeps preparing (recruiting for the next tier) only while the upgrade still pays.
    still_worth_it = candidates & (benefit >= cost)
    firms.preparing_upgrade = (firms.preparing_upgrade & still_worth_it) | (wants & ~skills_ok)
    chosen = wants & skills_ok
    projects.digital[:] = chosen
    projects.digital_cost[:] = np.where(chosen, cost, 0.0)
    projects.subsidy[:] = np.where(chosen, full_cost * subsidy_rate, 0.0)


def industry_brain_clusters(model: IndustryModel) -> np.ndarray:
    """Which clusters an 'industry brain' serves: the largest (by base-year output) first."""
    covered = np.zeros(model.clusters.n, bool)
    count = model.params.levers.ai.industry_brain_clusters
    covered[np.argsort(-model.constants.lead_weights, kind="stable")[:count]] = True
    return covered


def _cumulative_saving(model: IndustryModel, tier: np.ndarray) -> np.ndarray:
    """Cut in workers per unit of output at `tier`, relative to tier 0."""
    return np.concatenate([[0.0], model.params.digital.labour_saving])[tier]


def _labour_saving_step(model: IndustryModel) -> np.ndarray:
    """Share of its current workers a firm saves by moving up one tier."""
    tier = model.firms.tier
    now = _cumulative_saving(model, tier)
    after = _cumulative_saving(model, np.minimum(tier + 1, TOP_TIER))
    return 1 - (1 - after) / (1 - now)


def _share_at_or_above(model: IndustryModel, tier: np.ndarray) -> np.ndarray:
    """For each firm, the share of its cluster's operating firms at `tier` or higher."""
    firms = model.firms
    operating = firms.alive & (firms.stage == Stage.OPERATING)
    n = model.clusters.n
    width = TOP_TIER + 2
    cell = firms.cluster[operating].astype(np.int64) * width + firms.tier[operating]
    counts = np.bincount(cell, minlength=n * width).reshape(n, width).astype(float)
    at_or_above = counts[:, ::-1].cumsum(axis=1)[:, ::-1]
    totals = np.maximum(counts.sum(axis=1), 1)
    return at_or_above[firms.cluster, np.minimum(tier, TOP_TIER + 1)] / totals[firms.cluster]


def complete_upgrade(model: IndustryModel, upgraded: np.ndarray) -> None:
    """A funded upgrade lifts the tier, productivity and output per worker at once."""
    settings = model.params.digital
    firms = model.firms
    step = firms.tier[upgraded]
    firms.productivity[upgraded] *= 1 + _productivity_gains(settings)[step]
    firms.output_per_worker[upgraded] /= 1 - _labour_saving_step(model)[upgraded]
    firms.tier[upgraded] += 1
    firms.preparing_upgrade[upgraded] = False
    model.scratch.tally.add("digital_upgrades", int(np.count_nonzero(upgraded)))
