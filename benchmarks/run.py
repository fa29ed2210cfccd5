"""Speed benchmarks of dazu-sim, printed as a table beside their targets and written as JSON.

    python -m benchmarks.run            # the full set (a few minutes)
    python -m benchmarks.run --quick    # a reduced set, about a minute
    python -m benchmarks.run --against REF   # compare with another git ref than the pinned one

Measures (1) full baseline runs at the default population and at 10x and 100x the firms:
median time, world-build share, cost per firm-quarter and peak memory per firm, and from
runs at 1x and 2x alternately a run's fixed part and its per-firm part; (2) the
same workloads (a default run, a 2021-24 hindcast, an all-plans candidate) with the code
at a pinned git ref, alternating run by run in the same benchmark, and the ratios; (3)
the same rules written per agent in idiomatic Mesa style (per_agent_reference.py), and
the ratio reference / ours in the same run; (4) throughput of the experiment runner
(baseline runs with the standard uncertainties sampled) with 1 and 2 worker processes
started once and reused, the parallel efficiency, and a policy-search batch (candidate
lever mixes on shared futures); (5) the experiment runner's own peak memory at 1x and
10x the runs (flat: results stream to disk). Ratios, not absolute times, are what carry
across machines and what a shared machine measures fairly.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import tracemalloc
from concurrent.futures import Executor
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.previous_code import PINNED_REF, PreviousCode
from benchmarks.scaling import scaled_base_year, scaled_scenario
from benchmarks.table import Row, format_rows
from benchmarks.throughput import (
    Window,
    cores_busy_elsewhere,
    in_process_cpu,
    median_window,
    started_pool,
    timed_window,
)
from benchmarks.workloads import WORKLOADS, time_workload
from sim.experiments.run_spec import batches
from sim.inputs.base_year import BaseYearData, load_scenario_base_year
from sim.inputs.scenario import Scenario, load_scenario
from sim.model.model import IndustryModel
from sim.run.results import quarterly_frame

if TYPE_CHECKING:
    from sim.experiments.experiment_file import Experiment

# Workers started here import this module as their `__main__`. So that their start-up is
# what an experiment's workers pay, what only this process needs (the experiment files'
# sampler, SALib and scipy.stats; the calibration's pyabc; the per-agent reference: 4 s of
# imports in all) is imported in the functions that use it.

HERE = Path(__file__).resolve().parent

BASELINE = HERE.parent / "scenarios" / "baseline.toml"
REPLICATIONS_TARGET = 1000
# What each workload of `workloads.py` stands for.
WORKLOAD_USES = {
    "default": "one replication",
    "hindcast": "a calibration's run",
    "candidate": "a search candidate's run",
}

# The targets (issue 17), as ratios where a shared machine makes times noisy.
TARGET_VS_PREVIOUS = 4.0  # a full default run at least 4x faster than the pinned code
TARGET_VS_REFERENCE_FIRM_LEVEL = 100.0
TARGET_VS_REFERENCE_WHOLE = 40.0
TARGET_REPLICATIONS_S = 30.0
TARGET_EFFICIENCY = 0.9
TARGET_BYTES_PER_FIRM = 2048


def firm_quarters(model: IndustryModel) -> int:
    """Producing firms summed over the simulated quarters: the work a run does."""
    return int(quarterly_frame(model)["firms"].iloc[1:].sum())


def time_runs(scenario: Scenario, base: BaseYearData, repetitions: int) -> dict[str, float]:
    """Medians over seeds of a full run's CPU time (world build and the release of its agents
    included), of the build alone, and of the time per firm-quarter: CPU time, which other
    processes on a shared machine move less than the wall clock."""
    totals, builds, per_firm_quarter = [], [], []
    # The world template is cached per base year; the warm-up's agents go to the next run, as
    # a worker's do (left to the collector, a 100x build's ~680,000 fell in the timed run).
    IndustryModel(scenario, rng=10_000, base_year=base).release()
    for seed in range(repetitions):
        start = time.process_time()
        model = IndustryModel(scenario, rng=seed, base_year=base)
        built = time.process_time()
        model.run()
        model.release()  # as a worker hands its agents to the next run
        totals.append(time.process_time() - start)
        builds.append(built - start)
        per_firm_quarter.append(totals[-1] / firm_quarters(model))
    return {
        "run_s": statistics.median(totals),
        "build_s": statistics.median(builds),
        "per_firm_quarter_s": statistics.median(per_firm_quarter),
    }


def peak_memory(scenario: Scenario, base: BaseYearData) -> float:
    """Peak bytes allocated while building and running once (tracemalloc sees numpy too)."""
    tracemalloc.start()
    IndustryModel(scenario, rng=0, base_year=base).run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return float(peak)


def measure_scales(
    scales: list[int], repetitions: list[int]
) -> tuple[list[Row], dict[int, dict[str, float]]]:
    """Full runs at each multiple of Dazu's firms: time, build share, cost and memory per firm."""
    scenario = load_scenario(BASELINE)
    base = load_scenario_base_year(scenario)
    IndustryModel(scenario, rng=0, base_year=base).run()  # warm caches and lazy imports
    rows, results = [], {}
    for scale, reps in zip(scales, repetitions, strict=True):
        scaled, scaled_base = scaled_scenario(scenario, scale), scaled_base_year(base, scale)
        result = time_runs(scaled, scaled_base, reps)
        firms = int(round(scaled_base.firms.above_scale.value + scaled_base.firms.small.value))
        result["firms"] = firms
        result["bytes_per_firm"] = peak_memory(scaled, scaled_base) / firms
        results[scale] = result
        label = f"{scale}x ({firms:,} firms)"
        per_fq = result["per_firm_quarter_s"] * 1e6
        rows += [
            Row(f"full run, {label}, median of {reps}, CPU time", result["run_s"], "s"),
            Row(f"  world-build share, {label}", result["build_s"] / result["run_s"], "share"),
            Row(f"  cost per firm-quarter (build included), {label}", per_fq, "us"),
            Row(
                f"  peak memory per firm, {label}",
                result["bytes_per_firm"] / 1024,
                "KB",
                "< 2 KB",
                result["bytes_per_firm"] < TARGET_BYTES_PER_FIRM,
            ),
        ]
    largest = max(scales)
    if largest > 1 and 1 in results:
        growth = results[largest]["run_s"] / results[1]["run_s"]
        bound = largest  # linear or better: k times the firms within k times the time
        rows.append(
            Row(f"time at {largest}x firms / time at 1x", growth, "x", f"<= {bound:g}x", growth <= bound)
        )
    return rows, results


