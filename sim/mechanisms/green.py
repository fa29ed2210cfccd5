"""Phase 4f: energy-efficiency retrofits, and intensity mandates that can curtail output."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.firms import Stage
from sim.mechanisms.adoption import adoption_probability

if TYPE_CHECKING:
    from sim.model import IndustryModel


def annual_energy_bill(model: IndustryModel) -> np.ndarray:
    """Yearly energy cost of each firm at its current output, 亿元."""
    firms = model.firms
    return firms.output * 4 * firms.energy_intensity * model.energy_price / 1e4


def plan_retrofits(model: IndustryModel) -> None:
    """Firms weigh a retrofit's saved energy bill against its cost; mandates add pressure."""
    settings = model.params.green
    firms = model.firms
    rng = model.streams["green"]
    draws = rng.random(firms.n)
    firms.energy_intensity[firms.alive] *= (1 - settings.autonomous_improvement) ** 0.25

    ceiling = settings.intensity_cap * model.clusters.base_energy_intensity[firms.cluster]
    over = firms.alive & (settings.intensity_cap > 0) & (firms.energy_intensity > ceiling)
    firms.curtailed[:] = over

    saving = settings.retrofit_saving * annual_energy_bill(model)
    cost = settings.retrofit_cost_per_saving * saving * (1 - settings.retrofit_subsidy_rate)
    chance = adoption_probability(
        settings.horizon_years * saving,
        cost,
        settings.decision_sharpness,
        settings.base_rate,
        settings.mandate_pressure * over,
    )
    chosen = firms.alive & (firms.stage == Stage.OPERATING) & (saving > 0) & (draws < chance)
    model.projects.retrofit[:] = chosen
    model.projects.retrofit_cost[:] = np.where(chosen, cost, 0.0)


def complete_retrofit(model: IndustryModel, retrofitted: np.ndarray) -> None:
    model.firms.energy_intensity[retrofitted] *= 1 - model.params.green.retrofit_saving
    model.counters["retrofits"] += int(np.count_nonzero(retrofitted))
