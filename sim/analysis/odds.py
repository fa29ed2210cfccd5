"""The odds of one scenario reaching its targets, computed in memory (for the web page).

The same runner, worker and sampled uncertainties as `python -m sim experiment` (the
standard uncertainties and every effect size, Latin hypercube), without a results folder.
Two calls with the same root seed share samples and seeds, so a scenario and the
baseline are compared on common random numbers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from sim.analysis.report import output_fan, share_met
from sim.experiments.design import (
    SampleSection,
    check_sampled_paths_are_free,
    common_targets,
    sampled_parameters,
)
from sim.experiments.executors import default_workers, shared_local_executor
from sim.experiments.run_spec import Batch, ScenarioSpec, batches, derive_seeds, plan_runs
from sim.experiments.runner import Cancelled, run_batches
from sim.experiments.sampling import sample_matrix
from sim.inputs.scenario import Scenario

__all__ = ["Cancelled", "Odds", "TargetOdds", "estimate_odds"]


@dataclass(frozen=True)
class TargetOdds:
    """P(output >= threshold in year), with its Wilson 95% interval."""

    year: int
    threshold_yi: float
    met: int
    runs: int
    probability: float
    low: float
    high: float


@dataclass(frozen=True)
class Odds:
    scenario: str
    targets: tuple[TargetOdds, ...]
    annual: pd.DataFrame  # one row per run and year: replication, year, output_yi, fiscal_net_cost_yi

    def fan(self) -> pd.DataFrame:
        """Median (p50), 50% (p25-p75) and 90% (p5-p95) bands of annual output, as in the report."""
        runs = self.annual.assign(scenario=self.scenario)
        return output_fan(runs, [self.scenario]).drop(columns="scenario").reset_index(drop=True)


def target_odds(annual: pd.DataFrame, year: int, threshold_yi: float) -> TargetOdds:
    outputs = annual.loc[annual["year"] == year, "output_yi"]
    return TargetOdds(year=year, threshold_yi=threshold_yi, **share_met(outputs >= threshold_yi))


ODDS_BATCH = 4  # runs per task: small, so progress moves often and a cancel stops soon


def estimate_odds(
    scenario: Scenario,
    replications: int = 200,
    root_seed: int = 1,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
) -> Odds:
    """Run `replications` runs of the scenario with the uncertainties sampled; blocks until done.

    `on_progress(done, total)` is called from the calling thread; setting `cancel` stops
    the batch and raises Cancelled. By default the runs go to worker processes started
    once per process and reused; `workers` is how many runs the executor computes at once.
    A scenario without targets, or one that sets a sampled parameter (its value would be
    replaced by the samples), is refused with an InputError before any run.
    """
    if replications < 1:
        raise ValueError(f"replications = {replications}: need at least 1 run")
    parameters = tuple(sampled_parameters(SampleSection(), scenario, scenario.source))
    common_targets(scenario.source, {scenario.name: scenario})
    check_sampled_paths_are_free(scenario.source, {scenario.name: scenario}, list(parameters))
    sampling_seed, seeds = derive_seeds(root_seed, replications)
    samples = sample_matrix("lhs", list(parameters), replications, sampling_seed)
    spec = ScenarioSpec.of(scenario)
    runs = plan_runs([scenario.name], samples, seeds)
    tasks = batches(runs, ODDS_BATCH, {scenario.name: spec}, parameters)
    frames: list[pd.DataFrame] = []
    done = 0

    def collect(batch: Batch, rows: pd.DataFrame) -> None:
        nonlocal done
        frames.append(rows[["replication", "year", "output_yi", "fiscal_net_cost_yi"]])
        done += len(batch.runs)
        if on_progress is not None:
            on_progress(done, replications)

    in_flight = 2 * (workers or default_workers())
    run_batches(tasks, executor or shared_local_executor(), collect, in_flight=in_flight, cancel=cancel)
    annual = pd.concat(frames).sort_values(["replication", "year"]).reset_index(drop=True)
    targets = tuple(target_odds(annual, t.year, t.threshold_yi) for t in scenario.data.targets)
    return Odds(scenario.name, targets, annual)
