"""Sampling designs: the matrix of parameter values, one row per replication.

Latin hypercube, scrambled Sobol and plain Monte Carlo fill the unit cube and scale it to
each parameter's range; `saltelli` and `morris` are SALib's own designs for global
sensitivity (their analysis needs exactly their sample). Every design draws from one
seed, so the same experiment always gets the same matrix.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as saltelli_sample
from scipy.stats import qmc

from sim.experiments.sampled_parameters import SampledParameter

Design = Literal["lhs", "sobol", "monte_carlo", "saltelli", "morris"]
DESIGNS: tuple[Design, ...] = ("lhs", "sobol", "monte_carlo", "saltelli", "morris")
SENSITIVITY_DESIGNS: tuple[Design, ...] = ("saltelli", "morris")


def salib_problem(parameters: list[SampledParameter]) -> dict:
    return {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [[p.low, p.high] for p in parameters],
    }


def sample_rows(design: Design, replications: int, parameters: int) -> int:
    """How many runs per scenario a design makes: SALib's designs multiply the base size."""
    if design == "saltelli":
        return replications * (parameters + 2)
    if design == "morris":
        return replications * (parameters + 1)
    return replications


def sample_matrix(
    design: Design,
    parameters: list[SampledParameter],
    replications: int,
    seed: int,
    morris_levels: int = 4,
) -> np.ndarray:
    """Values of every parameter (columns) for every replication (rows).

    For `saltelli`, `replications` is SALib's base size N (rows N*(D+2), first-order and
    total indices); for `morris`, the number of trajectories (rows r*(D+1)).
    """
    problem = salib_problem(parameters)
    if design == "saltelli":
        return saltelli_sample.sample(problem, replications, calc_second_order=False, seed=seed)
    if design == "morris":
        return morris_sample.sample(problem, replications, num_levels=morris_levels, seed=seed)
    dimensions = len(parameters)
    if dimensions == 0:
        return np.empty((replications, 0))
    rng = np.random.default_rng(seed)
    if design == "lhs":
        unit = qmc.LatinHypercube(d=dimensions, rng=rng).random(replications)
    elif design == "sobol":
        unit = qmc.Sobol(d=dimensions, scramble=True, rng=rng).random(replications)
    else:
        unit = rng.random((replications, dimensions))
    # An integer parameter spans half a step beyond each end, so that after rounding its end
    # values are as likely as the others.
    half = np.array([0.5 if p.integer else 0.0 for p in parameters])
    low = np.array([p.low for p in parameters]) - half
    high = np.array([p.high for p in parameters]) + half
    return low + unit * (high - low)
