"""The adoption rule shared by digital upgrades and green retrofits.

Bounded rationality: firms adopt more often the more the discounted benefit exceeds the
cost, never with certainty in one quarter. The rule is split around numpy's exp (numba's
differs in the last bit), so the phases' loops can compute the rest in place.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.model.compiled import maximum


@numba.njit(cache=True, error_model="numpy", inline="always")
def adoption_exponent(benefit: float, cost: float, sharpness: float, nudge: float) -> float:
    """Minus the logit of adopting: sharpness x (benefit-cost ratio - 1), shifted by `nudge`
    (peer effects, mandates)."""
    ratio = benefit / maximum(cost, 1e-12)
    return -(sharpness * (ratio - 1.0) + nudge)


@numba.njit(cache=True, error_model="numpy", inline="always")
def adoption_chance(base_rate: float, exp_exponent: float) -> float:
    """Quarterly chance to adopt: the logistic, capped by the base rate.

    Never above `base_rate` (`exp_exponent` >= 0): digital upgrades and retrofits rely on it,
    weighing only the firms whose draw falls below the base rate."""
    return base_rate / (1.0 + exp_exponent)


def adoption_probability(
    benefit: np.ndarray, cost: np.ndarray, sharpness: float, base_rate: float, nudge: np.ndarray | float = 0.0
) -> np.ndarray:
    """Quarterly chance to adopt: a logistic in the benefit-cost ratio, capped by a base rate."""
    nudges = np.broadcast_to(np.asarray(nudge, float), np.shape(benefit))
    exponent = _exponents(np.asarray(benefit, float), np.asarray(cost, float), sharpness, nudges)
    return _chances(base_rate, np.exp(exponent))


@numba.njit(cache=True, error_model="numpy")
def _exponents(benefit: np.ndarray, cost: np.ndarray, sharpness: float, nudge: np.ndarray) -> np.ndarray:
    exponent = np.empty(len(benefit))
    for i in range(len(benefit)):
        exponent[i] = adoption_exponent(benefit[i], cost[i], sharpness, nudge[i])
    return exponent


@numba.njit(cache=True, error_model="numpy")
def _chances(base_rate: float, exp_exponent: np.ndarray) -> np.ndarray:
    chance = np.empty(len(exp_exponent))
    for i in range(len(exp_exponent)):
        chance[i] = adoption_chance(base_rate, exp_exponent[i])
    return chance
