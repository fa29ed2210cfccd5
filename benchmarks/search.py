"""Speed of the "what it takes" search, against the experiment runner doing the same runs.

    python -m benchmarks.search [--candidates 30] [--futures 8 24] [--workers 2]

Runs two small searches over every lever (experiments/what_it_takes.toml with fewer
candidates and futures: the same candidates, two numbers of futures), each followed by the
very same runs (every reference and candidate on the search futures, the references and
the frontier on the verification futures) straight through the experiment runner, on the
same worker processes. The difference of the two times is the search's own cost: the
optimiser's proposals and bookkeeping, and the workers idling at the end of each
generation while its last runs finish. Measured at two numbers of futures, it splits into
a part that more futures do not add to and a part per run, so the projection of the
default search (100 futures) does not scale a small search's per-candidate cost with its
runs. Then as many baseline runs as the larger search's: with their throughput on an idle
machine (this machine's last `benchmarks.run`) they scale the projection to it.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.table import Row, format_rows
from benchmarks.throughput import started_pool
from sim.analysis.odds import estimate_odds
from sim.experiments.run_into_folder import batch_size
from sim.experiments.run_spec import RunSpec, ScenarioSpec, batches
from sim.experiments.runner import run_batches
from sim.inputs.scenario import load_scenario
from sim.search.futures import Futures
from sim.search.optimiser import candidates, levers_of, open_study
from sim.search.run_search import candidate_spec, run_id, run_search, search_runs_total
from sim.search.search_file import Search, load_search

HERE = Path(__file__).resolve().parent
DEFAULT_SEARCH = HERE.parent / "experiments" / "what_it_takes.toml"
BASELINE = HERE.parent / "scenarios" / "baseline.toml"
# What `python -m benchmarks.run` last measured on this machine: its 2 workers' baseline runs a
# second (taken when the machine was quiet, as its table says) is the idle projection's reference.
LATEST_RUN = HERE / "latest.json"
THROUGHPUT_ROW = "throughput, 2 workers"


def idle_baseline_rate(path: Path = LATEST_RUN) -> float | None:
    """Baseline runs a second with 2 workers in the last full `benchmarks.run` here, if any."""
    if not path.exists():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("quick"):
        return None
    rates = [row["value"] for row in report["rows"] if row["measure"].startswith(THROUGHPUT_ROW)]
    return rates[0] if rates else None


def small_search(folder: Path, candidates_: int, futures: int, population: int = 10) -> Path:
    """The default search file with fewer candidates and futures (a generation per `population`)."""
    text = DEFAULT_SEARCH.read_text(encoding="utf-8")
    changes = {
        "futures": futures,
        "verification_futures": futures,
        "candidates": candidates_,
        "population": population,
    }
    lines = []
    for line in text.splitlines():
        key = line.split("=")[0].strip()
        lines.append(f"{key} = {changes[key]}" if key in changes else line)
    path = folder / "benchmark_search.toml"
    path.write_text("\n".join(lines).replace('name = "what_it_takes"', 'name = "benchmark_search"'))
    return path


def same_runs(search: Search, folder: Path, frontier: list[int]) -> list[tuple[list[RunSpec], dict]]:
    """The search's runs, as plain runner tasks: (runs, scenarios) for each set of futures."""
    trials = {t.number: t for t in candidates(open_study(folder, search))}
    references = dict(enumerate(search.references.values()))

    def plan(evaluations: dict[int, ScenarioSpec], futures: Futures) -> tuple[list[RunSpec], dict]:
        runs = [
            RunSpec(run_id(index, i, futures), spec.name, i, seed, tuple(map(float, futures.samples[i])))
            for index, spec in evaluations.items()
            for i, seed in enumerate(futures.seeds)
        ]
        return runs, {spec.name: spec for spec in evaluations.values()}

    offset = len(references)
    searched = references | {
        offset + n: candidate_spec(search, n, levers_of(t, search)) for n, t in trials.items()
    }
    verified = references | {
        offset + n: candidate_spec(search, n, levers_of(trials[n], search)) for n in frontier
    }
    return [plan(searched, search.futures), plan(verified, search.verification)]


@dataclass(frozen=True)
class Timing:
    """One small search, and the very same runs through the plain runner, on one pool."""

    futures: int
    runs: int
    searching: float  # seconds
    plain: float
    frontier: int

    @property
    def own(self) -> float:
        """The search's own seconds: proposals, bookkeeping, generations' idle tails."""
        return self.searching - self.plain


def time_search(folder: Path, pool: Any, workers: int, candidates_: int, futures: int) -> Timing:
    """Run a small search into `folder`, then its runs again straight through the runner."""
    search = load_search(small_search(folder, candidates_, futures))
    begin = time.perf_counter()
    manifest = run_search(search, folder / "results", pool, workers, show_progress=False)
    searching = time.perf_counter() - begin
    tasks = same_runs(search, folder / "results", list(manifest["frontier"]))
    begin = time.perf_counter()
    for runs, specs in tasks:
        chunks = batches(runs, batch_size(len(runs), workers), specs, search.parameters)
        run_batches(chunks, pool, lambda batch, rows: None, in_flight=2 * workers)
    plain = time.perf_counter() - begin
    total = sum(len(runs) for runs, _ in tasks)
    return Timing(futures, total, searching, plain, len(manifest["frontier"]))


