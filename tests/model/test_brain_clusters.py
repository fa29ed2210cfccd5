"""The industry brains' clusters, chosen by a compiled sort: numpy's stable order, ties to the first."""

from __future__ import annotations

import numpy as np

from sim.model.mechanisms.digital import _largest


def test_largest_weights_break_ties_as_numpy_stable_sort():
    weights = np.array([0.2, 0.5, 0.2, 0.5, 0.1, 0.2])
    for count in range(len(weights) + 2):
        expected = np.zeros(len(weights), bool)
        expected[np.argsort(-weights, kind="stable")[:count]] = True
        assert _largest(weights, count).tolist() == expected.tolist()
