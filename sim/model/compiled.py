"""Building blocks of the phases' compiled loops (numba), each giving numpy's numbers to the bit.

The loops replace array expressions only where they compute the same numbers: the same
operations in the same order. These are the pieces where numpy's behaviour is not the
obvious loop: `np.minimum` and `np.maximum` pass a NaN on, and `values.sum()` adds in
pairs (blocks of eight, split in halves above 128 values), where a running total would
round differently.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, error_model="numpy", inline="always")
def minimum(a: float, b: float) -> float:
    """np.minimum of two numbers (a NaN wins)."""
    return a if a <= b or a != a else b


@numba.njit(cache=True, error_model="numpy", inline="always")
def maximum(a: float, b: float) -> float:
    """np.maximum of two numbers (a NaN wins)."""
    return a if a >= b or a != a else b


@numba.njit(cache=True, error_model="numpy")
def _block_sum(values: np.ndarray, start: int, count: int) -> float:
    """numpy's sum of at most 128 values: eight running totals, then the rest one by one."""
    if count < 8:
        total = 0.0
        for i in range(start, start + count):
            total += values[i]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    i = 8
    whole = count - count % 8
    while i < whole:
        at = start + i
        r0 += values[at]
        r1 += values[at + 1]
        r2 += values[at + 2]
        r3 += values[at + 3]
        r4 += values[at + 4]
        r5 += values[at + 5]
        r6 += values[at + 6]
        r7 += values[at + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < count:
        total += values[start + i]
        i += 1
    return total


@numba.njit(cache=True, error_model="numpy")
def array_sum(values: np.ndarray, count: int) -> float:
    """`values[:count].sum()` as numpy computes it for a contiguous float64 array.

    numpy halves a longer run (the first half a multiple of eight) and adds the halves'
    sums; the halving is unrolled here with a stack (numba caches no recursive function).
    """
    if count <= 128:
        return 0.0 + _block_sum(values, 0, count)
    depth = 64
    starts = np.empty(depth, np.int64)
    counts = np.empty(depth, np.int64)
    stage = np.zeros(depth, np.int64)  # 0: halves not summed, 1: first half summed, 2: both
    first = np.empty(depth)
    top = 0
    starts[0], counts[0] = 0, count
    result = 0.0
    while top >= 0:
        size = counts[top]
        if size <= 128 or stage[top] == 2:
            value = _block_sum(values, starts[top], size) if size <= 128 else first[top] + result
            top -= 1
            result = value  # handed to the parent: its first half's sum, or its second's
            if top >= 0 and stage[top] == 1:
                first[top] = value
            continue
        half = size // 2
        half -= half % 8
        if stage[top] == 0:
            stage[top] = 1
            child_start, child_count = starts[top], half
        else:
            stage[top] = 2
            child_start, child_count = starts[top] + half, size - half
        top += 1
        starts[top], counts[top], stage[top] = child_start, child_count, 0
    return 0.0 + result
