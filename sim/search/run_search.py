"""Run a search into its folder: references, generations of candidates, then the verification.

1. The reference scenarios run on the search futures (the status quo and the plan as
   announced, marked on the frontier and compared with it).
2. Generation by generation, the optimiser proposes `population` candidates; each runs on
   every search future through the experiment runner (so on the local pool or a Dask
   cluster), its runs streaming into shards; once all of the generation's runs are done,
   each candidate's cost and odds are told to the optimiser, in candidate order.
3. The frontier (non-dominated candidates) and the references run on the verification
   futures.

The shards on disk and the study say what is done: a killed search loses at most the
batches in flight, and `--resume` continues with exactly the missing runs and candidates.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import optuna
import pandas as pd
from optuna.trial import TrialState

from sim.experiments.progress import ProgressBar
from sim.experiments.results_folder import read_shards, shard_paths, write_shard
from sim.experiments.run_into_folder import batch_size
from sim.experiments.run_spec import Batch, RunSpec, ScenarioSpec, batches
from sim.experiments.runner import run_batches
from sim.inputs.scenario import with_values
from sim.search.futures import Futures
from sim.search.optimiser import candidate_label, candidates, frontier, levers_of, open_study, propose, record
from sim.search.outcomes import RUN_COLUMNS, RunOutcomes, evaluate
from sim.search.search_file import Search
from sim.search.search_folder import SEARCH_RUNS, VERIFICATION_RUNS, search_folder, touch


def candidate_spec(search: Search, number: int, levers: dict[str, float | int]) -> ScenarioSpec:
    """The base scenario with a candidate's levers, as a worker's task carries it."""
    label = candidate_label(number)
    data = with_values(search.base.data, levers, label) | {"name": label}
    return dataclasses.replace(search.base, name=label, data=data)


def run_id(evaluation: int, future: int, futures: Futures) -> int:
    """Run ids: evaluation e (references first, then candidate e - R) on future i is e x F + i."""
    return evaluation * len(futures) + future


class _Phase:
    """The runs of one set of futures: run what is missing, keep every run's outcome."""

    def __init__(self, search: Search, folder: Path, futures: Futures):
        self.search, self.folder, self.futures = search, folder, futures
        self.years = [year for year, _ in search.targets]
        self.outcomes: list[pd.DataFrame] = []
        if shard_paths(folder):
            self.outcomes.append(RunOutcomes.of(read_shards(folder, RUN_COLUMNS), self.years).table)

    def done(self) -> set[int]:
        return {int(i) for table in self.outcomes for i in table.index}

    def run(
        self,
        evaluations: dict[int, ScenarioSpec],
        executor: Executor,
        workers: int,
        on_stored: Callable[[int], None],
        cancel: threading.Event | None,
    ) -> None:
        """Run every missing run of these evaluations (index -> scenario) on every future."""
        done = self.done()
        runs = [
            RunSpec(identity, spec.name, future, seed, tuple(float(v) for v in self.futures.samples[future]))
            for index, spec in evaluations.items()
            for future, seed in enumerate(self.futures.seeds)
            if (identity := run_id(index, future, self.futures)) not in done
        ]
        if not runs:
            return
        specs = {spec.name: spec for spec in evaluations.values()}

        def store(batch: Batch, rows: pd.DataFrame) -> None:
            write_shard(self.folder, rows)
            self.outcomes.append(RunOutcomes.of(rows[RUN_COLUMNS], self.years).table)
            on_stored(len(batch.runs))

        tasks = batches(runs, batch_size(len(runs), workers), specs, self.search.parameters)
        run_batches(tasks, executor, store, in_flight=2 * workers, cancel=cancel)

    def table(self) -> pd.DataFrame:
        return pd.concat(self.outcomes).sort_index()


def _reference_specs(search: Search) -> dict[int, ScenarioSpec]:
    return dict(enumerate(search.references.values()))


