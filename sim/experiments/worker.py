"""Worker side of batch experiments: run a batch of runs and return their annual rows.

A worker process lives for the whole experiment (importing Mesa alone takes ~2 s), so it
keeps each scenario's validated base-year data between batches; a batch then costs only
its runs. The rows of a run depend on nothing but its scenario, sampled values and seed.
"""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.results_folder import RESULT_INDICATORS, parameter_column
from sim.experiments.run_spec import Batch, RunSpec, ScenarioSpec
from sim.experiments.sampled_parameters import SampledParameter, scenario_values
from sim.inputs.base_year import BaseYearData, check_base_year
from sim.inputs.errors import InputError, validate
from sim.inputs.scenario import Scenario, ScenarioData, with_values
from sim.model.model import IndustryModel
from sim.run.results import annual_columns

_base_years: dict[str, BaseYearData] = {}
_settled = False


def _base_year(spec: ScenarioSpec) -> BaseYearData:
    """The scenario's base-year data, validated once per worker process."""
    key = spec.digest()
    if key not in _base_years:
        _base_years[key] = validate(BaseYearData, spec.base_year, spec.base_year_file)
    return _base_years[key]


def run_one(
    spec: ScenarioSpec, base_year: BaseYearData, parameters: tuple[SampledParameter, ...], run: RunSpec
) -> dict[str, np.ndarray]:
    """One run's annual table (year and the result indicators, as columns): the scenario with
    the run's sampled values, from the run's seed. An integer lever runs at its rounded value."""
    values = scenario_values(parameters, run.values)
    source = f"{spec.source} (run {run.run_id})"
    data = validate(ScenarioData, with_values(spec.data, values, source), source)
    scenario = Scenario(data=data, source=source)
    check_base_year(scenario, base_year, spec.base_year_file)
    model = IndustryModel(scenario, rng=run.seed, base_year=base_year).run()
    table = annual_columns(model, ("year", *RESULT_INDICATORS))
    model.release()  # its agents serve the next run in this worker
    return table


def batch_frame(batch: Batch, tables: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One row per run and year: the run's identity and sampled values (the values drawn,
    not rounded), then its annual table; built once per batch, not per run."""
    years = [len(table["year"]) for table in tables]
    runs = batch.runs
    columns: dict[str, Any] = {
        "run_id": np.repeat([run.run_id for run in runs], years),
        "scenario": [run.scenario for run, count in zip(runs, years, strict=True) for _ in range(count)],
        "replication": np.repeat([run.replication for run in runs], years),
        "seed": np.repeat([run.seed for run in runs], years),
    }
    for index, parameter in enumerate(batch.parameters):
        columns[parameter_column(parameter.name)] = np.repeat(
            [float(run.values[index]) for run in runs], years
        )
    for name in tables[0]:
        columns[name] = np.concatenate([table[name] for table in tables])
    return pd.DataFrame(columns)


def run_batch(batch: Batch) -> pd.DataFrame:
    """Every run of a batch, one row per run and year."""
    base_years = {name: _base_year(spec) for name, spec in batch.scenarios.items()}
    tables = []
    for run in batch.runs:
        spec = batch.scenarios[run.scenario]
        try:
            tables.append(run_one(spec, base_years[run.scenario], batch.parameters, run))
        except InputError:
            raise  # already names the scenario, the run and the field
        except Exception as exc:  # name the run, so it can be reproduced alone
            raise RuntimeError(
                f"run {run.run_id} ({run.scenario}, replication {run.replication}, seed {run.seed}) "
                f"failed: {type(exc).__name__}: {exc}"
            ) from exc
    _freeze_once_settled()
    return batch_frame(batch, tables)


def _freeze_once_settled() -> None:
    """After a process's first batch, freeze what is alive then for the garbage collector.

    The first run loads the compiled loops and fills caches: some 54,000 objects that the
    worker's freeze after its imports (sim/experiments/executors.py) did not see. Left
    unfrozen, every full collection the later runs' agents set off scans them again
    (measured: 4.3 ms a run in full collections, 2.3 ms with them frozen too).
    """
    global _settled
    if not _settled:
        gc.collect()
        gc.freeze()
        _settled = True
