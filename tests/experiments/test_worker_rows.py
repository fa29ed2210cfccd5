"""A worker's rows: each run's identity, sampled values and annual table, whatever batch it is in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.experiments.design import SampleSection, sampled_parameters
from sim.experiments.results_folder import parameter_column
from sim.experiments.run_spec import Batch, ScenarioSpec, derive_seeds, plan_runs
from sim.experiments.sampling import sample_matrix
from sim.experiments.worker import run_batch
from sim.inputs.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_a_run_has_the_same_rows_alone_and_within_a_batch_of_two_scenarios():
    scenarios = [load_scenario(SCENARIOS / f"{name}.toml") for name in ("baseline", "all_plans")]
    parameters = tuple(sampled_parameters(SampleSection(), scenarios[0], scenarios[0].source))
    sampling_seed, seeds = derive_seeds(3, 2)
    samples = sample_matrix("lhs", list(parameters), 2, sampling_seed)
    specs = {s.name: ScenarioSpec.of(s) for s in scenarios}
    runs = tuple(plan_runs([s.name for s in scenarios], samples, seeds))[1:]  # mixed: 2 scenarios
    together = run_batch(Batch(specs, parameters, runs))
    assert list(together["run_id"].unique()) == [run.run_id for run in runs]
    for run in runs:
        alone = run_batch(Batch({run.scenario: specs[run.scenario]}, parameters, (run,)))
        mine = together[together["run_id"] == run.run_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_exact=True)
        assert (mine["scenario"] == run.scenario).all() and (mine["seed"] == run.seed).all()
        for parameter, value in zip(parameters, run.values, strict=True):
            assert (mine[parameter_column(parameter.name)] == value).all()
