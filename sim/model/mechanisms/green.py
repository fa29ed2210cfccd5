"""Phase 4f: energy-efficiency retrofits, and intensity mandates that can curtail output."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.firms import Stage
from sim.model.mechanisms.adoption import adoption_probability

if TYPE_CHECKING:
    from sim.model.mechanisms.projects import Projects
    from sim.model.model import IndustryModel


def annual_energy_bill(model: IndustryModel) -> np.ndarray:
    """Yearly energy cost of each firm at its current output, with any tariff surcharge, 亿元."""
    at_base = energy_at_base_price(model)
    return at_base + _surcharge_on(model, at_base)


def energy_at_base_price(model: IndustryModel) -> np.ndarray:
    firms = model.firms
    return firms.output * 4 * firms.energy_intensity * model.energy_price / 1e4


def tariff_surcharge(model: IndustryModel) -> np.ndarray:
    """Yearly differential-tariff surcharge (差别电价) paid by firms above the intensity ceiling."""
    return _surcharge_on(model, energy_at_base_price(model))


def _surcharge_on(model: IndustryModel, at_base: np.ndarray) -> np.ndarray:
    return model.params.levers.green.tariff_surcharge * model.firms.curtailed * at_base


def plan_retrofits(model: IndustryModel, projects: Projects) -> None:
    """Firms weigh a retrofit's saved energy bill against its cost; mandates add pressure."""
    settings = model.params.green
    levers = model.params.levers.green
    firms = model.firms
    draws = model.scratch.streams["green"].random(firms.n)
    _curtail(
        firms.alive,
        firms.cluster,
        (1 - settings.autonomous_improvement) ** 0.25,
        levers.intensity_cap,
        model.clusters.base_energy_intensity,
        firms.energy_intensity,
        firms.curtailed,
    )
    saving = settings.retrofit_saving * annual_energy_bill(model)
    full_cost = settings.retrofit_cost_per_saving * saving
    cost = full_cost * (1 - levers.retrofit_subsidy_rate)
    chance = adoption_probability(
        settings.horizon_years * saving,
        cost,
        settings.decision_sharpness,
        settings.base_rate,
        settings.mandate_pressure * firms.curtailed,
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
def _curtail(
    alive: np.ndarray,
    cluster: np.ndarray,
    improvement: float,
    intensity_cap: float,
    base_energy_intensity: np.ndarray,
    energy_intensity: np.ndarray,
    curtailed: np.ndarray,
) -> None:
    """Live firms' energy intensity improves by itself; where a mandate caps intensity (a
    multiple of the cluster's base-year intensity), firms above the cap are curtailed."""
    for i in range(len(alive)):
        if alive[i]:
            energy_intensity[i] *= improvement
        ceiling = intensity_cap * base_energy_intensity[cluster[i]]
        curtailed[i] = alive[i] and intensity_cap > 0 and energy_intensity[i] > ceiling


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
