"""Wilson and Newcombe intervals: published values, edge cases, brute-force checks."""

from __future__ import annotations

import math
from itertools import product
from statistics import NormalDist

import numpy as np
import pytest

from sim.analysis.probability import paired_difference, paired_difference_from_counts, wilson_interval

Z95 = NormalDist().inv_cdf(0.975)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Textbook values for n = 10.
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_published_values(successes, trials, low, high):
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-5)


def test_wilson_single_run_and_exact_bounds():
    assert wilson_interval(1, 1) == pytest.approx((1 / (1 + Z95**2), 1.0))
    assert wilson_interval(0, 1) == pytest.approx((0.0, Z95**2 / (1 + Z95**2)))
    # All or none met: the bound at the observed share is exact, not a rounding of it.
    assert wilson_interval(0, 7)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0


@pytest.mark.parametrize(("successes", "trials"), [(0, 8), (3, 8), (8, 8), (17, 40), (1, 3)])
def test_wilson_inverts_the_score_test(successes, trials):
    """Brute force: the interval is the set of p with |successes - n p| <= z sqrt(n p (1 - p))."""
    grid = np.linspace(0.0, 1.0, 200_001)
    accepted = grid[np.abs(successes - trials * grid) <= Z95 * np.sqrt(trials * grid * (1.0 - grid))]
    assert wilson_interval(successes, trials) == pytest.approx((accepted.min(), accepted.max()), abs=1e-5)


def test_wilson_narrows_with_confidence_and_rejects_nonsense():
    low90, high90 = wilson_interval(3, 8, confidence=0.90)
    low95, high95 = wilson_interval(3, 8)
    assert low95 < low90 < 3 / 8 < high90 < high95
    for bad in ((1, 0), (-1, 5), (6, 5)):
        with pytest.raises(ValueError):
            wilson_interval(*bad)
    with pytest.raises(ValueError):
        wilson_interval(1, 2, confidence=1.0)


@pytest.mark.parametrize(
    ("table", "low", "high"),
    [
        # Newcombe (1998), paired data, Table II examples (a)-(d), method 10.
        ((36, 12, 2, 0), 0.0569, 0.3404),
        ((18, 12, 2, 18), 0.0562, 0.3290),
        ((53, 0, 0, 1), -0.0729, 0.0729),
        ((0, 30, 0, 0), 0.8395, 1.0),
    ],
)
def test_newcombe_worked_examples(table, low, high):
    e, f, g, h = table
    difference, lower, upper = paired_difference_from_counts(*table)
    assert difference == pytest.approx((f - g) / (e + f + g + h))
    assert (lower, upper) == pytest.approx((low, high), abs=5e-5)


def test_paired_difference_counts_the_pairs():
    a = np.array([1, 1, 0, 0, 1, 0, 1, 1], dtype=bool)
    b = np.array([1, 0, 0, 1, 0, 0, 1, 0], dtype=bool)
    # both 2, only a 3, only b 1, neither 2
    assert paired_difference(a, b) == paired_difference_from_counts(2, 3, 1, 2)
    assert paired_difference(a, b)[0] == pytest.approx(a.mean() - b.mean())


def test_paired_difference_edge_cases():
    everything = np.ones(10, dtype=bool)
    nothing = np.zeros(10, dtype=bool)
    assert paired_difference(everything, everything)[0] == 0.0
    assert paired_difference(nothing, nothing)[0] == 0.0
    assert paired_difference(everything, nothing) == pytest.approx(
        (1.0, 1.0 - 0.2775 * math.sqrt(2), 1.0), abs=1e-4
    )
    single = paired_difference([True], [False])
    assert single[0] == 1.0 and -1.0 <= single[1] < 1.0 and single[2] == 1.0
    with pytest.raises(ValueError):
        paired_difference([], [])
    with pytest.raises(ValueError):
        paired_difference([True, False], [True])


def test_paired_interval_is_antisymmetric_and_contains_the_estimate():
    """Every table up to 6 pairs: swapping the scenarios mirrors the interval."""
    for table in product(range(4), repeat=4):
        if sum(table) == 0:
            continue
        e, f, g, h = table
        difference, low, high = paired_difference_from_counts(e, f, g, h)
        mirrored = paired_difference_from_counts(e, g, f, h)
        assert mirrored == pytest.approx((-difference, -high, -low))
        assert -1.0 <= low <= difference <= high <= 1.0


def test_paired_interval_matches_wald_for_many_pairs():
    """With thousands of pairs the score interval approaches d +- z * sd of the paired difference."""
    e, f, g, h = 4000, 1500, 1000, 3500
    n = e + f + g + h
    difference = (f - g) / n
    half = Z95 * math.sqrt(((f + g) / n - difference**2) / n)
    _, low, high = paired_difference_from_counts(e, f, g, h)
    assert (low, high) == pytest.approx((difference - half, difference + half), abs=5e-4)


@pytest.mark.parametrize("cells", [(0.3, 0.2, 0.1, 0.4), (0.6, 0.15, 0.05, 0.2), (0.1, 0.1, 0.1, 0.7)])
def test_paired_interval_exact_coverage_is_near_nominal(cells):
    """Brute force over every table of 30 pairs: the interval covers the true difference ~95% of the time."""
    n = 30
    true_difference = cells[1] - cells[2]
    coverage = 0.0
    for e in range(n + 1):
        for f in range(n + 1 - e):
            for g in range(n + 1 - e - f):
                h = n - e - f - g
                log_p = (
                    math.lgamma(n + 1)
                    - sum(math.lgamma(k + 1) for k in (e, f, g, h))
                    + sum(k * math.log(c) for k, c in zip((e, f, g, h), cells, strict=True))
                )
                _, low, high = paired_difference_from_counts(e, f, g, h)
                if low <= true_difference <= high:
                    coverage += math.exp(log_p)
    assert 0.93 <= coverage <= 0.99
