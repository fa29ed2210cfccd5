"""Phase 4d: R&D spending, innovation success draws and science-and-tech certification."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import maximum, minimum
from sim.model.firms import Stage
from sim.model.fiscal import WAN_PER_YI, spend

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

AWARD_RESPONSE_UNIT_WAN = 10.0  # innovation.award_response is per 10万元 of award


def rd_intensity(model: IndustryModel) -> np.ndarray:
    """Share of revenue each firm spends on R&D, raised by the subsidy through its net price."""
    return _by_tech(model.firms.tech, *_rd_rates(model))


@numba.njit(cache=True, error_model="numpy")
def _by_tech(tech: np.ndarray, tech_rate: float, other_rate: float) -> np.ndarray:
    """`np.where(tech, tech_rate, other_rate)` at a fraction of numpy's cost on a few thousand firms."""
    rates = np.empty(len(tech))
    for i in range(len(tech)):
        rates[i] = tech_rate if tech[i] else other_rate
    return rates


def _rd_rates(model: IndustryModel) -> tuple[float, float]:
    """R&D intensity of tech enterprises and of other firms, after the subsidy's price effect."""
    settings = model.params.innovation
    net_price = 1 - model.params.levers.innovation.rd_subsidy_rate
    response = net_price ** (-settings.rd_price_elasticity)
    return settings.rd_intensity_tech * response, settings.rd_intensity_other * response


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
    cert_draws, lapse_draws = rng.random((2, firms.n))  # the same draws as two calls, in one
    award = 1 + settings.award_response * levers.certification_award_wan / AWARD_RESPONSE_UNIT_WAN
    successes, certified, first_time = _innovate(
        firms.alive,
        firms.stage,
        int(Stage.BUILDING),
        *_rd_rates(model),
        1 + settings.boost_per_platform * levers.platforms,
        firms.tier,
        np.asarray(model.params.labour.required_skilled_share, float),
        settings.success_scale,
        draws,
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


@numba.njit(cache=True, error_model="numpy")
def _innovate(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    tech_rate: float,
    other_rate: float,
    platforms: float,
    tier: np.ndarray,
    required_skilled_share: np.ndarray,
    success_scale: float,
    draws: np.ndarray,
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
    """Producing firms' (live, not building) R&D fails with chance exp(-scale x effort), the
    effort being its R&D intensity x the platforms' boost x the share of it its skilled
    staff can carry out (its skilled share over the share its tier needs, at most 1); a
    success is a productivity step. Those not certified become tech enterprises with a
    propensity that rises with their skilled share, a success and the award; certified
    ones lapse at the lapse rate. Returns the successes, the certifications and the first
    certifications (the award is paid once).

    Nearly every firm has the skilled staff its tier needs, so the chances of failure of
    the fully staffed (tech enterprises and the others) are computed once."""
    top = len(required_skilled_share) - 1
    tech_failure = math.exp(_log_failure(tech_rate, platforms, 1.0, success_scale))
    other_failure = math.exp(_log_failure(other_rate, platforms, 1.0, success_scale))
    successes = certified = first_time = 0
    for i in range(len(alive)):
        if not (alive[i] and stage[i] != building):
            continue
        skilled_share = skilled[i] / maximum(workers[i], 1e-9)
        needed = required_skilled_share[min(tier[i], top)]
        # A tier that needs no skilled staff is fully staffed, with none too (not 0/0).
        staffing = minimum(skilled_share / needed, 1.0) if needed > 0 else 1.0
        if staffing == 1.0:
            failure = tech_failure if tech[i] else other_failure
        else:
            rate = tech_rate if tech[i] else other_rate
            failure = math.exp(_log_failure(rate, platforms, staffing, success_scale))
        success = draws[i] < 1 - failure
        if success:
            productivity[i] *= 1 + steps[i]
            successes += 1
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


@numba.njit(cache=True, error_model="numpy", inline="always")
def _log_failure(rate: float, platforms: float, staffing: float, success_scale: float) -> float:
    """Log of the chance that R&D at `rate` fails, in one place for both kinds of entry."""
    return -success_scale * (rate * platforms * staffing)
