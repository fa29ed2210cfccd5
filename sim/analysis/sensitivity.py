"""Global sensitivity of one outcome to the sampled parameters (SALib), as plain tables.

Which uncertainties (and sampled levers) drive whether the plan's targets are met tells
planners what to watch and what to learn more about. Sobol indices (from a Saltelli
sample) split the outcome's variance: S1 is a parameter's share alone, ST its share
including interactions. Morris screening (elementary effects) ranks parameters more
cheaply: mu* is the mean size of a parameter's effect over the unit range, sigma its
spread (non-linearity or interaction).

Rows of the outcome must follow the SALib sample matrix, whose columns are the problem's
parameters in order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from SALib.analyze import morris, sobol


def _check_varies(y: np.ndarray) -> None:
    if np.ptp(y) == 0:
        raise ValueError("the outcome is the same in every run: no parameter moves it")


def sobol_indices(problem: dict[str, Any], y: ArrayLike, seed: int) -> pd.DataFrame:
    """First-order and total Sobol indices with bootstrap 95% half-widths, largest ST first."""
    y = np.asarray(y, dtype=float)
    _check_varies(y)
    result = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
    table = pd.DataFrame(
        {
            "parameter": problem["names"],
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )
    return table.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)


def morris_indices(
    problem: dict[str, Any], x: ArrayLike, y: ArrayLike, num_levels: int, seed: int
) -> pd.DataFrame:
    """Morris mu* (with its bootstrap 95% half-width) and sigma, largest mu* first."""
    y = np.asarray(y, dtype=float)
    _check_varies(y)
    result = morris.analyze(problem, np.asarray(x, dtype=float), y, num_levels=num_levels, seed=seed)
    table = pd.DataFrame(
        {
            "parameter": problem["names"],
            "mu_star": np.asarray(result["mu_star"], dtype=float),
            "mu_star_conf": np.asarray(result["mu_star_conf"], dtype=float),
            "sigma": np.asarray(result["sigma"], dtype=float),
        }
    )
    return table.sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)
