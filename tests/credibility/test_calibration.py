"""Calibration: recovers known parameters from synthetic data, resumes, and feeds the defaults."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.credibility.free_parameters import FREE_PARAMETERS, scenario_at
from sim.credibility.hindcast import load_hindcast_scenario, simulate
from sim.credibility.history import load_history
from sim.credibility.moments import MOMENTS, simulated_moments
from sim.credibility.msm import Checkpoint, fit
from sim.inputs.errors import InputError
from sim.inputs.scenario import (
    ScenarioData,
    default_scenario,
    load_calibration,
    load_scenario,
    with_calibrated_defaults,
)
from tests.conftest import BASELINE, run_cli

HISTORY = load_history()
TRUE = np.array([0.02, 0.045])  # demand_growth_shift, certification_rate
SEEDS = list(range(1, 5))


@pytest.fixture(scope="module")
def synthetic_fit(tmp_path_factory):
    """Data made by the model at TRUE, then fitted from the default start.

    The synthetic data use the fitting seeds, so the truth is an exact optimum (common random
    numbers) and the test measures the search and the moments, not sampling noise; the
    standard errors measure that noise.
    """
    base = load_hindcast_scenario()
    truth = scenario_at(base, {p.path: v for p, v in zip(FREE_PARAMETERS, TRUE, strict=True)})
    targets = simulated_moments(simulate(truth, SEEDS, HISTORY)).mean(axis=0)
    checkpoint = Checkpoint(tmp_path_factory.mktemp("msm") / "checkpoint.json", SEEDS)
    return fit(base, HISTORY, targets, SEEDS, checkpoint, max_evaluations=6), checkpoint


def test_recovers_known_parameters_from_synthetic_data(synthetic_fit):
    """Tolerance: 0.005 on the demand shift (a quarter of it), 5% on the certification rate.

    The standard error of the shift is large all the same (the growth path pins it only
    loosely: with capacity, land and finance binding, simulated growth moves by about a
    third of a point per point of demand growth); that of the rate is small.
    """
    result, _ = synthetic_fit
    shift, certification = result.values
    assert shift == pytest.approx(TRUE[0], abs=0.005), result
    assert certification == pytest.approx(TRUE[1], rel=0.05), result
    assert np.all(np.isfinite(result.se)) and 0 < result.se[1] < 0.2 * TRUE[1]


def test_a_resumed_search_replays_the_checkpoint_and_ends_at_the_same_point(synthetic_fit):
    result, checkpoint = synthetic_fit
    resumed = Checkpoint.open(checkpoint.path, SEEDS, resume=True)
    assert len(resumed.evaluations) == len(checkpoint.evaluations)
    again = fit(load_hindcast_scenario(), HISTORY, result.reported, SEEDS, resumed, max_evaluations=6)
    np.testing.assert_allclose(again.values, result.values)
    assert again.replayed == again.evaluations  # nothing was run twice


def test_resume_with_other_seeds_is_refused(synthetic_fit):
    _, checkpoint = synthetic_fit
    with pytest.raises(InputError, match="same seeds"):
        Checkpoint.open(checkpoint.path, [1, 2], resume=True)


def test_resume_of_another_search_is_refused(synthetic_fit):
    _, checkpoint = synthetic_fit
    with pytest.raises(InputError, match="another search"):
        Checkpoint.open(checkpoint.path, SEEDS, resume=True, signature=["innovation.lapse_rate"])


def test_moments_are_named_once_and_all_reported():
    names = [m.name for m in MOMENTS]
    assert len(set(names)) == len(names)
    for moment in MOMENTS:
        assert moment.data_sd > 0 and moment.why


def test_fitted_behavioural_values_are_the_defaults_unless_a_scenario_sets_them():
    calibration = load_calibration()
    assert calibration is not None, "sim/data/calibration.toml is missing: run python -m sim calibrate"
    for path, fitted in calibration.fitted.items():
        section, name = path.split(".")
        assert fitted.bounds[0] <= fitted.low <= fitted.value <= fitted.high <= fitted.bounds[1]
        value = getattr(getattr(default_scenario().data, section), name)
        if fitted.scope == "model":
            assert value == pytest.approx(fitted.value)
            overridden = load_scenario(BASELINE, [f"{path}=0.2"])
            assert getattr(getattr(overridden.data, section), name) == 0.2
        else:  # conditions of the calibration period stay out of forward scenarios
            assert value == getattr(getattr(ScenarioData(name="x"), section), name)
    assert with_calibrated_defaults({"innovation": {"certification_rate": 0.5}})["innovation"] == {
        "certification_rate": 0.5
    }


@pytest.mark.slow
def test_recovers_known_parameters_from_data_of_other_seeds(tmp_path):
    """With sampling noise: data from seeds 101-110, fit on seeds 1-10; each estimate within
    three standard errors of the truth, and the certification rate within 15%."""
    base = load_hindcast_scenario()
    truth = scenario_at(base, {p.path: v for p, v in zip(FREE_PARAMETERS, TRUE, strict=True)})
    targets = simulated_moments(simulate(truth, list(range(101, 111)), HISTORY)).mean(axis=0)
    seeds = list(range(1, 11))
    result = fit(base, HISTORY, targets, seeds, Checkpoint(tmp_path / "ck.json", seeds), max_evaluations=10)
    assert np.all(np.abs(result.values - TRUE) <= 3 * result.se), (result.values, result.se)
    assert result.values[1] == pytest.approx(TRUE[1], rel=0.15)


def test_a_calibration_file_naming_an_unknown_parameter_is_an_input_error(tmp_path):
    from sim.inputs.calibration_file import DEFAULT_CALIBRATION_FILE

    bad = tmp_path / "calibration.toml"
    text = DEFAULT_CALIBRATION_FILE.read_text(encoding="utf-8")
    bad.write_text(text.replace("innovation.certification_rate", "innovation.certificaton_rate"), "utf-8")
    with pytest.raises(InputError, match="innovation.certificaton_rate.*not a scenario parameter"):
        load_calibration(bad)


def _checkpoint_with(evaluation: dict) -> str:
    from sim.credibility.msm import search_signature

    return json.dumps({"seeds": [1, 2], "signature": search_signature(), "evaluations": [evaluation]})


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (bytes(range(256)), "not valid JSON"),
        (b"[]", "a JSON object was expected"),
        (b'{"seeds": [1, 2]}'.replace(b"}", b', "signature": null}'), "of another search"),
        (_checkpoint_with({"x": [float("nan"), 0.0], "per_seed": [[0.0] * 5] * 2}).encode(), "finite number"),
        (_checkpoint_with({"x": [0.0, 0.0], "per_seed": [[0.0]] * 2}).encode(), "seeds' moments"),
    ],
)
def test_a_damaged_checkpoint_is_refused_before_any_run(tmp_path, content, fragment):
    path = tmp_path / "checkpoint.json"
    path.write_bytes(content)
    args = (
        "--method",
        "msm",
        "--replications",
        "2",
        "--checkpoint",
        str(path),
        "--resume",
        "--output",
        str(tmp_path / "c.toml"),
    )
    result = run_cli("calibrate", *args)
    assert result.code == 2 and fragment in result.err, result.err
    assert not (tmp_path / "c.toml").exists()


def test_a_folder_is_no_checkpoint(tmp_path):
    result = run_cli("calibrate", "--method", "msm", "--replications", "2", "--checkpoint", str(tmp_path))
    assert result.code == 2 and "is not a file" in result.err
