"""Phase 4f: energy-efficiency retrofits, and intensity mandates that can curtail output."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum, minimum
from sim.model.firms import Stage
from sim.model.mechanisms.adoption import adoption_chance

if TYPE_CHECKING:
    from sim.model.mechanisms.projects import Projects
    from sim.model.model import IndustryModel

# The year Chongqing's published target (22,400 CNY of value added per tce) refers to.
QUOTA_YEAR = 2027


def annual_energy_bill(model: IndustryModel) -> np.ndarray:
    """Yearly energy cost of each firm at its current output, with any tariff surcharge, 亿元."""
    return _energy_costs_of(model, surcharge_only=False)


def tariff_surcharge(model: IndustryModel) -> np.ndarray:
    """Yearly differential-tariff surcharge (差别电价) firms pay on the energy they use above quota."""
    return _energy_costs_of(model, surcharge_only=True)


def _energy_costs_of(model: IndustryModel, surcharge_only: bool) -> np.ndarray:
    firms = model.firms
    surcharge = model.params.levers.green.tariff_surcharge
    return _energy_costs(
        surcharge_only,
        firms.output,
        firms.energy_intensity,
        model.energy_price,
        surcharge,
        firms.energy_excess,
    )


@numba.njit(cache=True, error_model="numpy")
def _energy_costs(
    surcharge_only: bool,
    output: np.ndarray,
    energy_intensity: np.ndarray,
    energy_price: float,
    surcharge: float,
    energy_excess: np.ndarray,
) -> np.ndarray:
    """Each firm's yearly energy bill at its current output, or the surcharge part of it."""
    costs = np.empty(len(output))
    for i in range(len(output)):
        at_base = _at_base_price(output[i], energy_intensity[i], energy_price)
        extra = _surcharge_on(surcharge, energy_excess[i], at_base)
        costs[i] = extra if surcharge_only else at_base + extra
    return costs


@numba.njit(cache=True, error_model="numpy", inline="always")
def _at_base_price(output: float, energy_intensity: float, energy_price: float) -> float:
    """Yearly energy cost at the base price, 亿元."""
    return output * 4 * energy_intensity * energy_price / 1e4


@numba.njit(cache=True, error_model="numpy", inline="always")
def _surcharge_on(surcharge: float, energy_excess: float, at_base: float) -> float:
    """The surcharge falls on the share of a firm's energy use above what its quota allows."""
    return surcharge * energy_excess * at_base


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
    _plan_retrofits(
        firms.alive,
        firms.stage,
        int(Stage.OPERATING),
        firms.cluster,
        (1 - settings.autonomous_improvement) ** 0.25,
        intensity_ceiling(model),
        model.clusters.energy_intensive,
        settings.energy_intensive_allowance,
        settings.max_curtailment,
        model.energy_price,
        levers.tariff_surcharge,
        settings.retrofit_saving,
        settings.retrofit_cost_per_saving,
        levers.retrofit_subsidy_rate,
        settings.horizon_years,
        settings.decision_sharpness,
        settings.mandate_pressure,
        firms.revenue,
        firms.value_added,
        firms.output,
        firms.energy_intensity,
        firms.energy_excess,
        firms.curtailment,
        model.scratch.streams["green"].random(firms.n),
        settings.base_rate,
        projects.retrofit,
        projects.retrofit_cost,
        projects.subsidy,
    )


@numba.njit(cache=True, error_model="numpy")
def _plan_retrofits(
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    cluster: np.ndarray,
    improvement: float,
    ceiling: float,
    energy_intensive: np.ndarray,
    intensive_allowance: float,
    max_curtailment: float,
    energy_price: float,
    surcharge: float,
    retrofit_saving: float,
    cost_per_saving: float,
    subsidy_rate: float,
    horizon_years: float,
    sharpness: float,
    mandate_pressure: float,
    revenue: np.ndarray,
    value_added: np.ndarray,
    output: np.ndarray,
    energy_intensity: np.ndarray,
    energy_excess: np.ndarray,
    curtailment: np.ndarray,
    draws: np.ndarray,
    base_rate: float,
    chosen: np.ndarray,
    chosen_cost: np.ndarray,
    chosen_subsidy: np.ndarray,
) -> None:
    """Live firms' energy intensity improves by itself. Under a quota (tce per 万元 of value
    added, times the cluster's allowance: `intensive_allowance` for energy-intensive
    clusters, 1 for the others), a firm's excess is the share of its energy use above what
    the quota allows for its value added (last quarter's value-added ratio; all of it when
    it added no value); it is cut back by that share, up to the largest cut.

    Then the candidates (operating firms with a yearly saving to make) weigh a retrofit
    (the saved bill over the horizon against the cost net of the subsidy, a firm over quota
    pushed by the mandate) and retrofit if they draw it; the district pays its share. Only
    a draw below the base rate (the cap on the chance to retrofit) can be a retrofit.
    """
    for i in range(len(alive)):
        if alive[i]:
            energy_intensity[i] *= improvement
        excess = 0.0
        if alive[i] and ceiling > 0 and revenue[i] > 0:
            allowance = intensive_allowance if energy_intensive[cluster[i]] else 1.0
            allowed = ceiling * allowance * value_added[i] / revenue[i]
            excess = minimum(maximum(1 - allowed / energy_intensity[i], 0.0), 1.0)
        energy_excess[i] = excess
        curtailment[i] = minimum(excess, max_curtailment)
        at_base = _at_base_price(output[i], energy_intensity[i], energy_price)
        saving = retrofit_saving * (at_base + _surcharge_on(surcharge, excess, at_base))
        cost = subsidy = 0.0
        chosen[i] = False
        if alive[i] and stage[i] == operating and saving > 0 and draws[i] < base_rate:
            full_cost = cost_per_saving * saving
            cost = full_cost * (1 - subsidy_rate)
            subsidy = full_cost * subsidy_rate
            nudge = mandate_pressure * (1.0 if excess > 0 else 0.0)
            chosen[i] = draws[i] < adoption_chance(horizon_years * saving, cost, sharpness, base_rate, nudge)
        chosen_cost[i] = cost if chosen[i] else 0.0
        chosen_subsidy[i] += subsidy if chosen[i] else 0.0


def complete_retrofit(model: IndustryModel, retrofitted: np.ndarray) -> None:
    """A funded retrofit cuts the firm's energy intensity by the retrofit's saving."""
    count = _retrofit(retrofitted, model.params.green.retrofit_saving, model.firms.energy_intensity)
    model.scratch.tally.add("retrofits", count)


@numba.njit(cache=True, error_model="numpy")
def _retrofit(retrofitted: np.ndarray, saving: float, energy_intensity: np.ndarray) -> int:
    count = 0
    for i in range(len(retrofitted)):
        if retrofitted[i]:
            energy_intensity[i] *= 1 - saving
            count += 1
    return count
