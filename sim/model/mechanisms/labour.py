"""Phase 4a: hiring. Unskilled labour is plentiful; skilled workers come from a scarce pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def renew_skilled_pool(model: IndustryModel) -> None:
    """Skilled workers arrive (and the talent plan adds some) or leave; firms train their own
    as they staff up (`_staff`)."""
    labour = model.params.labour
    talent = model.params.levers.talent
    recruited = talent.recruited_talent_per_year * labour.talent_retention
    graduates = talent.training_places_per_year * labour.training_completion
    model.skilled_pool += (labour.skilled_inflow_per_year + recruited + graduates) / 4
    model.scratch.tally.add("talent_added", (recruited + graduates) / 4)
    model.skilled_pool *= 1 - labour.skilled_attrition / 4


def hire(model: IndustryModel) -> None:
    """Firms staff up to the output they expect next quarter (expected demand on its trend,
    plus the backlog to work off); skilled vacancies are rationed by the pool.

    Firms that want the next digital tier recruit skilled staff for it, so skills gate
    upgrades; the others recruit for the tier they are at.
    """
    renew_skilled_pool(model)
    labour = model.params.labour
    firms = model.firms
    trained, hired = _staff(
        firms.alive,
        labour.training_rate / 4,
        firms.stage,
        int(Stage.BUILDING),
        int(Stage.RAMPING),
        firms.planned_capacity,
        firms.capacity,
        firms.expected_demand,
        np.exp(model.clusters.trend_q),
        firms.cluster,
        firms.backlog,
        labour.staffing_buffer,
        (1 + labour.productivity_growth) ** 0.25,
        firms.output_per_worker,
        firms.preparing_upgrade,
        firms.tier,
        np.asarray(labour.required_skilled_share, float),
        firms.served,
        model.skilled_pool,
        labour.unskilled_fill_rate,
        labour.overstaff_release,
        firms.workers,
        firms.skilled,
        firms.needs_talent,
    )
    model.skilled_pool -= hired
    model.scratch.tally.add("trained", trained)
    model.scratch.tally.add("skilled_hired", hired)


@numba.njit(cache=True, error_model="numpy")
def _staff(
    alive: np.ndarray,
    training_rate: float,
    stage: np.ndarray,
    building: int,
    ramping: int,
    planned_capacity: np.ndarray,
    capacity: np.ndarray,
    expected_demand: np.ndarray,
    trend_factor: np.ndarray,
    cluster: np.ndarray,
    backlog: np.ndarray,
    staffing_buffer: float,
    productivity_factor: float,
    output_per_worker: np.ndarray,
    preparing_upgrade: np.ndarray,
    tier: np.ndarray,
    required_skilled_share: np.ndarray,
    served: np.ndarray,
    pool: float,
    unskilled_fill_rate: float,
    overstaff_release: float,
    workers: np.ndarray,
    skilled: np.ndarray,
    needs_talent: np.ndarray,
) -> tuple[float, float]:
    """Live firms first train a share (`training_rate`) of their unskilled staff. Output per
    worker grows by this quarter's `productivity_factor`. Producing firms' staff targets (the
    output they plan: expected demand grown by its cluster's `trend_factor`, plus the backlog,
    with a buffer, up to their plant, or the planned plant while ramping up), skilled
    vacancies filled from the pool (task-force-served firms first, then the rest pro rata),
    unskilled headcount moved toward the rest of the target. Returns the workers trained and
    the skilled workers hired (each summed in numpy's order)."""
    n = len(alive)
    top = len(required_skilled_share) - 1
    target = np.zeros(n)
    skilled_target = np.empty(n)
    shortfall = np.zeros(n)
    unskilled = np.empty(n)
    trained = np.empty(n)
    n_trained = 0
    # Each priority's shortfalls in row order, to sum: task-force-served firms, the others.
    served_wanted = np.empty(n)
    other_wanted = np.empty(n)
    n_served = 0
    for i in range(n):
        if alive[i]:
            trained[n_trained] = training_rate * (workers[i] - skilled[i])
            skilled[i] += trained[n_trained]
            n_trained += 1
        output_per_worker[i] *= productivity_factor
        active = alive[i] and stage[i] != building
        if active:
            ramp_target = planned_capacity[i] if stage[i] == ramping else capacity[i]
            expected_orders = expected_demand[i] * trend_factor[cluster[i]] + backlog[i]
            target[i] = minimum(ramp_target, expected_orders * staffing_buffer) / output_per_worker[i]
        # Firms preparing an upgrade staff for the next tier.
        skilled_target[i] = target[i] * required_skilled_share[min(tier[i] + preparing_upgrade[i], top)]
        unskilled[i] = workers[i] - skilled[i]
        if active:
            shortfall[i] = maximum(skilled_target[i] - skilled[i], 0.0)
        if served[i]:
            served_wanted[n_served] = shortfall[i]
            n_served += 1
        else:
            other_wanted[i - n_served] = shortfall[i]  # after the i - n_served others before it
    served_hiring, served_fraction, pool = _pool_fraction(served_wanted, n_served, pool)
    other_hiring, other_fraction, pool = _pool_fraction(other_wanted, n - n_served, pool)
    hired = np.zeros(n)
    for i in range(n):
        if served_hiring if served[i] else other_hiring:
            hired[i] = shortfall[i] * (served_fraction if served[i] else other_fraction)
        skilled[i] += hired[i]
        if alive[i] and stage[i] != building:
            # Headcount the skilled pool cannot supply is filled with unskilled workers.
            gap = maximum(target[i] - skilled[i], 0.0) - unskilled[i]
            change = unskilled_fill_rate * gap if gap > 0 else overstaff_release * gap
            unskilled[i] = maximum(unskilled[i] + change, 0.0)
            if shortfall[i] - hired[i] > 0.1 * skilled_target[i] + 1e-9:
                needs_talent[i] = True
        workers[i] = unskilled[i] + skilled[i]
    return array_sum(trained, n_trained), array_sum(hired, n)


@numba.njit(cache=True, error_model="numpy")
def _pool_fraction(wanted: np.ndarray, count: int, pool: float) -> tuple[bool, float, float]:
    """Whether a priority's firms hire (they ask for some and the pool has some), the fraction
    of their shortfalls (`wanted[:count]`) they get, and the pool left after them."""
    asked = array_sum(wanted, count)
    if asked <= 0 or pool <= 0:
        return False, 0.0, pool
    share = pool / asked
    fraction = share if share < 1.0 else 1.0
    return True, fraction, pool - asked * fraction
