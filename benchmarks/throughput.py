"""The experiment runner's throughput on workers started and warmed once, and what starting them costs.

A pool of spawned workers starts a process when a batch is submitted and no worker is
idle; each imports the model (~1.5 s) and loads the compiled loops from numba's cache at
its first run (~0.3 s). That is a fixed cost of an experiment, measured here on its own
(`started_pool`), and kept out of the throughput windows: a window that includes it
measures the start-up, not the runner. (Before, the warm-up ran one batch, so only one of
two workers had started when the window opened and the second started inside it.)

Each window also records the workers' CPU time, the parent's, and how idle the machine's
cores were (psutil), so a parallel efficiency below 1 can be told apart: runs that cost
more CPU with two workers (contention), workers left without work (the runner), or
workers waiting for a core that other processes hold (the machine).
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

from sim.experiments.design import SampleSection, sampled_parameters
from sim.experiments.executors import local_executor
from sim.experiments.run_spec import Batch, ScenarioSpec, batches, derive_seeds, plan_runs
from sim.experiments.worker import run_batch
from sim.inputs.scenario import Scenario


def warm_run(batch: Batch) -> int:
    """Worker side: run a batch (loading what a first run loads) and say which process ran it."""
    run_batch(batch)
    return os.getpid()


def sampled_batches(scenario: Scenario, runs: int, size: int, root_seed: int) -> list[Batch]:
    """`runs` runs of the scenario with the standard uncertainties sampled, as an experiment draws them."""
    # Imported here: workers import the benchmark's modules (their `__main__`'s), and an
    # experiment's workers do not import the sampler (SALib, scipy.stats: 0.8 s of start-up).
    from sim.experiments.sampling import sample_matrix

    parameters = tuple(sampled_parameters(SampleSection(), scenario, scenario.source))
    sampling_seed, seeds = derive_seeds(root_seed, runs)
    samples = sample_matrix("lhs", list(parameters), runs, sampling_seed)
    specs = {scenario.name: ScenarioSpec.of(scenario)}
    return list(batches(plan_runs([scenario.name], samples, seeds), size, specs, parameters))


@contextmanager
def started_pool(workers: int, scenario: Scenario) -> Iterator[tuple[ProcessPoolExecutor, float]]:
    """A pool whose every worker has finished a first run, and the seconds that took from its creation.

    One-run batches go out `workers` at a time until each worker process has run one
    (a worker that starts sooner may take two of a round).
    """
    warm = sampled_batches(scenario, 20 * workers, 1, root_seed=10_000)
    begin = time.perf_counter()
    with local_executor(workers) as pool:
        seen: set[int] = set()
        while len(seen) < workers:
            if not warm:
                raise RuntimeError(f"{workers} workers did not all take a warm-up run")
            round_, warm = warm[:workers], warm[workers:]
            seen |= {future.result() for future in [pool.submit(warm_run, batch) for batch in round_]}
        yield pool, time.perf_counter() - begin


def worker_pids(pool: ProcessPoolExecutor) -> list[int]:
    return list(pool._processes or {})  # the pool's own (private) table of its workers


@dataclass(frozen=True)
class Window:
    """One timed stretch of work on a started pool."""

    runs: int
    wall_s: float
    workers_cpu_s: float
    parent_cpu_s: float
    machine_idle: float  # share of all cores' time idle meanwhile

    @property
    def rate(self) -> float:
        return self.runs / self.wall_s


def _cpu_seconds(pids: list[int]) -> float:
    times = [psutil.Process(pid).cpu_times() for pid in pids]
    return sum(t.user + t.system for t in times)


def timed_window(pool: ProcessPoolExecutor, work: Callable[[], int]) -> Window:
    """Time `work` (which returns how many runs it did) on the pool's workers."""
    pids = worker_pids(pool)
    wait([pool.submit(os.getpid)])  # nothing left over from before
    psutil.cpu_times_percent()  # starts the machine's idle count from now
    workers_before, parent_before = _cpu_seconds(pids), time.process_time()
    begin = time.perf_counter()
    runs = work()
    wall = time.perf_counter() - begin
    idle = psutil.cpu_times_percent().idle / 100
    if set(worker_pids(pool)) != set(pids):
        raise RuntimeError("a worker was replaced during the window; its CPU time is lost")
    return Window(runs, wall, _cpu_seconds(pids) - workers_before, time.process_time() - parent_before, idle)


def median_window(windows: list[Window]) -> Window:
    """Medians field by field over repeated windows of the same work."""
    median = statistics.median
    return Window(
        runs=windows[0].runs,
        wall_s=median(w.wall_s for w in windows),
        workers_cpu_s=median(w.workers_cpu_s for w in windows),
        parent_cpu_s=median(w.parent_cpu_s for w in windows),
        machine_idle=median(w.machine_idle for w in windows),
    )


def in_process_cpu(batches_: list[Batch]) -> float:
    """CPU seconds of running the batches in this process, as a worker does, without the pool
    (warmed, its objects frozen for the garbage collector as a worker's are)."""
    run_batch(batches_[0])
    gc.collect()
    gc.freeze()
    begin = time.process_time()
    for batch in batches_:
        run_batch(batch)
    return time.process_time() - begin


def cores_busy_elsewhere(window: Window) -> float:
    """Cores the machine spent on other work meanwhile: all cores, less idle, less ours."""
    cores = psutil.cpu_count() or 1
    ours = (window.workers_cpu_s + window.parent_cpu_s) / window.wall_s
    return max(0.0, cores * (1 - window.machine_idle) - ours)