def run_search(
    search: Search,
    folder: Path,
    executor: Executor,
    workers: int,
    *,
    resume: bool = False,
    show_progress: bool = True,
    cancel: threading.Event | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Run (or continue) the search into `folder`; returns the final manifest."""
    with search_folder(folder, search, resume) as manifest:
        study = open_study(folder, search)
        phase = _Phase(search, folder / SEARCH_RUNS, search.futures)
        progress = (
            ProgressBar(search_runs_total(search), len(phase.done()), "runs") if show_progress else None
        )
        count = len(phase.done())

        def stored(runs: int) -> None:
            nonlocal count
            count += runs
            touch(manifest, folder, search_runs_done=count)
            if progress:
                progress.update(count)

        try:
            phase.run(_reference_specs(search), executor, workers, stored, cancel)
            for generation in range(search.generations):
                _run_generation(search, study, phase, generation, executor, workers, stored, cancel)
                touch(manifest, folder, candidates_done=(generation + 1) * search.population)
        finally:
            if progress:
                progress.close()
        chosen = frontier(study)
        touch(manifest, folder, frontier=list(chosen.numbers), any_feasible=chosen.any_feasible)
        say(
            f"search done: {search.candidates:,} candidates; frontier of {len(chosen.numbers)} "
            f"{'feasible ' if chosen.any_feasible else 'infeasible (no candidate met the constraints) '}"
            f"mix{'' if len(chosen.numbers) == 1 else 'es'}; verifying on {len(search.verification):,} "
            "fresh futures"
        )
        _verify(search, study, folder, chosen.numbers, manifest, executor, workers, show_progress, cancel)
        touch(manifest, folder, complete=True)
        return manifest


def _run_generation(
    search: Search,
    study: optuna.Study,
    phase: _Phase,
    generation: int,
    executor: Executor,
    workers: int,
    stored: Callable[[int], None],
    cancel: threading.Event | None,
) -> None:
    """Propose the generation's missing candidates, run them, and tell the optimiser in order."""
    first = generation * search.population
    numbers = range(first, first + search.population)
    for number in range(max(first, len(candidates(study))), first + search.population):
        propose(study, search, number)
    trials = {t.number: t for t in candidates(study) if t.number in numbers}
    waiting = {n: t for n, t in trials.items() if t.state == TrialState.RUNNING}
    if not waiting:
        return
    references = len(search.references)
    specs = {references + n: candidate_spec(search, n, levers_of(t, search)) for n, t in waiting.items()}
    phase.run(specs, executor, workers, stored, cancel)
    table = phase.table()
    for number, trial in sorted(waiting.items()):
        runs = table[table["scenario"] == candidate_label(number)]
        record(study, search, trial, evaluate(runs, search.targets))


def _verify(
    search: Search,
    study: optuna.Study,
    folder: Path,
    numbers: tuple[int, ...],
    manifest: dict[str, Any],
    executor: Executor,
    workers: int,
    show_progress: bool,
    cancel: threading.Event | None,
) -> None:
    """Run the references and the frontier on the verification futures."""
    phase = _Phase(search, folder / VERIFICATION_RUNS, search.verification)
    trials = {t.number: t for t in candidates(study)}
    references = len(search.references)
    specs = _reference_specs(search) | {
        references + n: candidate_spec(search, n, levers_of(trials[n], search)) for n in numbers
    }
    total = len(specs) * len(search.verification)
    progress = ProgressBar(total, len(phase.done()), "verification runs") if show_progress else None
    count = len(phase.done())

    def stored(runs: int) -> None:
        nonlocal count
        count += runs
        touch(manifest, folder, verification_runs_done=count)
        if progress:
            progress.update(count)

    try:
        phase.run(specs, executor, workers, stored, cancel)
    finally:
        if progress:
            progress.close()


def search_runs_total(search: Search) -> int:
    """Runs on the search futures (the verification's depend on the frontier's size)."""
    return (len(search.references) + search.candidates) * len(search.futures)
