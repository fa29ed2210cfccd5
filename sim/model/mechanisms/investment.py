"""Phase 4b: incumbents plan lumpy capacity expansions when expected demand outruns capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

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
    installed = firms.capacity + firms.pending_capacity
    # Plan for the market a year after the new capacity comes on line.
    lookahead = model.clusters.trend_q[firms.cluster] * (settings.build_quarters + 4)
    desired = firms.expected_demand * (1 + settings.capacity_buffer) * np.exp(lookahead)
    reviewing = model.scratch.streams["investment"].random(firms.n) < settings.review_rate
    eligible = (
        reviewing
        & firms.alive
        & (firms.stage == Stage.OPERATING)
        & (firms.pending_timer == 0)
        & (firms.margin >= settings.min_margin)
        & (desired > installed * (1 + settings.trigger_gap))
    )
    add = np.where(eligible, np.minimum(desired - installed, settings.max_expansion * firms.capacity), 0.0)
    projects.capacity_add[:] = add
    cost_per_unit = 4 * model.clusters.capital_output[firms.cluster] * model.price_index
    projects.capacity_cost[:] = add * cost_per_unit
    beyond_land = np.maximum(installed + add - land_capacity(model), 0.0)
    projects.land_need_mu[:] = np.where(add > 0, beyond_land / new_land_density(model)[firms.cluster], 0.0)
