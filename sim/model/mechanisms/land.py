"""Phase 5b: land for expansions, new supply under the land plan, reclaiming idle and
under-used land."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firm_rows import annual_revenue
from sim.model.firms import Stage
from sim.model.fiscal import WAN_PER_YI, sell_land, spend
from sim.model.land_allocation import parcels_in
from sim.model.mechanisms.investment import land_capacity, new_land_density
from sim.model.parcels import ParcelStatus

if TYPE_CHECKING:
    from sim.model.mechanisms.projects import Projects
    from sim.model.model import IndustryModel


def supply_land(model: IndustryModel) -> None:
    """New serviced land: parcels enter preparation, then become vacant."""
    settings = model.params.land
    levers = model.params.levers.land
    parcels = model.parcels
    _prepare(parcels.status, parcels.timer, int(ParcelStatus.PREPARING), int(ParcelStatus.VACANT))
    quarterly = (settings.status_quo_supply_mu_per_year + levers.extra_supply_mu_per_year) / 4
    if quarterly <= 0:
        return
    rng = model.scratch.streams["land_supply"]
    median = np.log(model.constants.vacant_parcel_mu)
    sizes = rng.lognormal(median, 0.6, 64)
    while sizes.sum() < quarterly:
        sizes = np.concatenate([sizes, rng.lognormal(median, 0.6, 64)])
    sizes, supplied = _fill_quarter(sizes, quarterly)
    if settings.preparation_quarters == 0:
        parcels.add(sizes, ParcelStatus.VACANT)
    else:
        parcels.add(sizes, ParcelStatus.PREPARING, timer=settings.preparation_quarters)
    parcels.supplied_mu += supplied
    model.scratch.tally.add("land_supplied_mu", supplied)
    spend(model, "land", supplied * model.params.fiscal.land_preparation_wan_per_mu / WAN_PER_YI)


@numba.njit(cache=True, error_model="numpy")
def _fill_quarter(sizes: np.ndarray, quarterly: float) -> tuple[np.ndarray, float]:
    """The parcels up to the first whose running total (`np.cumsum`'s) reaches the quarter's
    supply, the last taking the remainder, and their area: numpy's steps (`searchsorted`
    finds that parcel, the sums are pairwise as numpy's)."""
    running = 0.0
    below = 0
    for size in sizes:
        running += size
        below += running < quarterly
    taken = sizes[: min(below + 1, len(sizes))]
    taken[-1] -= array_sum(taken, len(taken)) - quarterly  # the last parcel takes the remainder
    return taken, array_sum(taken, len(taken))


@numba.njit(cache=True, error_model="numpy")
def _prepare(status: np.ndarray, timer: np.ndarray, preparing: int, vacant: int) -> None:
    """Parcels in preparation count down a quarter; those done become vacant."""
    for p in range(len(status)):
        if status[p] == preparing:
            timer[p] -= 1
            if timer[p] <= 0:
                status[p] = vacant


def reclaim_idle_land(model: IndustryModel) -> None:
    """Idle parcels come back on offer: the district buys a share back (盘活闲置土地), and of
    the rest a share is sold or re-let on the market, at no cost to the district.

    One draw per parcel decides both (common random numbers): a faster reclaiming lever
    returns a superset of the parcels that come back without it, the first of them bought
    by the district instead of resold.
    """
    parcels = model.parcels
    status = parcels.status
    idle = parcels_in(status, int(ParcelStatus.IDLE))
    draws = model.scratch.streams["reclaim"].random(len(idle))
    reclaim = model.params.levers.land.reclaim_rate
    resold_below = 1 - (1 - reclaim) * (1 - model.params.land.resale_rate)
    reclaimed, resold = _reclaim(
        idle, draws, reclaim, resold_below, status, parcels.area, int(ParcelStatus.VACANT)
    )
    model.scratch.tally.add("land_reclaimed_mu", reclaimed)
    model.scratch.tally.add("land_resold_mu", resold)
    spend(model, "land", reclaimed * model.params.fiscal.reclaim_wan_per_mu / WAN_PER_YI)


@numba.njit(cache=True, error_model="numpy")
def _reclaim(
    idle: np.ndarray,
    draws: np.ndarray,
    reclaim: float,
    resold_below: float,
    status: np.ndarray,
    area: np.ndarray,
    vacant: int,
) -> tuple[float, float]:
    """Idle parcels whose draw is below `reclaim` are bought back, those from there to below
    `resold_below` resold: both become vacant. Returns the areas bought and resold, each summed in
    parcel order as numpy sums them."""
    bought = np.empty(len(idle))
    resold = np.empty(len(idle))
    n_bought = n_resold = 0
    for k in range(len(idle)):
        p = idle[k]
        if draws[k] < reclaim:
            bought[n_bought] = area[p]
            n_bought += 1
            status[p] = vacant
        elif draws[k] < resold_below:
            resold[n_resold] = area[p]
            n_resold += 1
            status[p] = vacant
    return array_sum(bought, n_bought), array_sum(resold, n_resold)


def evaluate_output_per_mu(model: IndustryModel, projects: Projects) -> None:
    """Yearly evaluation (亩均论英雄): firms below the threshold give back land their output
    does not use, and scrap the idle plant on it; the district buys the land back.

    A firm offers a share of the land beyond what its current output needs (output over
    its plant density), if that makes a usable plot. Firms expanding, or with capacity
    being built, are left alone.
    """
    threshold = model.params.levers.land.low_yield_threshold_wan
    if threshold <= 0:
        return
    settings = model.params.land
    firms = model.firms
    full_year = firms.alive & (firms.stage == Stage.OPERATING) & (firms.entry_step <= model.steps - 4)
    held = firms.land_mu > 0
    per_mu = np.divide(firms.annual_revenue * 1e4, firms.land_mu, out=np.zeros(firms.n), where=held)
    needed = firms.output / np.maximum(firms.density, 1e-12)
    offer = settings.surrender_share * np.maximum(firms.land_mu - needed, 0.0)
    expanding = (projects.capacity_add > 0) | (firms.pending_capacity > 0)
    usable = (offer > 0) & (offer >= settings.min_allocation_mu)
    low = np.flatnonzero(full_year & held & ~expanding & (per_mu < threshold) & usable)
    price = model.params.fiscal.reclaim_wan_per_mu / WAN_PER_YI
    given = model.parcels.surrender_many(low, offer[low])
    _scrap_idle_plant(
        low,
        given,
        price,
        firms.density,
        firms.output,
        firms.capital,
        firms.capacity,
        firms.land_mu,
        firms.cash,
    )
    for area in given.tolist():  # booked firm by firm, as the totals' sums have it
        model.scratch.tally.add("land_surrendered_mu", area)
        spend(model, "land", area * price)


@numba.njit(cache=True, error_model="numpy")
def _scrap_idle_plant(
    firms: np.ndarray,
    given: np.ndarray,
    price: float,
    density: np.ndarray,
    output: np.ndarray,
    capital: np.ndarray,
    capacity: np.ndarray,
    land_mu: np.ndarray,
    cash: np.ndarray,
) -> None:
    """Firms that gave back land scrap the plant on it (no more than their idle plant), their
    capital in proportion, and are paid for it: Python's min and max, as the loop had them."""
    for k in range(len(firms)):
        i = firms[k]
        scrapped = given[k] * density[i]
        idle_plant = capacity[i] - output[i]
        if idle_plant < scrapped:  # min(scrapped, idle_plant)
            scrapped = idle_plant
        floor = capacity[i]
        if floor < 1e-12:  # max(capacity, 1e-12)
            floor = 1e-12
        capital[i] *= 1 - scrapped / floor
        capacity[i] -= scrapped
        land_mu[i] -= given[k]
        cash[i] += given[k] * price


def allocate_expansion_land(model: IndustryModel, projects: Projects) -> None:
    """Funded expansions needing land get parcels (task-force-served firms first), or shrink."""
    firms = model.firms
    new_density = new_land_density(model)
    order = _expansion_order(projects.land_need_mu, projects.capacity_add, firms.served, firms.revenue_4q)
    asked = np.maximum(projects.land_need_mu[order], model.params.land.min_allocation_mu)
    granted = model.parcels.allocate_many(order, asked)
    sell_land(model, granted)
    refusals = _take_land(
        order,
        granted,
        new_density,
        firms.cluster,
        projects.land_need_mu,
        firms.land_mu,
        firms.density,
        firms.needs_land,
    )
    model.scratch.tally.add("land_refusals", refusals)
    room = land_capacity(model)
    _shrink_to_land(
        room, firms.capacity, firms.pending_capacity, projects.capacity_add, projects.capacity_cost
    )


@numba.njit(cache=True, error_model="numpy")
def _expansion_order(
    land_need_mu: np.ndarray, capacity_add: np.ndarray, served: np.ndarray, revenue_4q: np.ndarray
) -> np.ndarray:
    """The firms whose expansion needs land, task-force-served first, then by annual revenue
    (`FirmArrays.annual_revenue`), largest first, row order among equals: the order
    `np.lexsort((-annual_revenue, ~served))` gives (a stable sort by revenue, then served
    firms moved ahead in that order), without its masks over every firm."""
    needing = np.empty(len(land_need_mu), np.int64)
    negated = np.empty(len(land_need_mu))
    count = 0
    for i in range(len(land_need_mu)):
        if land_need_mu[i] > 0 and capacity_add[i] > 0:
            needing[count] = i
            negated[count] = -annual_revenue(revenue_4q, i)
            count += 1
    by_revenue = needing[:count][np.argsort(negated[:count], kind="mergesort")]
    order = np.empty(count, np.int64)
    placed = 0
    for first in (True, False):
        for i in by_revenue:
            if served[i] == first:
                order[placed] = i
                placed += 1
    return order


@numba.njit(cache=True, error_model="numpy")
def _take_land(
    order: np.ndarray,
    granted: np.ndarray,
    new_density: np.ndarray,
    cluster: np.ndarray,
    land_need_mu: np.ndarray,
    land_mu: np.ndarray,
    density: np.ndarray,
    needs_land: np.ndarray,
) -> int:
    """Firms (`order`, distinct) add the land granted to theirs, their plant density the
    area-weighted blend of theirs and the new land's; those granted less than they need
    ask for land (returns how many). numpy's steps, one firm at a time."""
    refusals = 0
    for k in range(len(order)):
        i = order[k]
        held = land_mu[i] + granted[k]
        blended = density[i] * land_mu[i] + new_density[cluster[i]] * granted[k]
        if held > 0:
            density[i] = blended / held
        land_mu[i] = held
        if granted[k] < land_need_mu[i]:
            needs_land[i] = True
            refusals += 1
    return refusals


@numba.njit(cache=True, error_model="numpy")
def _shrink_to_land(
    land_capacity: np.ndarray,
    capacity: np.ndarray,
    pending: np.ndarray,
    capacity_add: np.ndarray,
    capacity_cost: np.ndarray,
) -> None:
    """An expansion shrinks to the room its land leaves (land capacity less the capacity
    installed and pending), its cost with it: numpy's steps, one firm at a time (the others
    numpy scaled by one, which changes no number)."""
    for i in range(len(capacity_add)):
        add = capacity_add[i]
        if add > 0:
            room = maximum(land_capacity[i] - capacity[i] - pending[i], 0.0)
            shrink = minimum(add, room) / add
            capacity_add[i] = add * shrink
            capacity_cost[i] *= shrink


def manage_land(model: IndustryModel, projects: Projects) -> None:
    """Supply and reclaim land; in the first quarter, evaluate output per mu (sparing expansions)."""
    supply_land(model)
    reclaim_idle_land(model)
    if model.quarter == 1:
        evaluate_output_per_mu(model, projects)
