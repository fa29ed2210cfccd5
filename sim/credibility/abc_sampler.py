"""A pyabc sampler on any `concurrent.futures` executor whose results ignore the worker count.

pyabc's own parallel samplers reseed each worker from the clock and keep whichever
particles finish first, so two fits of the same problem differ. Here candidate j of
generation t draws from its own seed (root seed, t, j), whoever computes it, and a
generation keeps the first n accepted candidates in index order: the population, the
number of evaluations it took and so every later generation are the same on one worker,
on two, or on a Dask cluster. Candidates past the n-th accepted one that were already
running are discarded, not counted.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait

import cloudpickle
import numpy as np
from pyabc.population import Particle, Sample
from pyabc.sampler import Sampler


def candidate_seed(root_seed: int, generation: int, candidate: int) -> np.ndarray:
    """The seed of one candidate; generation -1 is pyabc's calibration sample from the prior."""
    return np.random.SeedSequence([root_seed, generation + 1, candidate]).generate_state(4)


def evaluate_candidates(
    simulate_one: bytes, root_seed: int, generation: int, candidates: list[int]
) -> list[tuple[int, Particle]]:
    """Worker side: draw and evaluate each candidate from its own seed.

    pyabc draws proposals and the model its noise from numpy's global generator, so that
    is what is seeded, once per candidate.
    """
    function = cloudpickle.loads(simulate_one)
    evaluated = []
    for candidate in candidates:
        seed = candidate_seed(root_seed, generation, candidate)
        np.random.seed(seed)  # noqa: NPY002 (pyabc and the model draw from the global generator)
        random.seed(int(seed[0]))
        evaluated.append((candidate, function()))
    return evaluated


class SeededExecutorSampler(Sampler):
    """Evaluate candidates in batches on `executor`, at most `in_flight` batches at a time."""

    def __init__(
        self,
        executor: Executor,
        in_flight: int,
        root_seed: int,
        batch_size: int = 4,
        on_generation: Callable[[int, int, int], None] | None = None,
    ):
        super().__init__()
        self.executor = executor
        self.in_flight = max(1, in_flight)
        self.root_seed = root_seed
        self.batch_size = batch_size
        self.on_generation = on_generation  # (generation, runs it kept, accepted) when one is done

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable,
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: object = None,
    ) -> Sample:
        payload = cloudpickle.dumps(simulate_one)
        limit = max_eval if np.isfinite(max_eval) else np.iinfo(np.int64).max
        results: dict[int, Particle] = {}
        running: dict[Future, int] = {}
        submitted = 0
        prefix = 0  # candidates 0..prefix-1 are evaluated
        accepted = 0

        def submit() -> None:
            nonlocal submitted
            if submitted >= limit:
                return
            candidates = list(range(submitted, int(min(submitted + self.batch_size, limit))))
            future = self.executor.submit(evaluate_candidates, payload, self.root_seed, t, candidates)
            running[future] = candidates[0]
            submitted += len(candidates)

        try:
            for _ in range(self.in_flight):
                submit()
            while running and accepted < n:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    del running[future]
                    results.update(future.result())
                while prefix in results and accepted < n:
                    accepted += results[prefix].accepted
                    prefix += 1
                while accepted < n and len(running) < self.in_flight and submitted < limit:
                    submit()
        finally:
            for future in running:
                future.cancel()
        sample = self._create_empty_sample()
        for candidate in range(prefix):
            sample.append(results[candidate])
        self.nr_evaluations_ = prefix
        if accepted < n:
            sample.ok = False
        if self.on_generation is not None:
            self.on_generation(t, prefix, accepted)
        return sample
