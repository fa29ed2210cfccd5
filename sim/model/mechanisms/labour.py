"""Phase 4a: hiring. Unskilled labour is plentiful; skilled workers come from a scarce pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def required_skilled_share(model: IndustryModel, tiers_ahead: int | np.ndarray = 0) -> np.ndarray:
    """Skilled share each firm needs at its digital tier (or at a tier it aims for)."""
    tier = np.minimum(model.firms.tier + tiers_ahead, len(model.params.labour.required_skilled_share) - 1)
    return np.asarray(model.params.labour.required_skilled_share)[tier]


def renew_skilled_pool(model: IndustryModel) -> None:
    """Skilled workers arrive (and the talent plan adds some) or leave; firms train their own."""
    labour = model.params.labour
    talent = model.params.levers.talent
    recruited = talent.recruited_talent_per_year * labour.talent_retention
    graduates = talent.training_places_per_year * labour.training_completion
    model.skilled_pool += (labour.skilled_inflow_per_year + recruited + graduates) / 4
    model.scratch.tally.add("talent_added", (recruited + graduates) / 4)
    model.skilled_pool *= 1 - labour.skilled_attrition / 4
    firms = model.firms
    alive = firms.alive
    trained = labour.training_rate / 4 * (firms.workers[alive] - firms.skilled[alive])
    firms.skilled[alive] += trained
    model.scratch.tally.add("trained", float(trained.sum()))


def hire(model: IndustryModel) -> None:
    """Firms staff up to the output they expect next quarter (expected demand on its trend,
    plus the backlog to work off); skilled vacancies are rationed by the pool.

    Firms that want the next digital tier recruit skilled staff for it, so skills gate
    upgrades; the others recruit for the tier they are at.
    """
    renew_skilled_pool(model)
    labour = model.params.labour
    firms = model.firms
    firms.output_per_worker *= (1 + labour.productivity_growth) ** 0.25
    active = firms.alive & (firms.stage != Stage.BUILDING)
    ramp_target = np.where(firms.stage == Stage.RAMPING, firms.planned_capacity, firms.capacity)
    expected_orders = firms.expected_demand * np.exp(model.clusters.trend_q[firms.cluster]) + firms.backlog
    planned_output = np.minimum(ramp_target, expected_orders * labour.staffing_buffer)
    target = np.where(active, planned_output / firms.output_per_worker, 0.0)
    aims = firms.preparing_upgrade.astype(int)  # firms preparing an upgrade staff for the next tier
    skilled_target = target * required_skilled_share(model, tiers_ahead=aims)

    unskilled = firms.workers - firms.skilled
    shortfall = np.where(active, np.maximum(skilled_target - firms.skilled, 0.0), 0.0)
    hired = _ration(shortfall, firms.served, model.skilled_pool)
    model.skilled_pool -= float(hired.sum())
    firms.skilled += hired

    # Headcount the skilled pool cannot supply is filled with unskilled workers.
    gap = np.maximum(target - firms.skilled, 0.0) - unskilled
    change = np.where(gap > 0, labour.unskilled_fill_rate * gap, labour.overstaff_release * gap)
    unskilled = np.where(active, np.maximum(unskilled + change, 0.0), unskilled)
    firms.workers = unskilled + firms.skilled
    firms.needs_talent |= active & (shortfall - hired > 0.1 * skilled_target + 1e-9)
    model.scratch.tally.add("skilled_hired", float(hired.sum()))


def _ration(wanted: np.ndarray, priority: np.ndarray, available: float) -> np.ndarray:
    """Fill priority requests first, then the rest pro rata, within what is available."""
    granted = np.zeros_like(wanted)
    for group in (priority, ~priority):
        asked = float(wanted[group].sum())
        if asked <= 0 or available <= 0:
            continue
        fraction = min(1.0, available / asked)
        granted[group] = wanted[group] * fraction
        available -= asked * fraction
    return granted