def measure_fixed_part(repetitions: int) -> list[Row]:
    """What a default run costs whatever the economy's size, and what grows with it: full
    runs at 1x and 2x Dazu (firms, leads, land, talent: `scaling.py`), seed by seed
    alternately, fitted as fixed + per-firm part x size. The fixed part is the model's
    Python between its compiled passes, numba's dispatch, numpy's call overhead and the
    agents' registry; the per-firm part is the passes over the firms and their random
    draws. A run that kept only its per-firm part bounds what 1,000 replications on 2
    workers can take on this machine (the 2x run's larger working set makes that part, and
    so the bound, a little high)."""
    scenario = load_scenario(BASELINE)
    base = load_scenario_base_year(scenario)
    doubled, doubled_base = scaled_scenario(scenario, 2), scaled_base_year(base, 2)
    sizes = {1: (scenario, base), 2: (doubled, doubled_base)}
    times: dict[int, list[float]] = {1: [], 2: []}
    for run_scenario, run_base in sizes.values():
        IndustryModel(run_scenario, rng=10_000, base_year=run_base).run().release()  # warm
    for seed in range(repetitions):
        for size, (run_scenario, run_base) in sizes.items():
            start = time.process_time()
            IndustryModel(run_scenario, rng=seed, base_year=run_base).run().release()
            times[size].append(time.process_time() - start)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    per_firm, fixed = two - one, 2 * one - two
    bound = REPLICATIONS_TARGET * per_firm / 2
    return [
        Row(f"default run, 1x and 2x the firms alternately, medians of {repetitions}, CPU: 1x", one, "s"),
        Row("  2x", two, "s"),
        Row("  fixed part of a run at 1x (2 x 1x - 2x)", fixed, "s"),
        Row("  per-firm part of a run at 1x (2x - 1x)", per_firm, "s"),
        Row(f"  {REPLICATIONS_TARGET:,} replications, 2 workers, per-firm part alone: a bound", bound, "s"),
    ]


