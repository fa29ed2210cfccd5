"""What each scenario buys per 亿元 of extra net cost to the district budget, with intervals.

On the paired runs (run i of a scenario and run i of the reference share their sampled
parameters and seed), each pair gives the scenario's extra net cost (gross cost less
revenue, summed over the simulated years) and its gains: target met or not (0/1) in
each target year, and output in the final year. A measure is the ratio of two means over
the pairs: percentage points of P(target) gained per 亿元, or 亿元 of extra final-year
output per 亿元. Its 95% interval is a percentile bootstrap over the pairs
(`scipy.stats.bootstrap`, paired, fixed seed): the pairs are resampled together, so the
interval carries the correlation between what a plan costs and what it gains.

A ratio needs a positive extra net cost. A scenario whose mean extra net cost is zero or
below pays for itself on the budget (its extra revenue covers its spending): it gets no
ratio but its verdict, ranked above every scenario that costs money when it also gains,
below them when it gains nothing. When the interval of the mean extra net cost itself
reaches zero or below, the ratio's interval is unbounded (the cost could be nil): its
bounds are left out and the row says so (`unbounded`), rather than showing a finite range
the data cannot support.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import bootstrap

BOOTSTRAP_SEED = 0  # fixed: the same results folder gives the same intervals
BOOTSTRAP_RESAMPLES = 9999  # scipy's default
CONFIDENCE = 0.95

# A scenario's standing on the budget against the reference, in ranking order.
GAINS_AND_PAYS = "pays_for_itself_and_gains"  # extra net cost <= 0, gain > 0: no ratio needed
COSTS = "costs"  # extra net cost > 0: ranked by its ratio
PAYS_WITHOUT_GAIN = "pays_for_itself_without_gain"  # extra net cost <= 0, gain <= 0
STANDING_ORDER = {GAINS_AND_PAYS: 0, COSTS: 1, PAYS_WITHOUT_GAIN: 2}


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float


def mean_interval(values: np.ndarray) -> Interval:
    """The mean of paired differences with its 95% percentile-bootstrap interval."""
    values = np.asarray(values, float)
    if not len(values):
        return Interval(math.nan, math.nan, math.nan)
    result = bootstrap(
        (values,),
        np.mean,
        vectorized=True,
        method="percentile",
        confidence_level=CONFIDENCE,
        n_resamples=BOOTSTRAP_RESAMPLES,
        random_state=np.random.default_rng(BOOTSTRAP_SEED),
    )
    return Interval(float(values.mean()), *map(float, result.confidence_interval))


def _ratio_of_means(gain: np.ndarray, cost: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(gain, axis=axis) / np.mean(cost, axis=axis)


def ratio_interval(gain: np.ndarray, cost: np.ndarray, bounded: bool = True) -> Interval:
    """mean(gain) / mean(cost) over the pairs with its 95% percentile-bootstrap interval.

    All nan when the mean cost is not positive (no ratio); the bounds nan when the
    interval is not `bounded` (the caller found that the mean cost could be nil).
    """
    gain, cost = np.asarray(gain, float), np.asarray(cost, float)
    if not len(gain) or cost.mean() <= 0:
        return Interval(math.nan, math.nan, math.nan)
    value = float(_ratio_of_means(gain, cost))
    if not bounded:
        return Interval(value, math.nan, math.nan)
    result = bootstrap(
        (gain, cost),
        _ratio_of_means,
        paired=True,
        vectorized=True,
        method="percentile",
        confidence_level=CONFIDENCE,
        n_resamples=BOOTSTRAP_RESAMPLES,
        random_state=np.random.default_rng(BOOTSTRAP_SEED),
    )
    return Interval(value, *map(float, result.confidence_interval))


def standing(extra_cost: float, gain: float) -> str:
    """Where a scenario ranks by its extra net cost and its gain (see STANDING_ORDER)."""
    if extra_cost > 0:
        return COSTS
    return GAINS_AND_PAYS if gain > 0 else PAYS_WITHOUT_GAIN


def measure_rows(
    scenario: str, extra_cost: np.ndarray, gains: dict[str, tuple[np.ndarray, float]]
) -> list[dict[str, object]]:
    """One row per measure for a scenario: its gain, ratio and standing.

    `extra_cost` holds each pair's extra net cost (亿元); `gains` maps a measure's name to
    each pair's gain and the factor it is shown in (100 for percentage points).
    """
    cost = mean_interval(extra_cost)
    rows: list[dict[str, object]] = []
    for measure, (gain, factor) in gains.items():
        ratio = ratio_interval(factor * np.asarray(gain, float), extra_cost, bounded=cost.low > 0)
        mean_gain = factor * float(np.mean(gain)) if len(gain) else math.nan
        rows.append(
            {
                "measure": measure,
                "scenario": scenario,
                "pairs": len(extra_cost),
                "extra_net_cost_yi": cost.value,
                "extra_net_cost_low_yi": cost.low,
                "extra_net_cost_high_yi": cost.high,
                "gain": mean_gain,
                "per_yi": ratio.value,
                "per_yi_low": ratio.low,
                "per_yi_high": ratio.high,
                "unbounded": bool(cost.value > 0 and not cost.low > 0),
                "standing": standing(cost.value, mean_gain),
            }
        )
    return rows


def rank(rows: pd.DataFrame) -> pd.DataFrame:
    """Each measure's scenarios in ranking order, numbered from 1: those that pay for
    themselves and gain first (largest gain first), then those that cost (largest ratio
    first), then those that pay for themselves without gaining (largest gain first)."""
    if rows.empty:
        return rows.assign(rank=pd.Series(dtype=int))
    ranked = []
    for _, group in rows.groupby("measure", sort=False):
        order = group["standing"].map(STANDING_ORDER)
        key = np.where(group["standing"] == COSTS, group["per_yi"], group["gain"])
        group = group.assign(_order=order, _key=np.nan_to_num(key, nan=-math.inf))
        group = group.sort_values(["_order", "_key"], ascending=[True, False], kind="stable")
        ranked.append(group.drop(columns=["_order", "_key"]).assign(rank=range(1, len(group) + 1)))
    return pd.concat(ranked, ignore_index=True)
