"""Where a run's time goes, function by function: CPU time of every function of the model.

    python -m benchmarks.phase_profile [--workload default] [--runs 20] [--top 40]

Wraps every module-level function of `sim.model` and `sim.model.mechanisms` (wherever it
was imported) with a timer and runs the workload `--runs` times from different seeds,
after a warm-up run and with the objects alive then frozen for the garbage collector, as
an experiment worker has them. Prints each function's CPU time per run (`time.process_time`,
which other processes on a shared machine move less than the wall clock), inclusive of
what it calls, with its calls per run. Unlike cProfile, which adds a cost to every Python
call and so inflates call-heavy code (agent registration looked three times its real
cost), the timers sit on these functions only.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import pkgutil
import sys
import time
import types
from collections import Counter
from collections.abc import Callable
from typing import Any

import sim.model
import sim.model.mechanisms
from benchmarks.workloads import WORKLOADS, _inputs
from sim.model.model import IndustryModel


def model_functions() -> dict[int, tuple[str, Callable[..., Any]]]:
    """Every function defined at module level in sim.model and sim.model.mechanisms, by id."""
    found = {}
    for package in (sim.model, sim.model.mechanisms):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
                    found[id(value)] = (f"{info.name}.{name}", value)
    return found


def wrap_everywhere(seconds: Counter[str], calls: Counter[str]) -> None:
    """Replace each model function, in every sim module that names it, by a timed wrapper."""

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.process_time() - start
                calls[name] += 1

        return run

    wrapped = {key: timed(name, function) for key, (name, function) in model_functions().items()}
    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "__name__", "").startswith("sim"):
            for name, value in list(vars(module).items()):
                if id(value) in wrapped:
                    setattr(module, name, wrapped[id(value)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=WORKLOADS, default="default")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=40, help="how many functions to print")
    args = parser.parse_args(argv)
    scenario, base = _inputs(args.workload)
    seconds: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    wrap_everywhere(seconds, calls)
    IndustryModel(scenario, rng=10_000, base_year=base).run()  # warm: lazy imports, compiled loops
    seconds.clear()
    calls.clear()
    gc.collect()
    gc.freeze()
    start = time.process_time()
    for seed in range(args.runs):
        IndustryModel(scenario, rng=seed, base_year=base).run()
    per_run = (time.process_time() - start) / args.runs
    print(f"{args.workload}: {per_run * 1000:.1f} ms CPU per run with the timers, {args.runs} runs")
    print(f"{'function (inclusive)':<48} {'ms/run':>8} {'share':>6} {'calls/run':>9}")
    for name, total in seconds.most_common(args.top):
        share = total / args.runs / per_run
        print(f"{name:<48} {total / args.runs * 1000:8.2f} {share:6.1%} {calls[name] / args.runs:9.0f}")


if __name__ == "__main__":
    main()
