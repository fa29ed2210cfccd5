"""Phase 4d: R&D spending, innovation success draws and science-and-tech certification."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum
from sim.model.firms import Stage
from sim.model.fiscal import WAN_PER_YI, spend
from sim.model.mechanisms.labour import required_skilled_share

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

AWARD_RESPONSE_UNIT_WAN = 10.0  # innovation.award_response is per 10万元 of award


def rd_intensity(model: IndustryModel) -> np.ndarray:
    """Share of revenue each firm spends on R&D, raised by the subsidy through its net price."""
    settings = model.params.innovation
    own = np.where(model.firms.tech, settings.rd_intensity_tech, settings.rd_intensity_other)
    net_price = 1 - model.params.levers.innovation.rd_subsidy_rate
    return own * net_price ** (-settings.rd_price_elasticity)


def research_staffing(model: IndustryModel) -> np.ndarray:
    """Share of the R&D a firm pays for that its skilled staff can carry out: its skilled share
    over the share its digital tier needs, at most 1 (a firm short of engineers and
    technicians gets less from its R&D budget; one fully staffed gets all of it)."""
    firms = model.firms
    share = firms.skilled / np.maximum(firms.workers, 1e-9)
    return np.minimum(share / required_skilled_share(model), 1.0)


def innovate(model: IndustryModel) -> None:
    """R&D gives a chance of a productivity step (platforms raise it, a shortage of skilled
    staff lowers it); tech status follows.

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

    platforms = 1 + settings.boost_per_platform * levers.platforms
    effort = rd_intensity(model) * platforms * research_staffing(model)
    chance = 1 - np.exp(-settings.success_scale * effort)
    award = 1 + settings.award_response * levers.certification_award_wan / AWARD_RESPONSE_UNIT_WAN
    successes, certified, first_time = _innovate(
        firms.alive,
        firms.stage,
        int(Stage.BUILDING),
        draws,
        chance,
        steps,
        cert_draws,
        lapse_draws,
        settings.certification_rate,
        model.constants.base_skilled_share,
        settings.success_certification_boost,
        award,
        settings.lapse_rate,
        firms.productivity,
        firms.skilled,
        firms.workers,
        firms.tech,
        firms.ever_certified,
    )
    model.scratch.tally.add("innovations", successes)
    model.scratch.tally.add("certifications", certified)
    spend(model, "subsidies", levers.certification_award_wan * first_time / WAN_PER_YI)


@numba.njit(cache=True)
def _innovate(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    draws: np.ndarray,
    chance: np.ndarray,
    steps: np.ndarray,
    cert_draws: np.ndarray,
    lapse_draws: np.ndarray,
    certification_rate: float,
    base_skilled_share: float,
    success_boost: float,
    award: float,
    lapse_rate: float,
    productivity: np.ndarray,
    skilled: np.ndarray,
    workers: np.ndarray,
    tech: np.ndarray,
    ever_certified: np.ndarray,
) -> tuple[int, int, int]:
    """Producing firms' R&D succeeds with `chance` (a productivity step); those not certified
    become tech enterprises with a propensity that rises with their skilled share, a success
    and the award; certified ones lapse at the lapse rate. Returns the successes, the
    certifications and the first certifications (the award is paid once)."""
    successes = certified = first_time = 0
    for i in range(len(alive)):
        if not (alive[i] and stage[i] != building):
            continue
        success = draws[i] < chance[i]
        if success:
            productivity[i] *= 1 + steps[i]
            successes += 1
        skilled_share = skilled[i] / maximum(workers[i], 1e-9)
        propensity = certification_rate * skilled_share / base_skilled_share
        propensity *= success_boost if success else 1.0
        propensity *= award
        if tech[i]:
            if lapse_draws[i] < lapse_rate:
                tech[i] = False
        elif cert_draws[i] < propensity:
            tech[i] = True
            certified += 1
            if not ever_certified[i]:
                first_time += 1
            ever_certified[i] = True
    return successes, certified, first_time
