"""The births' cluster draw takes numpy's `Generator.choice` steps: the same draws, the same state after."""

import numpy as np
import pytest

from sim.model.mechanisms.attraction import _choice


@pytest.mark.parametrize("seed", range(20))
def test_choice_draws_as_numpy_does(seed: int) -> None:
    shapes = np.random.default_rng(seed)
    p = shapes.random(int(shapes.integers(2, 16)))
    p /= p.sum()
    size = int(shapes.integers(0, 50))
    ours, numpys = np.random.default_rng(seed + 100), np.random.default_rng(seed + 100)
    drawn = _choice(ours, p, size)
    expected = numpys.choice(len(p), size=size, p=p)
    assert drawn.dtype == expected.dtype
    np.testing.assert_array_equal(drawn, expected)
    assert ours.bit_generator.state == numpys.bit_generator.state
