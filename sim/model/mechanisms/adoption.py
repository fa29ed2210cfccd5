"""The adoption rule shared by digital upgrades and green retrofits."""

from __future__ import annotations

import numpy as np


def adoption_probability(
    benefit: np.ndarray, cost: np.ndarray, sharpness: float, base_rate: float, nudge: np.ndarray | float = 0.0
) -> np.ndarray:
    """Quarterly chance to adopt: a logistic in the benefit-cost ratio, capped by a base rate.

    Bounded rationality: firms adopt more often the more the discounted benefit exceeds the
    cost, never with certainty in one quarter; `nudge` shifts the logit (peer effects,
    mandates).
    """
    ratio = benefit / np.maximum(cost, 1e-12)
    return base_rate / (1.0 + np.exp(-(sharpness * (ratio - 1.0) + nudge)))
