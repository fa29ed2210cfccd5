"""The futures a search evaluates its candidates on, and the fresh ones that verify its frontier.

A future is one row of sampled uncertainties and effect sizes plus one model seed. Every
candidate runs on the same search futures (common random numbers), so two candidates
differ only by their levers. The frontier is then re-run on verification futures drawn
from another branch of the root seed, with no seed in common with the search futures:
the frontier was chosen for doing well on the search futures, so its numbers there are
biased upward (the optimiser's curse), and only fresh futures measure it fairly.

Seed derivation: `SeedSequence(root_seed).spawn(3)` gives the search, verification and
optimiser branches; a futures branch's `spawn(2)` gives the Latin-hypercube sample's seed
and the runs' branch, whose children seed future i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.experiments.sampled_parameters import SampledParameter
from sim.experiments.sampling import sample_matrix

SEARCH, VERIFICATION, OPTIMISER = range(3)  # branches of the root seed
SEED_DERIVATION = (
    "SeedSequence(root_seed).spawn(3) = search, verification, optimiser branches; a futures branch's "
    "spawn(2) = [LHS sample seed, runs branch]; runs branch .spawn(k)[i].generate_state(1)[0] seeds future i "
    "(verification skips any seed the search futures use); the optimiser's proposal for candidate n is "
    "seeded by SeedSequence(root_seed, spawn_key=(2, n)).generate_state(1)[0]"
)


@dataclass(frozen=True)
class Futures:
    """Sampled values (row = future, column = parameter) and one model seed per future."""

    samples: np.ndarray
    seeds: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.seeds)


def _branch(root_seed: int, index: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(root_seed, spawn_key=(index,))


def _futures(
    branch: np.random.SeedSequence, parameters: list[SampledParameter], count: int, avoid: frozenset[int]
) -> Futures:
    sampling, runs = branch.spawn(2)
    seeds: list[int] = []
    while len(seeds) < count:  # a 32-bit collision with `avoid` is rare; skipping it keeps them disjoint
        for child in runs.spawn(count - len(seeds)):
            seed = int(child.generate_state(1)[0])
            if seed not in avoid and seed not in seeds:
                seeds.append(seed)
    samples = sample_matrix("lhs", parameters, count, int(sampling.generate_state(1)[0]))
    return Futures(samples, tuple(seeds))


def search_futures(root_seed: int, parameters: list[SampledParameter], count: int) -> Futures:
    """The futures every candidate (and every reference scenario) is evaluated on."""
    return _futures(_branch(root_seed, SEARCH), parameters, count, frozenset())


def verification_futures(
    root_seed: int, parameters: list[SampledParameter], count: int, search: Futures
) -> Futures:
    """Fresh futures for the frontier: another sample and seeds disjoint from the search's."""
    return _futures(_branch(root_seed, VERIFICATION), parameters, count, frozenset(search.seeds))


def proposal_seed(root_seed: int, candidate: int) -> int:
    """The optimiser's seed for proposing candidate `candidate`: the same whether or not the
    search was interrupted before it (the optimiser's own generator is not saved)."""
    return int(np.random.SeedSequence(root_seed, spawn_key=(OPTIMISER, candidate)).generate_state(1)[0])
