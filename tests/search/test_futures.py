"""Futures: every candidate on the same ones; the verification's drawn apart, with no seed in common."""

from __future__ import annotations

import numpy as np

from sim.search.futures import proposal_seed, search_futures, verification_futures
from sim.search.search_file import load_search
from tests.conftest import ROOT


def test_verification_seeds_and_samples_are_disjoint_from_the_search_futures():
    search = load_search(ROOT / "experiments" / "what_it_takes.toml")
    assert not set(search.futures.seeds) & set(search.verification.seeds)
    assert len(set(search.verification.seeds)) == len(search.verification)
    searched = {tuple(row) for row in search.futures.samples}
    assert not any(tuple(row) in searched for row in search.verification.samples)


def test_futures_and_proposal_seeds_derive_from_the_root_seed_alone():
    search = load_search(ROOT / "experiments" / "search_smoke.toml")
    parameters = list(search.parameters)
    again = search_futures(search.root_seed, parameters, len(search.futures))
    assert again.seeds == search.futures.seeds
    np.testing.assert_array_equal(again.samples, search.futures.samples)
    other = search_futures(search.root_seed + 1, parameters, len(search.futures))
    assert not set(other.seeds) & set(search.futures.seeds)
    assert proposal_seed(1, 5) == proposal_seed(1, 5) != proposal_seed(1, 6)


def test_a_verification_seed_that_collides_with_a_search_seed_is_skipped():
    search = load_search(ROOT / "experiments" / "search_smoke.toml")
    parameters = list(search.parameters)
    fresh = verification_futures(search.root_seed, parameters, 4, search.futures)
    # Pretend the search used the verification's first seed: it must be replaced, not reused.
    planted = search.futures.__class__(search.futures.samples, (fresh.seeds[0], *search.futures.seeds[1:]))
    avoided = verification_futures(search.root_seed, parameters, 4, planted)
    assert fresh.seeds[0] not in avoided.seeds and avoided.seeds[:3] == fresh.seeds[1:]
