"""Phase 4f: energy-efficiency retrofits, and intensity mandates that can curtail output."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    rng = model.scratch.streams["green"]
    draws = rng.random(firms.n)
    firms.energy_intensity *= np.where(firms.alive, (1 - settings.autonomous_improvement) ** 0.25, 1.0)

    ceiling = levers.intensity_cap * model.clusters.base_energy_intensity[firms.cluster]
    over = firms.alive & (levers.intensity_cap > 0) & (firms.energy_intensity > ceiling)
    firms.curtailed[:] = over

    saving = settings.retrofit_saving * annual_energy_bill(model)
    full_cost = settings.retrofit_cost_per_saving * saving
    cost = full_cost * (1 - levers.retrofit_subsidy_rate)
    chance = adoption_probability(
        settings.horizon_years * saving,
        cost,
        settings.decision_sharpness,
        settings.base_rate,
        settings.mandate_pressure * over,
    )
    chosen = firms.alive & (firms.stage == Stage.OPERATING) & (saving > 0) & (draws < chance)
    projects.retrofit[:] = chosen
    projects.retrofit_cost[:] = np.where(chosen, cost, 0.0)
    projects.subsidy[:] += np.where(chosen, full_cost * levers.retrofit_subsidy_rate, 0.0)


def complete_retrofit(model: IndustryModel, retrofitted: np.ndarray) -> None:
    model.firms.energy_intensity[retrofitted] *= 1 - model.params.green.retrofit_saving
    model.scratch.tally.add("retrofits", int(np.count_nonzero(retrofitted)))
