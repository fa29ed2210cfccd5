"""The leads' clusters are drawn as `Generator.choice` draws them, without its checks of p."""

import numpy as np
import pytest

from sim.model.mechanisms.environment import _choose


@pytest.mark.parametrize("seed", range(50))
def test_choose_draws_what_choice_draws(seed):
    rng = np.random.default_rng(seed)
    weights = np.sqrt(rng.random(int(rng.integers(1, 40))))
    p = weights / weights.sum()
    count = int(rng.integers(0, 30))
    ours, numpys = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    chosen = _choose(ours, p, count)
    expected = numpys.choice(len(p), size=count, p=p)
    assert chosen.dtype == expected.dtype
    np.testing.assert_array_equal(chosen, expected)
    assert ours.random() == numpys.random()  # the stream moved on by as many draws
