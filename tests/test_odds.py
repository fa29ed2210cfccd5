"""The in-memory odds (the web page's batch): progress, pairing with an experiment, cancel."""

from __future__ import annotations

import threading

import pytest

from sim.odds import Cancelled, estimate_odds
from sim.probability import wilson_interval


def test_odds_report_every_target_with_its_interval_and_progress(baseline_scenario):
    progress = []
    odds = estimate_odds(baseline_scenario, 6, root_seed=3, on_progress=lambda d, t: progress.append((d, t)))
    assert progress[-1] == (6, 6) and [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert [t.year for t in odds.targets] == [2027, 2030]
    for target in odds.targets:
        outputs = odds.annual.loc[odds.annual["year"] == target.year, "output_yi"]
        assert target.met == int((outputs >= target.threshold_yi).sum()) and target.runs == 6
        assert (target.low, target.high) == pytest.approx(wilson_interval(target.met, 6))
    fan = odds.fan()
    assert list(fan["year"]) == list(range(2024, 2031))
    assert (fan["p5"] <= fan["p50"]).all() and (fan["p50"] <= fan["p95"]).all()
    again = estimate_odds(baseline_scenario, 6, root_seed=3)
    assert again.annual.equals(odds.annual)  # same scenario, replications and seed: same numbers


def test_a_cancelled_estimate_raises_cancelled(baseline_scenario):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        estimate_odds(baseline_scenario, 40, cancel=cancel)
