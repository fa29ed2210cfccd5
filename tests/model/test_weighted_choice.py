"""`weighted_choice` draws what numpy's `Generator.choice` draws, and leaves the generator
where choice leaves it (guards the equivalence on a numpy upgrade)."""

import numpy as np
import pytest

from sim.model.weighted_choice import weighted_choice


@pytest.mark.parametrize("seed", range(50))
def test_weighted_choice_draws_what_choice_draws(seed: int) -> None:
    shapes = np.random.default_rng(seed)
    weights = np.sqrt(shapes.random(int(shapes.integers(1, 40))))
    p = weights / weights.sum()
    size = int(shapes.integers(0, 50))
    ours, numpys = np.random.default_rng(seed + 100), np.random.default_rng(seed + 100)
    drawn = weighted_choice(ours, p, size)
    expected = numpys.choice(len(p), size=size, p=p)
    assert drawn.dtype == expected.dtype
    np.testing.assert_array_equal(drawn, expected)
    assert ours.bit_generator.state == numpys.bit_generator.state
