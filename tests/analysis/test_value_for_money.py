"""Gains per 亿元 of extra net cost: the bootstrap interval on synthetic paired samples
whose answer is known, and how plans that pay for themselves are ranked."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.value_for_money import (
    COSTS,
    GAINS_AND_PAYS,
    PAYS_WITHOUT_GAIN,
    mean_interval,
    measure_rows,
    rank,
    ratio_interval,
)


def test_the_ratio_interval_agrees_with_the_delta_method_on_a_large_sample():
    """Independent normal gains and costs: the delta method's 95% interval for the ratio of
    the means, (1.96 / mean cost) x sqrt((var gain + ratio^2 var cost) / n), is the
    large-sample answer the bootstrap must reproduce."""
    rng = np.random.default_rng(1)
    n = 2000
    gain, cost = rng.normal(3.0, 2.0, n), rng.normal(6.0, 3.0, n)
    ratio = gain.mean() / cost.mean()
    half = 1.96 / cost.mean() * math.sqrt((gain.var(ddof=1) + ratio**2 * cost.var(ddof=1)) / n)
    interval = ratio_interval(gain, cost)
    assert interval.value == pytest.approx(ratio)
    assert interval.low == pytest.approx(ratio - half, abs=0.15 * half)
    assert interval.high == pytest.approx(ratio + half, abs=0.15 * half)


def test_pairs_are_resampled_together():
    """Gain proportional to cost in every pair: the ratio is the same in every resample,
    so the interval is a point; resampling gains and costs apart would widen it."""
    cost = np.linspace(1.0, 5.0, 50)
    interval = ratio_interval(2.0 * cost, cost)
    assert interval.value == interval.low == interval.high == pytest.approx(2.0)


def test_the_same_sample_gives_the_same_interval():
    rng = np.random.default_rng(2)
    gain, cost = rng.normal(1.0, 1.0, 100), rng.normal(2.0, 0.5, 100)
    assert ratio_interval(gain, cost) == ratio_interval(gain, cost)
    assert mean_interval(cost) == mean_interval(cost)


def test_no_ratio_when_the_plan_costs_nothing_extra_and_no_bounds_when_it_might():
    gain = np.ones(40)
    assert all(math.isnan(v) for v in vars(ratio_interval(gain, -np.ones(40))).values())
    unbounded = ratio_interval(gain, np.ones(40), bounded=False)
    assert unbounded.value == 1.0 and math.isnan(unbounded.low) and math.isnan(unbounded.high)


def test_a_cost_whose_interval_reaches_zero_leaves_the_ratio_unbounded():
    rng = np.random.default_rng(3)
    cost = rng.normal(0.0, 1.0, 60)
    cost += 0.05 - cost.mean()  # mean +0.05, its interval well across zero
    (row,) = measure_rows("plan", cost, {"output_2030": (np.full(60, 1.0), 1.0)})
    assert row["standing"] == COSTS and row["unbounded"]
    assert row["per_yi"] == pytest.approx(1.0 / 0.05)
    assert math.isnan(row["per_yi_low"]) and math.isnan(row["per_yi_high"])


def test_plans_that_pay_for_themselves_rank_by_whether_they_gain():
    pairs = 30
    rows = []
    for scenario, extra_cost, gain in (
        ("cheap_and_weak", 1.0, 0.5),  # 0.5 per 亿元
        ("dear_and_strong", 10.0, 20.0),  # 2 per 亿元
        ("self_financing_gain", -2.0, 1.0),
        ("self_financing_loss", -1.0, -3.0),
        ("costly_loss", 5.0, -1.0),
    ):
        rows += measure_rows(
            scenario, np.full(pairs, extra_cost), {"output_2030": (np.full(pairs, gain), 1.0)}
        )
    ranked = rank(pd.DataFrame(rows))
    assert ranked["scenario"].tolist() == [
        "self_financing_gain",
        "dear_and_strong",
        "cheap_and_weak",
        "costly_loss",
        "self_financing_loss",
    ]
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5]
    standings = dict(zip(ranked["scenario"], ranked["standing"], strict=True))
    assert standings["self_financing_gain"] == GAINS_AND_PAYS
    assert standings["self_financing_loss"] == PAYS_WITHOUT_GAIN
    assert math.isnan(ranked.set_index("scenario").loc["self_financing_gain", "per_yi"])
