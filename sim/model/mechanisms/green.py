"""Phase 4f: energy-efficiency retrofits, and intensity mandates that can curtail output."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum, minimum
from sim.model.firms import Stage
from sim.model.mechanisms.adoption import adoption_probability

if TYPE_CHECKING:
    from sim.model.mechanisms.projects import Projects
    from sim.model.model import IndustryModel

# The year Chongqing's published target (22,400 CNY of value added per tce) refers to.
QUOTA_YEAR = 2027


def annual_energy_bill(model: IndustryModel) -> np.ndarray:
    """Yearly energy cost of each firm at its current output, with any tariff surcharge, 亿元."""
    at_base = energy_at_base_price(model)
    return at_base + _surcharge_on(model, at_base)


def energy_at_base_price(model: IndustryModel) -> np.ndarray:
    firms = model.firms
    return firms.output * 4 * firms.energy_intensity * model.energy_price / 1e4


def tariff_surcharge(model: IndustryModel) -> np.ndarray:
    """Yearly differential-tariff surcharge (差别电价) firms pay on the energy they use above quota."""
    return _surcharge_on(model, energy_at_base_price(model))


def _surcharge_on(model: IndustryModel, at_base: np.ndarray) -> np.ndarray:
    """The surcharge falls on the share of a firm's energy use above what its quota allows."""
    return model.params.levers.green.tariff_surcharge * model.firms.energy_excess * at_base


def intensity_ceiling(model: IndustryModel) -> float:
    """This year's ceiling on energy use per 万元 of value added (tce) for most industry.

    The lever sets the 2027 value; the quota tightens by `cap_tightening` a year along
    Chongqing's path (value added per tce growing by at least 3% a year), so it is looser
    before 2027 and tighter after. 0 when there is no ceiling.
    """
    levers = model.params.levers.green
    return levers.intensity_cap * (1 + levers.cap_tightening) ** (QUOTA_YEAR - model.year)


def plan_retrofits(model: IndustryModel, projects: Projects) -> None:
    """Firms weigh a retrofit's saved energy bill against its cost; mandates add pressure."""
    settings = model.params.green
    levers = model.params.levers.green
    firms = model.firms
    draws = model.scratch.streams["green"].random(firms.n)
    _enforce_quota(
        firms.alive,
        firms.cluster,
        (1 - settings.autonomous_improvement) ** 0.25,
        intensity_ceiling(model),
        np.where(model.clusters.energy_intensive, settings.energy_intensive_allowance, 1.0),
        settings.max_curtailment,
        firms.revenue,
        firms.value_added,
        firms.energy_intensity,
        firms.energy_excess,
        firms.curtailment,
    )
    saving = settings.retrofit_saving * annual_energy_bill(model)
    full_cost = settings.retrofit_cost_per_saving * saving
    cost = full_cost * (1 - levers.retrofit_subsidy_rate)
    chance = adoption_probability(
        settings.horizon_years * saving,
        cost,
        settings.decision_sharpness,
        settings.base_rate,
        settings.mandate_pressure * (firms.energy_excess > 0),
    )
    _choose_retrofits(
        firms.alive,
        firms.stage,
        int(Stage.OPERATING),
        saving,
        draws,
        chance,
        cost,
        full_cost * levers.retrofit_subsidy_rate,
        projects.retrofit,
        projects.retrofit_cost,
        projects.subsidy,
    )


@numba.njit(cache=True)
def _enforce_quota(
    alive: np.ndarray,
    cluster: np.ndarray,
    improvement: float,
    ceiling: float,
    allowance: np.ndarray,
    max_curtailment: float,
    revenue: np.ndarray,
    value_added: np.ndarray,
    energy_intensity: np.ndarray,
    energy_excess: np.ndarray,
    curtailment: np.ndarray,
) -> None:
    """Live firms' energy intensity improves by itself. Under a quota (tce per 万元 of value
    added, times the cluster's allowance), a firm's excess is the share of its energy use
    above what the quota allows for its value added (last quarter's value-added ratio; all
    of it when it added no value); it is cut back by that share, up to the largest cut."""
    for i in range(len(alive)):
        if alive[i]:
            energy_intensity[i] *= improvement
        excess = 0.0
        if alive[i] and ceiling > 0 and revenue[i] > 0:
            allowed = ceiling * allowance[cluster[i]] * value_added[i] / revenue[i]
            excess = minimum(maximum(1 - allowed / energy_intensity[i], 0.0), 1.0)
        energy_excess[i] = excess
        curtailment[i] = minimum(excess, max_curtailment)


@numba.njit(cache=True)
def _choose_retrofits(
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    saving: np.ndarray,
    draws: np.ndarray,
    chance: np.ndarray,
    cost: np.ndarray,
    subsidy: np.ndarray,
    chosen: np.ndarray,
    chosen_cost: np.ndarray,
    chosen_subsidy: np.ndarray,
) -> None:
    """Operating firms with a saving to make retrofit if they draw it; the district pays its share."""
    for i in range(len(alive)):
        chosen[i] = alive[i] and stage[i] == operating and saving[i] > 0 and draws[i] < chance[i]
        chosen_cost[i] = cost[i] if chosen[i] else 0.0
        chosen_subsidy[i] += subsidy[i] if chosen[i] else 0.0


def complete_retrofit(model: IndustryModel, retrofitted: np.ndarray) -> None:
    model.firms.energy_intensity[retrofitted] *= 1 - model.params.green.retrofit_saving
    model.scratch.tally.add("retrofits", int(np.count_nonzero(retrofitted)))
