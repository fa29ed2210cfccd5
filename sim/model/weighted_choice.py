"""Draws of indices with given probabilities, as numpy's `Generator.choice` makes them.

`rng.choice(len(p), size=n, p=p)` checks `p` (non-negative, summing to one) at every call,
which costs about ten times the draws of a quarter's few dozen newcomers. The model's
probabilities are its own (cluster shares), so `weighted_choice` takes choice's sampling
steps only: the same draws, and the generator moved on by as many
(`tests/model/test_weighted_choice.py` checks both against numpy).
"""

from __future__ import annotations

import numpy as np


def weighted_choice(rng: np.random.Generator, p: np.ndarray, size: int) -> np.ndarray:
    """`rng.choice(len(p), size=size, p=p)`: the cdf of `p`, one uniform a draw, the first
    cdf entry above it."""
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return cdf.searchsorted(rng.random(size), side="right")