def measure_against_previous(ref: str, repetitions: int) -> tuple[list[Row], dict[str, float]]:
    """Each workload with this tree's model and with the code at `ref`, alternating run by
    run (same seeds), so both see the same load; the ratio of medians is the speedup, by
    wall clock and by CPU time (the fairer of the two on a shared machine)."""
    rows, speedups = [], {}
    median = statistics.median
    with PreviousCode(ref) as previous:
        for workload in WORKLOADS:
            previous.time(workload, 10_000)  # warm both: lazy imports, caches
            time_workload(workload, 10_000)
            ours, theirs = [], []
            for seed in range(repetitions):
                theirs.append(previous.time(workload, seed))
                ours.append(time_workload(workload, seed))
            wall = median(t[0] for t in theirs) / median(t[0] for t in ours)
            cpu = median(t[1] for t in theirs) / median(t[1] for t in ours)
            speedups[workload] = cpu
            target = f">= {TARGET_VS_PREVIOUS:g}x" if workload == "default" else ""
            label = f"{workload}, {WORKLOAD_USES[workload]}"
            rows += [
                Row(f"{label}: code at {ref}, median of {repetitions}", median(t[0] for t in theirs), "s"),
                Row(f"{label}: this code, median of {repetitions}", median(t[0] for t in ours), "s"),
                Row(
                    f"  runs per CPU second, code at {ref} ({workload})",
                    1 / median(t[1] for t in theirs),
                    "runs/s",
                ),
                Row(
                    f"  runs per CPU second, this code ({workload})", 1 / median(t[1] for t in ours), "runs/s"
                ),
                Row(f"  speedup over {ref} ({workload}), wall clock", wall, "x"),
                Row(
                    f"  speedup over {ref} ({workload}), CPU time",
                    cpu,
                    "x",
                    target,
                    cpu >= TARGET_VS_PREVIOUS if target else None,
                ),
            ]
    return rows, speedups


def measure_reference(repetitions: int) -> tuple[list[Row], float]:
    """The per-agent reference against ours, same scenario and seeds.

    Both simulate the same firms, so time ratios are ratios per firm-quarter. The
    reference runs the firm-level phases per agent and shares the system-level ones
    (task forces, banks' approvals, land allocation, data collection) with ours, plus a
    copy between its agents and the arrays that only a hybrid needs; the firm-level ratio
    compares like with like. Times are CPU time, which other processes on a shared machine
    move less than the wall clock.
    """
    from benchmarks.per_agent_phases import timed_phases
    from tests.model.per_agent_reference import PerAgentIndustryModel

    scenario = load_scenario(BASELINE)
    ours_total, reference_total, ours_firm, reference_firm, reference_sync = [], [], [], [], []
    for seed in range(repetitions):
        start = time.process_time()
        IndustryModel(scenario, rng=seed).run()
        ours_total.append(time.process_time() - start)
        start = time.process_time()
        reference = PerAgentIndustryModel(scenario, rng=seed).run()
        reference_total.append(time.process_time() - start)
        reference_firm.append(reference.phase_seconds["per_agent"])
        reference_sync.append(reference.phase_seconds["sync"])
        phases = {"firm_level": 0.0, "shared": 0.0}
        with timed_phases(phases):
            IndustryModel(scenario, rng=seed).run()
        ours_firm.append(phases["firm_level"])
    median = statistics.median
    whole = median(reference_total) / median(ours_total)
    firm_level = median(reference_firm) / median(ours_firm)
    whole_target, firm_target = TARGET_VS_REFERENCE_WHOLE, TARGET_VS_REFERENCE_FIRM_LEVEL
    rows = [
        Row(f"per-agent reference run, 1x, median of {repetitions} (CPU)", median(reference_total), "s"),
        Row("  of which agent <-> array copying (CPU)", median(reference_sync), "s"),
        Row("speedup vs reference, whole run", whole, "x", f">= {whole_target:g}x", whole >= whole_target),
        Row(
            "speedup vs reference, firm-level phases",
            firm_level,
            "x",
            f">= {firm_target:g}x",
            firm_level >= firm_target,
        ),
    ]
    return rows, firm_level


