"""The runs the benchmark times, written against the model's public interface only.

The same file times this tree's model (imported as `benchmarks.workloads`) and a pinned
copy of earlier code (imported as `workloads` by `benchmarks/previous_code_server.py`,
with that copy's `sim` first on the path), so both sides run exactly the same work:

- `default`: a full default run (baseline scenario, 2025-2030, world build included);
- `hindcast`: one run of the 2021-2024 hindcast from the 2020 world, the run a posterior
  calibration repeats thousands of times;
- `candidate`: a full run of the all-plans scenario, every lever active, as a policy
  search's candidates are.

Each run ends, as every run of an experiment, a search and a calibration does, with its
annual table (`sim.run.results.annual_frame`), which the workers return, and then, where
the code has it, hands its agents to the next run as a worker does (`IndustryModel.release`).

Base-year files are read once per process (as the experiment worker does), not per run,
and, as a worker does after its imports, the objects alive then are frozen for the garbage
collector (`sim/experiments/executors.py`), so a run pays for collecting its own garbage only.
"""

from __future__ import annotations

import gc
import time
from functools import cache
from typing import Any

from sim.credibility.hindcast import load_hindcast_scenario
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from sim.paths import SCENARIOS_DIR
from sim.run.results import annual_frame

WORKLOADS = ("default", "hindcast", "candidate")


@cache
def _inputs(workload: str) -> tuple[Any, Any]:
    if workload == "default":
        scenario = load_scenario(SCENARIOS_DIR / "baseline.toml")
    elif workload == "hindcast":
        scenario = load_hindcast_scenario()
    elif workload == "candidate":
        scenario = load_scenario(SCENARIOS_DIR / "all_plans.toml")
    else:
        raise ValueError(f"unknown workload {workload!r}; expected one of {WORKLOADS}")
    inputs = scenario, load_scenario_base_year(scenario)
    gc.collect()
    gc.freeze()
    return inputs


def time_workload(workload: str, seed: int) -> tuple[float, float]:
    """Seconds one run of `workload` takes from the given seed (world build and annual table
    included): wall clock, and this process's CPU time (which other processes on a shared
    machine move less)."""
    scenario, base = _inputs(workload)
    start, start_cpu = time.perf_counter(), time.process_time()
    model = IndustryModel(scenario, rng=seed, base_year=base).run()
    annual_frame(model)
    if hasattr(model, "release"):  # as a worker hands its agents to the next run (newer code)
        model.release()
    return time.perf_counter() - start, time.process_time() - start_cpu
