"""Phase 4d: R&D spending, innovation success draws and science-and-tech certification."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.firms import Stage

if TYPE_CHECKING:
    from sim.model import IndustryModel


def rd_intensity(model: IndustryModel) -> np.ndarray:
    """Share of revenue each firm spends on R&D out of its own pocket."""
    settings = model.params.innovation
    return np.where(model.firms.tech, settings.rd_intensity_tech, settings.rd_intensity_other)


def innovate(model: IndustryModel) -> None:
    """R&D (own plus subsidy) gives a chance of a productivity step; tech status follows."""
    settings = model.params.innovation
    firms = model.firms
    rng = model.streams["innovation"]
    draws = rng.random(firms.n)
    steps = rng.exponential(settings.step_mean, firms.n)
    cert_draws = rng.random(firms.n)
    lapse_draws = rng.random(firms.n)

    active = firms.alive & (firms.stage != Stage.BUILDING)
    effective = rd_intensity(model) / (1 - settings.rd_subsidy_rate)
    chance = 1 - np.exp(-settings.success_scale * effective * (1 + settings.platform_boost))
    success = active & (draws < chance)
    firms.productivity[success] *= 1 + steps[success]

    skilled_share = firms.skilled / np.maximum(firms.workers, 1e-9)
    propensity = settings.certification_rate * skilled_share / model.base_skilled_share
    propensity *= np.where(success, settings.success_certification_boost, 1.0)
    certified = active & ~firms.tech & (cert_draws < propensity)
    lapsed = active & firms.tech & (lapse_draws < settings.lapse_rate)
    firms.tech[certified] = True
    firms.tech[lapsed] = False
    model.counters["innovations"] += int(np.count_nonzero(success))
    model.counters["certifications"] += int(np.count_nonzero(certified))
