"""Phase 4d: R&D spending, innovation success draws and science-and-tech certification."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.firms import Stage
from sim.model.fiscal import WAN_PER_YI, spend

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

AWARD_RESPONSE_UNIT_WAN = 10.0  # innovation.award_response is per 10万元 of award


def rd_intensity(model: IndustryModel) -> np.ndarray:
    """Share of revenue each firm spends on R&D, raised by the subsidy through its net price."""
    settings = model.params.innovation
    own = np.where(model.firms.tech, settings.rd_intensity_tech, settings.rd_intensity_other)
    net_price = 1 - model.params.levers.innovation.rd_subsidy_rate
    return own * net_price ** (-settings.rd_price_elasticity)


def innovate(model: IndustryModel) -> None:
    """R&D gives a chance of a productivity step (platforms raise it); tech status follows.

    Certification is likelier for firms with more skilled staff, after a success, and
    with an award for newly certified firms.
    """
    settings = model.params.innovation
    levers = model.params.levers.innovation
    firms = model.firms
    rng = model.scratch.streams["innovation"]
    draws = rng.random(firms.n)
    steps = rng.exponential(settings.step_mean, firms.n)
    cert_draws = rng.random(firms.n)
    lapse_draws = rng.random(firms.n)

    active = firms.alive & (firms.stage != Stage.BUILDING)
    platforms = 1 + settings.boost_per_platform * levers.platforms
    chance = 1 - np.exp(-settings.success_scale * rd_intensity(model) * platforms)
    success = active & (draws < chance)
    firms.productivity[success] *= 1 + steps[success]

    skilled_share = firms.skilled / np.maximum(firms.workers, 1e-9)
    propensity = settings.certification_rate * skilled_share / model.constants.base_skilled_share
    propensity *= np.where(success, settings.success_certification_boost, 1.0)
    propensity *= 1 + settings.award_response * levers.certification_award_wan / AWARD_RESPONSE_UNIT_WAN
    certified = active & ~firms.tech & (cert_draws < propensity)
    lapsed = active & firms.tech & (lapse_draws < settings.lapse_rate)
    first_time = certified & ~firms.ever_certified
    firms.tech[certified] = True
    firms.ever_certified[certified] = True
    firms.tech[lapsed] = False
    model.scratch.tally.add("innovations", int(np.count_nonzero(success)))
    model.scratch.tally.add("certifications", int(np.count_nonzero(certified)))
    spend(model, "subsidies", levers.certification_award_wan * np.count_nonzero(first_time) / WAN_PER_YI)
