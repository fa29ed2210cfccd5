"""What a batch of runs carries to a worker: scenarios as data, and each run's seed and sample.

A worker may sit on another machine (a Dask cluster), so a task carries the scenario and
its base-year data as plain dicts, never file paths or a built world; workers rebuild
the world from them. Seeds derive from one root seed with `SeedSequence.spawn`, so the
same experiment gives the same runs whoever computes them.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.experiments.sampled_parameters import SampledParameter
from sim.inputs.base_year import resolve_base_year_path
from sim.inputs.errors import read_toml
from sim.inputs.scenario import Scenario


@dataclass(frozen=True)
class ScenarioSpec:
    """A validated scenario and its base-year data, as plain data a worker can rebuild."""

    name: str
    source: str
    data: dict[str, Any]
    base_year_file: str
    base_year: dict[str, Any]

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioSpec:
        path = resolve_base_year_path(scenario.data.world.base_year_file, scenario.directory).resolve()
        data = scenario.data.model_dump(mode="json")
        data["world"]["base_year_file"] = str(path)
        return cls(scenario.name, scenario.source, data, str(path), read_toml(path))

    def digest(self) -> str:
        """Hash of everything that determines the scenario's runs: the settings and the base-year
        data, not where the checkout lies (the base-year file's path)."""
        world = {key: value for key, value in self.data["world"].items() if key != "base_year_file"}
        text = json.dumps([self.data | {"world": world}, self.base_year], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RunSpec:
    """One run: which scenario, which replication, its seed and its sampled values."""

    run_id: int
    scenario: str
    replication: int
    seed: int
    values: tuple[float, ...]


@dataclass(frozen=True)
class Batch:
    """A worker's task: the runs, plus the scenarios and parameter definitions they need."""

    scenarios: dict[str, ScenarioSpec]
    parameters: tuple[SampledParameter, ...]
    runs: tuple[RunSpec, ...]


def derive_seeds(root_seed: int, replications: int) -> tuple[int, list[int]]:
    """The sampling design's seed and one model seed per replication, all from the root seed."""
    sampling, runs = np.random.SeedSequence(root_seed).spawn(2)
    run_seeds = [int(child.generate_state(1)[0]) for child in runs.spawn(replications)]
    return int(sampling.generate_state(1)[0]), run_seeds


def plan_runs(scenarios: list[str], samples: np.ndarray, seeds: list[int]) -> Iterator[RunSpec]:
    """Every run of an experiment, lazily: replication i of each scenario shares sample row i
    and seed i, so scenarios are compared on common random numbers."""
    replications = len(seeds)
    for index, name in enumerate(scenarios):
        for replication in range(replications):
            yield RunSpec(
                run_id=index * replications + replication,
                scenario=name,
                replication=replication,
                seed=seeds[replication],
                values=tuple(float(v) for v in samples[replication]),
            )


def batches(
    runs: Iterable[RunSpec],
    size: int,
    scenarios: dict[str, ScenarioSpec],
    parameters: tuple[SampledParameter, ...],
) -> Iterator[Batch]:
    """Cut runs into tasks of `size` runs, lazily, each carrying only the scenarios it uses."""
    for chunk in itertools.batched(runs, size):
        needed = {run.scenario: scenarios[run.scenario] for run in chunk}
        yield Batch(needed, parameters, chunk)