def baseline_experiment(folder: Path, replications: int, name: str) -> Experiment:
    """An experiment of `replications` baseline runs with the standard uncertainties sampled."""
    from benchmarks.experiment_command import write_baseline_experiment
    from sim.experiments.experiment_file import load_experiment

    return load_experiment(write_baseline_experiment(folder, replications, name, root_seed=1))


def measure_throughput(runs: int, repeats: int, hindcasts: int, candidates: int, futures: int) -> list[Row]:
    """The experiment runner on 1 and 2 workers, and the planners' workloads on 2.

    Both pools are started and every worker has finished a first run before any window
    (`benchmarks/throughput.py`); their start-up is reported as the fixed cost it is. A
    window runs an experiment of `runs` baseline replications into a fresh results folder
    (shards and manifest included, as `python -m sim experiment` does); the 1- and
    2-worker windows alternate, `repeats` times each, so both see the same load, and so do
    the same runs done in this process (the runner's own cost is the difference).
    """
    from benchmarks.planner_batches import calibration_batch, search_batch
    from sim.experiments.run_into_folder import run_experiment

    scenario = load_scenario(BASELINE)
    windows: dict[int, list[Window]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        experiment = baseline_experiment(root, runs, "throughput")
        same_runs = list(batches(experiment.runs(), 25, experiment.scenarios, experiment.parameters))
        alone: list[float] = []
        with started_pool(1, scenario) as (one, start_one), started_pool(2, scenario) as (two, start_two):
            for repeat in range(repeats):
                for workers, pool in ((1, one), (2, two)):
                    folder = root / f"results_{workers}_{repeat}"

                    def work(pool: Executor = pool, workers: int = workers, folder: Path = folder) -> int:
                        run_experiment(experiment, folder, pool, workers, show_progress=False)
                        return experiment.runs_total

                    windows[workers].append(timed_window(pool, work))
                alone.append(in_process_cpu(same_runs))
            calibration_batch(two, 2, 4)  # the workers import the calibration's modules, untimed
            calibration = timed_window(two, lambda: calibration_batch(two, 2, hindcasts))
            search = timed_window(two, lambda: search_batch(two, 2, candidates, futures, root / "search"))
    w1, w2 = median_window(windows[1]), median_window(windows[2])
    efficiency = w2.rate / (2 * w1.rate)
    cpu_per_run = {k: w.workers_cpu_s / w.runs for k, w in ((1, w1), (2, w2))}
    share = (w2.workers_cpu_s / w2.wall_s) / (2 * w1.workers_cpu_s / w1.wall_s)
    projected = start_two + (REPLICATIONS_TARGET - 2) / w2.rate
    overhead = (w1.workers_cpu_s + w1.parent_cpu_s) / statistics.median(alone)

    def spread(k: int) -> str:
        rates = [w.rate for w in windows[k]]
        return f"median of {repeats}, {min(rates):.1f}-{max(rates):.1f}"

    return [
        Row("start-up, 1 worker: pool created until it finished a first run", start_one, "s"),
        Row("start-up, 2 workers: pool created until each finished a first run", start_two, "s"),
        Row(f"throughput, 1 worker ({runs} runs into a results folder, {spread(1)})", w1.rate, "runs/s"),
        Row(f"throughput, 2 workers ({runs} runs into a results folder, {spread(2)})", w2.rate, "runs/s"),
        Row(
            f"  {REPLICATIONS_TARGET:,} replications with 2 workers (start-up included), projected",
            projected,
            "s",
        ),
        Row(
            "  parallel efficiency at 2 workers (wall clock)",
            efficiency,
            "share",
            f"> {TARGET_EFFICIENCY:g}",
            efficiency > TARGET_EFFICIENCY,
        ),
        Row("    = CPU per run at 1 worker / at 2 (contention)", cpu_per_run[1] / cpu_per_run[2], "share"),
        Row("    x the workers' CPU per second at 2 / twice that at 1 (load)", share, "share"),
        Row("  cores busy with other work, 1-worker windows", cores_busy_elsewhere(w1), "cores"),
        Row("  cores busy with other work, 2-worker windows", cores_busy_elsewhere(w2), "cores"),
        Row("  workers' CPU per run, 1 worker", cpu_per_run[1] * 1e3, "ms"),
        Row(
            "  parent's CPU per run (sampling, batches, shards, manifest)",
            w1.parent_cpu_s / w1.runs * 1e3,
            "ms",
        ),
        Row("  runner's CPU per run (workers + parent) / the same runs in-process", overhead, "x"),
        Row(
            f"calibration: hindcasts through its sampler, 2 workers ({calibration.runs} runs)",
            calibration.rate,
            "runs/s",
        ),
        Row(
            f"search: {candidates} candidates x {futures} futures, references and verification, "
            f"2 workers ({search.runs} runs)",
            search.rate,
            "runs/s",
        ),
    ]


def measure_command(ref: str, replications: int, rounds: int) -> list[Row]:
    """The experiment command as planners run it, whole, on 2 workers: this code against the
    code at `ref`, alternately (`benchmarks/experiment_command.py`). At 1,000 replications
    it is the issue's target itself, measured rather than projected."""
    from benchmarks.experiment_command import time_both

    theirs, ours = time_both(ref, replications, workers=2, rounds=rounds)
    label = f"`python -m sim experiment`, {replications:,} replications, 2 workers, median of {rounds}"
    meets = ours < TARGET_REPLICATIONS_S if replications == REPLICATIONS_TARGET else None
    target = f"< {TARGET_REPLICATIONS_S:g} s" if meets is not None else ""
    return [
        Row(f"{label}: code at {ref}", theirs, "s"),
        Row(f"{label}: this code", ours, "s", target, meets),
        Row(f"  speedup over {ref}, the whole command", theirs / ours, "x"),
    ]


def runner_memory(replications: int, folder: Path) -> tuple[float, float]:
    """Peak and retained memory (MB, tracemalloc) of the process running an experiment of
    `replications` baseline runs into a results folder; the workers' own memory is not
    counted. Retained is what is still allocated when the experiment is done."""
    from sim.experiments.run_into_folder import run_experiment

    experiment = baseline_experiment(folder, replications, f"memory_{replications}")
    with started_pool(2, load_scenario(BASELINE)) as (pool, _):
        tracemalloc.start()
        run_experiment(experiment, folder / f"results_{replications}", pool, 2, show_progress=False)
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1e6, retained / 1e6


def measure_runner_memory(small: int) -> list[Row]:
    """Whether the runner's memory stays flat with the number of runs: what it retains at 10x
    the runs against 1x. Its peak is reported too; that grows with the sampled design (141
    values a run, drawn at once as a Latin hypercube must be) and with the batch size (4
    runs a task at 60 runs, 25 from 400 runs on: `batch_size`), both bounded per run."""
    with tempfile.TemporaryDirectory() as folder:
        one_peak, one = runner_memory(small, Path(folder))
        ten_peak, ten = runner_memory(10 * small, Path(folder))
    return [
        Row(f"experiment runner peak memory, {small} runs", one_peak, "MB"),
        Row(f"experiment runner peak memory, {10 * small} runs", ten_peak, "MB"),
        Row(f"experiment runner memory retained after {small} runs", one, "MB"),
        Row(f"experiment runner memory retained after {10 * small} runs", ten, "MB"),
        Row("  retained at 10x the runs / at 1x", ten / one, "x", "< 1.5x", ten / one < 1.5),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Speed benchmarks of dazu-sim.")
    parser.add_argument("--quick", action="store_true", help="a reduced set that finishes in under a minute")
    parser.add_argument("--scales", default=None, help="firm multiples to run, e.g. 1,10,100")
    parser.add_argument("--repetitions", type=int, default=None, help="runs per measurement at 1x")
    parser.add_argument("--runs", type=int, default=None, help="runs per throughput measurement")
    parser.add_argument(
        "--command-runs",
        type=int,
        default=None,
        help="replications of the timed experiment command (default 1000; --quick 100)",
    )
    parser.add_argument(
        "--command-rounds", type=int, default=1, help="alternations of the experiment command, each code"
    )
    parser.add_argument(
        "--throughput-only", action="store_true", help="only the experiment runner's throughput and memory"
    )
    parser.add_argument("--out", type=Path, default=HERE / "latest.json", help="where to write the JSON")
    parser.add_argument(
        "--against", default=PINNED_REF, help=f"git ref of the code to compare with (default {PINNED_REF})"
    )
    args = parser.parse_args(argv)

    scales = [int(s) for s in (args.scales or ("1,10" if args.quick else "1,10,100")).split(",")]
    reps_1x = args.repetitions or (5 if args.quick else 11)
    repetitions = [max(2, reps_1x // scale) for scale in scales]
    runs = args.runs or (60 if args.quick else 300)

    started = time.perf_counter()
    rows: list[Row] = []
    scale_results: dict[int, dict[str, float]] = {}
    speedups: dict[str, float] = {}
    speedup = None
    if not args.throughput_only:
        # The comparisons first: a run at 100x releases 262,144 agents of each class to the
        # pool, and default runs taking theirs from it are 13% slower than a worker's are
        # (114.9 against 101.7 ms, medians of 11 in one process before and after a 100x run).
        previous_rows, speedups = measure_against_previous(args.against, 5 if args.quick else 11)
        reference_rows, speedup = measure_reference(3 if args.quick else 5)
        fixed_rows = measure_fixed_part(reps_1x)
        scale_rows, scale_results = measure_scales(scales, repetitions)
        rows += scale_rows + fixed_rows + previous_rows + reference_rows
    rows += measure_throughput(
        runs,
        repeats=2 if args.quick else 3,
        hindcasts=40 if args.quick else 200,
        candidates=10 if args.quick else 20,
        futures=4 if args.quick else 10,
    )
    command_runs = args.command_runs or (100 if args.quick else REPLICATIONS_TARGET)
    rows += measure_command(args.against, command_runs, args.command_rounds)
    rows += measure_runner_memory(20 if args.quick else 60)

    print(
        f"dazu-sim benchmarks on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(format_rows(rows))
    report = {
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "quick": args.quick,
        "against": args.against,
        "speedup_over_previous": speedups,
        "seconds": time.perf_counter() - started,
        "scales": {str(k): v for k, v in scale_results.items()},
        "rows": [asdict(row) for row in rows],
    }
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    print("(a shared machine: read the ratios; the times move with the load)")
    if speedup is not None:
        print(f"speedup over {args.against}, default run (CPU time): {speedups['default']:.2f}x")
        print(f"speedup vs per-agent reference, firm-level phases: {speedup:.1f}x")


if __name__ == "__main__":
    main()
