"""Worker side of the throughput benchmark: processes started once, each running many runs.

A worker loads the scenario and base-year data once (its initializer); each task carries
only a list of seeds, and returns one number per run, so payloads stay tiny.
"""

from __future__ import annotations

from pathlib import Path

from sim.base_year import BaseYearData
from sim.model import IndustryModel, load_scenario_base_year
from sim.scenario import Scenario, load_scenario

_loaded: tuple[Scenario, BaseYearData] | None = None


def init_worker(scenario_path: str) -> None:
    """Load the scenario once per worker process, and warm it with one run."""
    global _loaded
    scenario = load_scenario(Path(scenario_path))
    _loaded = (scenario, load_scenario_base_year(scenario))
    run_batch([10_000])


def run_batch(seeds: list[int]) -> list[float]:
    """Run the loaded scenario once per seed; returns each run's last-year output."""
    assert _loaded is not None, "init_worker was not called"
    scenario, base = _loaded
    outputs = []
    for seed in seeds:
        model = IndustryModel(scenario, rng=seed, base_year=base).run()
        outputs.append(float(model.indicators["output_yi"]))
    return outputs
