"""The ABC sampler: populations depend on the seed alone, not on how many workers compute them."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pyabc
import pytest

from sim.credibility.abc_sampler import SeededExecutorSampler
from sim.experiments.executors import local_executor
from tests.credibility.shuffled_executor import ShuffledExecutor


def toy_model(parameter):
    """y ~ N(a, 0.1), drawn from numpy's global generator as a pyabc model does."""
    return {"y": float(parameter["a"] + np.random.normal(0, 0.1))}  # noqa: NPY002


def fit_toy(tmp_path: Path, executor: Executor, in_flight: int, batch_size: int, generations: int = 3):
    sampler = SeededExecutorSampler(executor, in_flight, root_seed=7, batch_size=batch_size)
    abc = pyabc.ABCSMC(
        toy_model,
        pyabc.Distribution(a=pyabc.RV("uniform", 0, 1)),
        pyabc.PNormDistance(p=2),
        population_size=30,
        sampler=sampler,
    )
    abc.new(f"sqlite:///{tmp_path / f'toy_{in_flight}_{batch_size}.db'}", {"y": 0.3})
    history = abc.run(max_nr_populations=generations)
    frame, weights = history.get_distribution()
    return frame["a"].to_numpy(), weights, history.total_nr_simulations


def test_the_population_is_the_same_whatever_the_batching_and_the_order_results_come_back(tmp_path):
    with ShuffledExecutor(1) as executor:
        one = fit_toy(tmp_path, executor, in_flight=1, batch_size=1)
    with ShuffledExecutor(2) as executor:
        many = fit_toy(tmp_path, executor, in_flight=6, batch_size=5)
    np.testing.assert_array_equal(one[0], many[0])
    np.testing.assert_array_equal(one[1], many[1])
    assert one[2] == many[2]  # the same number of runs counted, though more were computed
    assert abs(np.sum(one[0] * one[1]) - 0.3) < 0.1  # and it is a posterior near the data


def test_generations_stop_at_the_run_budget_and_say_so(tmp_path):
    with ShuffledExecutor(3) as executor:
        sampler = SeededExecutorSampler(executor, 2, root_seed=7)
        sample = sampler.sample_until_n_accepted(30, never_accepted, 0, max_eval=10)
    assert not sample.ok and sampler.nr_evaluations_ == 10


def never_accepted() -> pyabc.population.Particle:
    return pyabc.population.Particle(
        m=0, parameter=pyabc.Parameter(a=0.0), weight=1.0, sum_stat={}, distance=1.0, accepted=False
    )


@pytest.mark.slow
def test_two_worker_processes_give_the_population_of_one(tmp_path):
    """The project's own pool (spawned workers), as `python -m sim calibrate` uses it."""
    with local_executor(1) as one_worker:
        one = fit_toy(tmp_path, one_worker, in_flight=1, batch_size=4)
    with local_executor(2) as two_workers:
        two = fit_toy(tmp_path, two_workers, in_flight=4, batch_size=4)
    np.testing.assert_array_equal(one[0], two[0])
    assert one[2] == two[2]