def own_time_fit(small: Timing, large: Timing) -> tuple[float, float]:
    """The search's own time as a fixed part (seconds for the small searches' candidates and
    generations, which more futures do not add to) plus a part per run, through the two
    measurements; each part at least 0 (noise can tilt a line through two points)."""
    per_run = max(0.0, (large.own - small.own) / (large.runs - small.runs))
    fixed = max(0.0, large.own - per_run * large.runs)
    return fixed, per_run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Speed of the search against the plain experiment runner.")
    parser.add_argument("--candidates", type=int, default=30, help="candidates of the small searches (x10)")
    parser.add_argument(
        "--futures",
        type=int,
        nargs=2,
        default=(8, 24),
        metavar=("FEW", "MORE"),
        help="futures (and verification futures) of the two small searches",
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--idle-rate",
        type=float,
        default=None,
        help=f"baseline runs/s of 2 workers on this machine when idle (default: from {LATEST_RUN.name})",
    )
    args = parser.parse_args(argv)
    few, more = sorted(args.futures)
    if few == more:
        parser.error("--futures: two different numbers of futures")
    idle_rate = args.idle_rate or idle_baseline_rate()
    with started_pool(args.workers, load_scenario(BASELINE)) as (pool, _):
        with tempfile.TemporaryDirectory() as scratch:  # untimed: the levers' first runs load their code
            time_search(Path(scratch), pool, args.workers, 10, 2)
        timings = []
        for futures in (few, more):
            with tempfile.TemporaryDirectory() as scratch:
                timings.append(time_search(Path(scratch), pool, args.workers, args.candidates, futures))
        small, large = timings
        begin = time.perf_counter()
        estimate_odds(load_scenario(BASELINE), large.runs, executor=pool, workers=args.workers)
        baseline = time.perf_counter() - begin
    print(format_rows(rows(small, large, baseline, args.candidates, args.workers, idle_rate)))


def rows(
    small: Timing, large: Timing, baseline: float, candidates_: int, workers: int, idle_rate: float | None
) -> list[Row]:
    """The table: both searches against the runner, the fit of the search's own time, and the
    default search projected from them."""
    table = []
    for timing in (small, large):
        table += [
            Row(
                f"search, {candidates_} candidates x {timing.futures} futures + verification",
                timing.runs,
                "runs",
            ),
            Row(f"  search throughput, {workers} workers", timing.runs / timing.searching, "runs/s"),
            Row(
                f"  the same runs through the experiment runner, {workers} workers",
                timing.runs / timing.plain,
                "runs/s",
            ),
            Row(
                "  search time / runner time",
                timing.searching / timing.plain,
                "x",
                "< 1.3x",
                timing.searching / timing.plain < 1.3,
            ),
            Row("  search's own time per candidate (both parts)", timing.own / candidates_, "s"),
        ]
    fixed, per_run = own_time_fit(small, large)
    default = load_search(DEFAULT_SEARCH)
    frontier_share = large.frontier / candidates_
    default_runs = search_runs_total(default) + len(default.verification) * (
        len(default.references) + math.ceil(frontier_share * default.candidates)
    )
    # The default search at this run's pace: its runs as the runner ran the larger search's,
    # plus the search's own time, the fixed part grown with the candidates.
    seconds = default_runs * (large.plain / large.runs + per_run) + fixed * default.candidates / candidates_
    table += [
        Row("search's own time, fitted: fixed part per candidate", fixed / candidates_, "s"),
        Row("  and per run", per_run * 1000, "ms"),
        Row(f"as many baseline runs through the runner ({large.runs})", large.runs / baseline, "runs/s"),
        Row("  cost of the search's runs / baseline runs", large.plain / baseline, "x"),
        Row(f"frontier share of the candidates ({large.frontier})", frontier_share, "share"),
        Row(
            f"default search ({default.candidates} x {len(default.futures)} futures, frontier at that share)",
            default_runs,
            "runs",
        ),
        Row("  projected time at this run's pace", seconds / 60, "min"),
    ]
    if idle_rate:
        # This run's pace scaled to the idle machine's: its baseline throughput over this run's.
        idle_minutes = seconds * (large.runs / baseline) / idle_rate / 60
        table.append(
            Row(
                f"  projected on this machine idle ({idle_rate:.4g} baseline runs/s)",
                idle_minutes,
                "min",
                "<= 40 min",  # issue 15: a default search in about 30-40 minutes on 2 cores
                idle_minutes <= 40,
            )
        )
    return table


if __name__ == "__main__":
    main()
