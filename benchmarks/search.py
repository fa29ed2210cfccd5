"""Speed of the "what it takes" search, against the experiment runner doing the same runs.

    python -m benchmarks.search [--candidates 40] [--futures 10] [--workers 2]

Runs a small search over every lever (experiments/what_it_takes.toml with fewer
candidates and futures), then the very same runs (every reference and candidate on the
search futures, the references and the frontier on the verification futures) straight
through the experiment runner, on the same worker processes. The ratio of the two times
is the search's own cost: the optimiser's proposals and bookkeeping, and the workers
idling at the end of each generation while its last runs finish. Then as many baseline
runs: with their throughput on an idle machine (the README's table) the ratios project how
long the default search takes there.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Speed of the search against the plain experiment runner.")
    parser.add_argument("--candidates", type=int, default=40, help="candidates of the small search (x10)")
    parser.add_argument("--futures", type=int, default=10, help="futures (and verification futures)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--idle-rate",
        type=float,
        default=None,
        help=f"baseline runs/s of 2 workers on this machine when idle (default: from {LATEST_RUN.name})",
    )
    args = parser.parse_args(argv)
    idle_rate = args.idle_rate or idle_baseline_rate()
    with (
        tempfile.TemporaryDirectory() as scratch,
        started_pool(args.workers, load_scenario(BASELINE)) as (pool, _),
    ):
        folder = Path(scratch)
        search = load_search(small_search(folder, args.candidates, args.futures))
        begin = time.perf_counter()
        manifest = run_search(search, folder / "results", pool, args.workers, show_progress=False)
        searching = time.perf_counter() - begin
        tasks = same_runs(search, folder / "results", list(manifest["frontier"]))
        total = sum(len(runs) for runs, _ in tasks)
        begin = time.perf_counter()
        for runs, specs in tasks:
            chunks = batches(runs, batch_size(len(runs), args.workers), specs, search.parameters)
            run_batches(chunks, pool, lambda batch, rows: None, in_flight=2 * args.workers)
        plain = time.perf_counter() - begin
        begin = time.perf_counter()
        estimate_odds(load_scenario(BASELINE), total, executor=pool, workers=args.workers)
        baseline = time.perf_counter() - begin
    default = load_search(DEFAULT_SEARCH)
    frontier_share = len(manifest["frontier"]) / search.candidates
    default_runs = search_runs_total(default) + len(default.verification) * (
        len(default.references) + math.ceil(frontier_share * default.candidates)
    )
    rate = total / searching
    rows = [
        Row(f"search, {search.candidates} candidates x {args.futures} futures + verification", total, "runs"),
        Row(f"  search throughput, {args.workers} workers", rate, "runs/s"),
        Row(
            f"  the same runs through the experiment runner, {args.workers} workers", total / plain, "runs/s"
        ),
        Row("  search time / runner time", searching / plain, "x", "< 1.3x", searching / plain < 1.3),
        Row("  as many baseline runs through the runner", total / baseline, "runs/s"),
        Row("  cost of the search's runs / baseline runs", plain / baseline, "x"),
        Row("  search's own time per candidate", (searching - plain) / search.candidates, "s"),
        Row(f"  frontier share of the candidates ({len(manifest['frontier'])})", frontier_share, "share"),
        Row(
            f"default search ({default.candidates} x {len(default.futures)} futures, frontier at that share)",
            default_runs,
            "runs",
        ),
        Row("  projected time at this run's throughput", default_runs / rate / 60, "min"),
    ]
    if idle_rate:
        # The search's runs cost more than baseline runs (more levers act, more firms): the idle
        # machine's baseline throughput, scaled by that cost and by the search's own time.
        idle_minutes = default_runs / (idle_rate * baseline / searching) / 60
        rows.append(
            Row(
                f"  projected on this machine idle ({idle_rate:.4g} baseline runs/s)",
                idle_minutes,
                "min",
                "<= 40 min",  # issue 15: a default search in about 30-40 minutes on 2 cores
                idle_minutes <= 40,
            )
        )
    print(format_rows(rows))


if __name__ == "__main__":
    main()
