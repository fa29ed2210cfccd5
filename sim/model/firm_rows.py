"""Derived firm columns for one row, for the phases' compiled loops: the same arithmetic, in
the same order, as the column of `FirmArrays` they stand for."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, error_model="numpy", inline="always")
def annual_revenue(revenue_4q: np.ndarray, i: int) -> float:
    """Row i of `FirmArrays.annual_revenue`: the last four quarters' revenue."""
    return ((revenue_4q[i, 0] + revenue_4q[i, 1]) + revenue_4q[i, 2]) + revenue_4q[i, 3]
