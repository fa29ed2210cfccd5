"""Confidence intervals for the probability of meeting a target, and for the gain between scenarios.

A batch experiment estimates P(target met) as the share of runs that met it. The Wilson score
interval is used because the shares planners look at are often near 0 or 1, where the usual
normal (Wald) interval collapses to a point or leaves [0, 1].

Scenarios are compared on paired runs: run i of every scenario has the same sampled
parameters and seed (common random numbers), so the two 0/1 outcomes of a pair are
correlated. Treating them as independent samples would overstate the uncertainty of the
difference; Newcombe's method 10 uses the pairing.

Newcombe, R. G. (1998). Improved confidence intervals for the difference between binomial
proportions based on paired data. Statistics in Medicine 17, 2635-2650.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion: the p not rejected by the score test."""
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1, not {successes}/{trials}")
    z = _z(confidence)
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2.0 * trials)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / trials + z * z / (4.0 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else centre - half
    high = 1.0 if successes == trials else centre + half
    return low, high


def paired_difference_from_counts(
    both: int, first_only: int, second_only: int, neither: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """P(first) - P(second) from a paired 2x2 table, with Newcombe's (1998) method 10 interval.

    The counts are Newcombe's e, f, g, h: pairs where both, only the first, only the second,
    or neither succeeded. The Wilson intervals of the two marginal shares are combined
    ("square and add") with the correlation between them; the correlation is shrunk
    towards 0 by n/2 when positive, as the method prescribes.
    """
    e, f, g, h = (int(count) for count in (both, first_only, second_only, neither))
    n = e + f + g + h
    if n < 1 or min(e, f, g, h) < 0:
        raise ValueError(f"need non-negative counts and at least one pair, not {(e, f, g, h)}")
    p1, p2 = (e + f) / n, (e + g) / n
    low1, high1 = wilson_interval(e + f, n, confidence)
    low2, high2 = wilson_interval(e + g, n, confidence)
    margins = (e + f) * (g + h) * (e + g) * (f + h)  # Python ints: no overflow for large n
    cross = e * h - f * g
    if margins == 0:
        phi = 0.0
    elif cross > n / 2:
        phi = (cross - n / 2) / math.sqrt(margins)
    elif cross >= 0:
        phi = 0.0
    else:
        phi = cross / math.sqrt(margins)
    below = math.sqrt((p1 - low1) ** 2 - 2 * phi * (p1 - low1) * (high2 - p2) + (high2 - p2) ** 2)
    above = math.sqrt((high1 - p1) ** 2 - 2 * phi * (high1 - p1) * (p2 - low2) + (p2 - low2) ** 2)
    difference = p1 - p2
    return difference, difference - below, difference + above


def paired_difference(a: ArrayLike, b: ArrayLike, confidence: float = 0.95) -> tuple[float, float, float]:
    """P(a) - P(b) with its interval, where a[i] and b[i] are the outcomes of one pair of runs."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"need two outcome vectors of the same length, not shapes {a.shape} and {b.shape}")
    return paired_difference_from_counts(
        int(np.sum(a & b)), int(np.sum(a & ~b)), int(np.sum(~a & b)), int(np.sum(~a & ~b)), confidence
    )
