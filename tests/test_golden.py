"""Speed work must not change results: a fixed-seed run equals its stored golden file."""

from __future__ import annotations

import pandas as pd

from .golden_run import GOLDEN, golden_series


def test_fixed_seed_run_equals_the_golden_file():
    stored = pd.read_csv(GOLDEN)
    current = golden_series()
    assert list(current.columns) == list(stored.columns), "indicators changed: regenerate the golden file"
    pd.testing.assert_frame_equal(current, stored, check_dtype=False, rtol=1e-9, atol=1e-12)
