"""Worker side of batch experiments: run a batch of runs and return their annual rows.

A worker process lives for the whole experiment (importing Mesa alone takes ~2 s), so it
keeps each scenario's validated base-year data between batches; a batch then costs only
its runs. The rows of a run depend on nothing but its scenario, sampled values and seed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.experiments.results_folder import RESULT_INDICATORS, parameter_column
from sim.experiments.run_spec import Batch, RunSpec, ScenarioSpec
from sim.experiments.sampled_parameters import SampledParameter, scenario_values
from sim.inputs.base_year import BaseYearData, check_base_year
from sim.inputs.errors import InputError, validate
from sim.inputs.scenario import Scenario, ScenarioData, with_values
from sim.model.model import IndustryModel
from sim.run.results import annual_frame

_base_years: dict[str, BaseYearData] = {}


def _base_year(spec: ScenarioSpec) -> BaseYearData:
    """The scenario's base-year data, validated once per worker process."""
    key = spec.digest()
    if key not in _base_years:
        _base_years[key] = validate(BaseYearData, spec.base_year, spec.base_year_file)
    return _base_years[key]


def run_one(
    spec: ScenarioSpec, base_year: BaseYearData, parameters: tuple[SampledParameter, ...], run: RunSpec
) -> pd.DataFrame:
    """One run's annual rows: the scenario with the run's sampled values, from the run's seed.

    The rows record the sampled values; an integer lever runs at its rounded value.
    """
    values = scenario_values(parameters, run.values)
    source = f"{spec.source} (run {run.run_id})"
    data = validate(ScenarioData, with_values(spec.data, values, source), source)
    scenario = Scenario(data=data, source=source)
    check_base_year(scenario, base_year, spec.base_year_file)
    model = IndustryModel(scenario, rng=run.seed, base_year=base_year).run()
    rows = annual_frame(model)[["year", *RESULT_INDICATORS]]
    identity: dict[str, Any] = {
        "run_id": run.run_id,
        "scenario": run.scenario,
        "replication": run.replication,
        "seed": run.seed,
    }
    for parameter, value in zip(parameters, run.values, strict=True):
        identity[parameter_column(parameter.name)] = float(value)
    return pd.concat([pd.DataFrame(identity, index=rows.index), rows], axis=1)


def run_batch(batch: Batch) -> pd.DataFrame:
    """Every run of a batch, one row per run and year."""
    frames = []
    for run in batch.runs:
        spec = batch.scenarios[run.scenario]
        try:
            frames.append(run_one(spec, _base_year(spec), batch.parameters, run))
        except InputError:
            raise  # already names the scenario, the run and the field
        except Exception as exc:  # name the run, so it can be reproduced alone
            raise RuntimeError(
                f"run {run.run_id} ({run.scenario}, replication {run.replication}, seed {run.seed}) "
                f"failed: {type(exc).__name__}: {exc}"
            ) from exc
    return pd.concat(frames, ignore_index=True)
