"""The adoption rule shared by digital upgrades and green retrofits.

Bounded rationality: firms adopt more often the more the discounted benefit exceeds the
cost, never with certainty in one quarter.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim.model.compiled import maximum


@numba.njit(cache=True, error_model="numpy", inline="always")
def adoption_chance(benefit: float, cost: float, sharpness: float, base_rate: float, nudge: float) -> float:
    """Quarterly chance to adopt: a logistic in the benefit-cost ratio, sharpness x (ratio - 1)
    shifted by `nudge` (peer effects, mandates), capped by the base rate.

    Never above `base_rate`: digital upgrades and retrofits rely on it, weighing only the
    firms whose draw falls below the base rate."""
    ratio = benefit / maximum(cost, 1e-12)
    return base_rate / (1.0 + math.exp(-(sharpness * (ratio - 1.0) + nudge)))


def adoption_probability(
    benefit: np.ndarray, cost: np.ndarray, sharpness: float, base_rate: float, nudge: np.ndarray | float = 0.0
) -> np.ndarray:
    """Quarterly chance to adopt: a logistic in the benefit-cost ratio, capped by a base rate."""
    nudges = np.broadcast_to(np.asarray(nudge, float), np.shape(benefit))
    return _chances(np.asarray(benefit, float), np.asarray(cost, float), sharpness, base_rate, nudges)


@numba.njit(cache=True, error_model="numpy")
def _chances(
    benefit: np.ndarray, cost: np.ndarray, sharpness: float, base_rate: float, nudge: np.ndarray
) -> np.ndarray:
    chance = np.empty(len(benefit))
    for i in range(len(benefit)):
        chance[i] = adoption_chance(benefit[i], cost[i], sharpness, base_rate, nudge[i])
    return chance
