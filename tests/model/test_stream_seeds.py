"""The run's table of stream seeds seeds every generator as numpy's SeedSequence would."""

import numpy as np
import pytest

from sim.model.stream_seeds import PresetSeed, StreamSeeds, stream_states


@pytest.mark.parametrize("entropy", [0, 1, 7, 2**32 - 1, 2**32, 2**63 - 1, 3 * 2**100 + 5, 2**200 + 11])
def test_states_are_numpys(entropy):
    states = stream_states(entropy, mechanisms=14, steps=40)
    for k in range(14):
        for step in range(40):
            expected = np.random.SeedSequence(entropy, spawn_key=(k, step)).generate_state(4, np.uint64)
            np.testing.assert_array_equal(states[k, step], expected)


def test_many_run_seeds_give_numpys_generators():
    entropies = np.random.default_rng(3).integers(2**63, size=200)
    for entropy in entropies.tolist():
        seeds = StreamSeeds(entropy, 14)
        k, step = entropy % 14, entropy % 70  # past the first block of steps too
        ours = np.random.Generator(np.random.PCG64(seeds.seed(k, step))).random(5)
        numpys = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(k, step))).random(5)
        np.testing.assert_array_equal(ours, numpys)


def test_a_preset_seed_refuses_what_it_does_not_hold():
    with pytest.raises(ValueError, match="four 64-bit words"):
        PresetSeed(np.zeros(4, np.uint64)).generate_state(8, np.uint32)


def test_a_negative_seed_is_refused_as_numpy_refuses_it():
    with pytest.raises(ValueError, match="non-negative"):
        stream_states(-1, mechanisms=2, steps=2)
