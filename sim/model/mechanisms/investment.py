"""Phase 4b: incumbents plan lumpy capacity expansions when expected demand outruns capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum, minimum
from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.mechanisms.projects import Projects
    from sim.model.model import IndustryModel


def new_land_density(model: IndustryModel) -> np.ndarray:
    """Real quarterly capacity per mu on newly allocated land, per cluster: newer plants are
    denser than the base year's average, and the land plan's plot ratios add to that."""
    gain = (1 + model.params.land.new_plant_density_gain) * (1 + model.params.levers.land.plot_ratio_gain)
    return model.clusters.new_density * gain


def land_capacity(model: IndustryModel) -> np.ndarray:
    """Capacity a firm can reach on the land it holds (with some on-site headroom)."""
    firms = model.firms
    return firms.land_mu * firms.density * (1 + model.params.land.onsite_headroom)


def plan_capacity_investment(model: IndustryModel, projects: Projects) -> None:
    """Expand by the gap to expected demand (grown a year ahead) plus a buffer, past a trigger."""
    settings = model.params.investment
    firms = model.firms
    _plan_expansions(
        model.scratch.streams["investment"].random(firms.n),
        settings.review_rate,
        firms.alive,
        firms.stage,
        int(Stage.OPERATING),
        firms.pending_timer,
        firms.margin,
        settings.min_margin,
        firms.expected_demand,
        1 + settings.capacity_buffer,
        model.clusters.trend_q,
        settings.build_quarters + 4,  # plan for the market a year after the new capacity comes on line
        firms.capacity,
        firms.pending_capacity,
        1 + settings.trigger_gap,
        settings.max_expansion,
        model.clusters.capital_output,
        model.price_index,
        firms.land_mu,
        firms.density,
        1 + model.params.land.onsite_headroom,
        new_land_density(model),
        firms.cluster,
        projects.capacity_add,
        projects.capacity_cost,
        projects.land_need_mu,
    )


@numba.njit(cache=True, error_model="numpy")
def _plan_expansions(
    draws: np.ndarray,
    review_rate: float,
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    pending_timer: np.ndarray,
    margin: np.ndarray,
    min_margin: float,
    expected_demand: np.ndarray,
    buffer: float,
    trend_q: np.ndarray,
    lookahead: float,
    capacity: np.ndarray,
    pending_capacity: np.ndarray,
    trigger: float,
    max_expansion: float,
    capital_output: np.ndarray,
    price_index: float,
    land_mu: np.ndarray,
    density: np.ndarray,
    headroom: float,
    new_density: np.ndarray,
    cluster: np.ndarray,
    capacity_add: np.ndarray,
    capacity_cost: np.ndarray,
    land_need_mu: np.ndarray,
) -> None:
    """Operating firms under review (their draw under the review rate), with no expansion
    building and a margin at least the minimum, whose desired capacity (expected demand with a
    buffer, grown at their cluster's quarterly trend for `lookahead` quarters) is past the
    trigger above what they have installed or building, plan to add the gap (at most a share
    of their capacity), at the cluster's capital cost, and ask for the land beyond what their
    land can hold (`land_capacity`'s)."""
    growth = np.exp(trend_q * lookahead)
    cost_per_unit = 4 * capital_output * price_index
    for i in range(len(alive)):
        installed = capacity[i] + pending_capacity[i]
        desired = expected_demand[i] * buffer * growth[cluster[i]]
        add = 0.0
        if (
            draws[i] < review_rate
            and alive[i]
            and stage[i] == operating
            and pending_timer[i] == 0
            and margin[i] >= min_margin
            and desired > installed * trigger
        ):
            add = minimum(desired - installed, max_expansion * capacity[i])
        capacity_add[i] = add
        capacity_cost[i] = add * cost_per_unit[cluster[i]]
        beyond_land = maximum(installed + add - land_mu[i] * density[i] * headroom, 0.0)
        land_need_mu[i] = beyond_land / new_density[cluster[i]] if add > 0 else 0.0
