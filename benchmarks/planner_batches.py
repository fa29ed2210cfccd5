"""The planners' two workloads through their own runners, on a started pool: runs they complete.

- `calibration_batch`: 2021-24 hindcasts as the posterior calibration evaluates them,
  through its sampler (`sim/credibility/abc_sampler.py`, batches of candidates on the
  executor) with pyabc's own simulate function for a generation drawn from the prior
  (later generations propose from the last one instead: the same runs, a cheaper draw).
- `search_batch`: a "what it takes" search (`sim/search/`) of one generation, its
  references and the verification of its frontier, into a results folder.
"""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

import pyabc
from pyabc.inference_util import create_simulate_from_prior_function

from benchmarks.search import DEFAULT_SEARCH, same_runs, small_search
from sim.credibility.abc_sampler import SeededExecutorSampler
from sim.credibility.free_parameters import FREE_PARAMETERS
from sim.credibility.hindcast import load_hindcast_scenario
from sim.credibility.history import load_history
from sim.credibility.moments import MOMENTS
from sim.credibility.posterior import HindcastSimulator, StandardisedDistance, prior
from sim.inputs.base_year import load_scenario_base_year
from sim.search.run_search import run_search
from sim.search.search_file import load_search

__all__ = ["DEFAULT_SEARCH", "calibration_batch", "search_batch"]


def calibration_batch(executor: Executor, workers: int, hindcasts: int, root_seed: int = 1) -> int:
    """Evaluate `hindcasts` candidates from the prior, as a calibration's first sample does."""
    scenario = load_hindcast_scenario()
    simulator = HindcastSimulator(
        scenario, load_scenario_base_year(scenario), load_history(), FREE_PARAMETERS, MOMENTS
    )
    sampler = SeededExecutorSampler(executor, 2 * workers, root_seed)
    unit_scales = {m.name: 1.0 for m in MOMENTS}  # the distance is not used on a prior sample
    abc = pyabc.ABCSMC(simulator, prior(FREE_PARAMETERS), StandardisedDistance(unit_scales), sampler=sampler)
    simulate_one = create_simulate_from_prior_function(
        model_prior=abc.model_prior,
        parameter_priors=abc.parameter_priors,
        models=abc.models,
        summary_statistics=abc.summary_statistics,
    )
    sampler.sample_until_n_accepted(hindcasts, simulate_one, -1, all_accepted=True)
    return int(sampler.nr_evaluations_)


def search_batch(executor: Executor, workers: int, candidates: int, futures: int, folder: Path) -> int:
    """Run a search of `candidates` candidates (one generation) on `futures` futures into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    search = load_search(small_search(folder, candidates, futures, population=candidates))
    manifest = run_search(search, folder / "results", executor, workers, show_progress=False)
    return sum(len(runs) for runs, _ in same_runs(search, folder / "results", list(manifest["frontier"])))
