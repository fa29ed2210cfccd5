"""Speed work must not change results: fixed-seed runs equal their stored golden files."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.model.golden_run import GOLDEN_RUNS, golden_series, read_golden


def assert_same_series(current: pd.DataFrame, stored: pd.DataFrame) -> None:
    assert list(current.columns) == list(stored.columns), "indicators changed: regenerate the golden files"
    pd.testing.assert_frame_equal(current, stored, check_dtype=False, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", list(GOLDEN_RUNS))
def test_fixed_seed_run_equals_the_golden_file(name):
    assert_same_series(golden_series(name), read_golden(name))
