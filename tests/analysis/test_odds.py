"""The in-memory odds (the web page's batch): progress, pairing with an experiment, cancel, refusals."""

from __future__ import annotations

import re
import threading
from concurrent.futures import Executor

import pytest

from sim.analysis.odds import Cancelled, estimate_odds
from sim.analysis.probability import wilson_interval
from sim.inputs.errors import InputError
from sim.inputs.scenario import load_scenario, scenario_from_raw, with_values
from tests.conftest import BASELINE


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


class NoRuns(Executor):
    """An executor that fails the test if a run is submitted."""

    def submit(self, fn, /, *args, **kwargs):
        raise AssertionError("a run started")


def test_a_scenario_without_targets_is_refused_before_any_run():
    hindcast = load_scenario(BASELINE.parent / "hindcast_2020.toml")
    with pytest.raises(
        InputError, match=re.escape("set no [[targets]]: there is no probability to estimate")
    ):
        estimate_odds(hindcast, 10, executor=NoRuns())


def test_a_scenario_setting_a_sampled_parameter_is_refused_before_any_run(baseline_scenario):
    raw = with_values(baseline_scenario.data.model_dump(mode="json"), {"environment.inflation": 0.015}, "")
    scenario = scenario_from_raw(raw, "mine.toml", BASELINE.parent, calibration_scopes=())
    with pytest.raises(InputError, match=re.escape("sets 'environment.inflation' = 0.015")):
        estimate_odds(scenario, 10, executor=NoRuns())
