"""Experiment files: which scenarios, what to sample over which ranges, how, how often, which seed.

Everything is checked before any run starts: scenarios must load, every sampled path must
be a scenario parameter, and every range must fit the schema (both ends are validated on
every scenario), so a bad file fails at once with the file, the field and the rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import Field, model_validator

from sim.experiments.design import (
    SampleSection,
    check_sampled_paths_are_free,
    common_targets,
    sampled_parameters,
)
from sim.experiments.progress import ProgressBar
from sim.experiments.run_spec import RunSpec, ScenarioSpec, derive_seeds, plan_runs
from sim.experiments.sampled_parameters import SampledParameter, scenario_values
from sim.experiments.sampling import SENSITIVITY_DESIGNS, Design, sample_matrix, sample_rows
from sim.inputs.base_year import check_base_year, load_scenario_base_year, resolve_base_year_path
from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.scenario import Scenario, load_scenario, with_values
from sim.inputs.sections import Section
from sim.paths import SCENARIOS_DIR, find_named

CHECK_PROGRESS_ROWS = 10_000


class ExperimentFile(Section):
    name: str = Field(
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
        max_length=80,
        description="also the results folder: letters, digits, _ . - (not starting with . or -)",
    )
    description: str = ""
    scenarios: list[str] = Field(min_length=1, description="scenario names in scenarios/ or .toml paths")
    reference: str | None = Field(None, description="scenario the others are compared with")
    design: Design = "lhs"
    replications: int = Field(
        ge=1, le=1_000_000, description="runs per scenario (saltelli: base size N; morris: trajectories)"
    )
    root_seed: int = Field(ge=0, description="every run's seed and the sample derive from it")
    morris_levels: int = Field(4, ge=2, le=20)
    sample: SampleSection = SampleSection()

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentFile:
        labels = self.labels()
        if len(set(labels)) != len(labels):
            raise ValueError(f"field 'scenarios' names a scenario twice: {labels}")
        if self.reference is not None and self.reference not in labels:
            raise ValueError(f"field 'reference' = {self.reference!r} is not one of the scenarios {labels}")
        if self.design in ("sobol", "saltelli") and self.replications & (self.replications - 1):
            raise ValueError(
                f"field 'replications' = {self.replications}: design {self.design!r} needs a power of 2 "
                "(e.g. 64, 128, 256) to keep the balance of its Sobol sequence"
            )
        if self.design in SENSITIVITY_DESIGNS and len(self.scenarios) != 1:
            raise ValueError(
                f"field 'scenarios' names {len(self.scenarios)} scenarios: design {self.design!r} analyses "
                "one scenario (sample the levers with `all_levers` or `ranges` instead)"
            )
        return self

    def labels(self) -> list[str]:
        """How results name each scenario: its entry, without folder or .toml."""
        return [Path(entry).stem for entry in self.scenarios]


@dataclass(frozen=True)
class Experiment:
    """A validated experiment: its scenarios as data, its sampled parameters, its runs."""

    name: str
    description: str
    path: Path
    file_hash: str
    design: Design
    replications: int
    root_seed: int
    morris_levels: int
    reference: str | None
    scenarios: dict[str, ScenarioSpec]
    scenario_files: dict[str, str]
    parameters: tuple[SampledParameter, ...]
    targets: tuple[tuple[int, float], ...]

    @property
    def runs_per_scenario(self) -> int:
        return sample_rows(self.design, self.replications, len(self.parameters))

    @property
    def runs_total(self) -> int:
        return self.runs_per_scenario * len(self.scenarios)

    def samples(self) -> np.ndarray:
        """The design's matrix of sampled values (row = replication, column = parameter)."""
        sampling_seed, _ = derive_seeds(self.root_seed, 0)
        return sample_matrix(
            self.design, list(self.parameters), self.replications, sampling_seed, self.morris_levels
        )

    def seeds(self) -> list[int]:
        """One seed per replication; one seed for all of a sensitivity design's rows.

        Sobol and Morris indices compare rows that differ in their parameters; if the rows'
        randomness differed too, the indices would mostly measure noise. So the model's own
        randomness is held fixed across the design (common random numbers), and the spread
        it causes is what the replications of the other designs show.
        """
        _, seeds = derive_seeds(self.root_seed, self.runs_per_scenario)
        return [seeds[0]] * len(seeds) if self.design in SENSITIVITY_DESIGNS else seeds

    def runs(self) -> Iterator[RunSpec]:
        return plan_runs(list(self.scenarios), self.samples(), self.seeds())


def scenario_path(entry: str, experiment_path: Path) -> Path:
    """A scenario entry: a .toml path relative to the experiment file, or a scenario's name.

    A name is looked up in the `scenarios/` folder beside the experiment file's folder (a
    project of one's own), then in the working folder's, then among the shipped scenarios.
    """
    if entry.endswith(".toml"):
        return experiment_path.parent / entry
    folders = (experiment_path.parent.parent / "scenarios", Path("scenarios"), SCENARIOS_DIR)
    return find_named(entry, folders) or SCENARIOS_DIR / f"{entry}.toml"


def _load_scenarios(spec: ExperimentFile, path: Path) -> dict[str, Scenario]:
    scenarios = {}
    for entry, label in zip(spec.scenarios, spec.labels(), strict=True):
        file = scenario_path(entry, path)
        if not file.is_file():
            raise InputError(
                f"{path}: field 'scenarios' names {entry!r}: no scenario file {file} "
                "(give a name in scenarios/ or a .toml path relative to the experiment file)"
            )
        scenarios[label] = load_scenario(file)
    return scenarios


def check_runs(
    path: Path,
    scenarios: dict[str, Scenario],
    parameters: list[SampledParameter],
    samples: np.ndarray,
    show_progress: bool,
) -> None:
    """Every run the design will make must be a valid scenario, so a bad file fails before any run.

    The ends of the ranges come first (the clearest message for a range that does not fit);
    then every sampled row, which also catches rules that tie two fields together. A
    large design (about a millisecond per row) shows its progress instead of starting silently.
    """
    ends = np.array([[p.low for p in parameters], [p.high for p in parameters]])
    rows = len(scenarios) * (len(samples) + 2)
    progress = None
    if show_progress and rows >= CHECK_PROGRESS_ROWS:
        print(f"checking the {rows:,} sampled rows against the schema before any run", flush=True)
        progress = ProgressBar(rows, label="rows checked")
    for index, (entry, scenario) in enumerate(scenarios.items()):
        raw = scenario.data.model_dump(mode="json")
        base_year = load_scenario_base_year(scenario)
        base_year_file = resolve_base_year_path(scenario.data.world.base_year_file, scenario.directory)
        for row, sampled in enumerate(np.vstack([ends, samples])):
            values = scenario_values(parameters, sampled)
            what = ("every sampled parameter at its low end", "every sampled parameter at its high end")
            origin = what[row] if row < 2 else f"the sampled values of replication {row - 2}"
            source = f"{path}: scenario {entry!r} with {origin}"
            try:
                data = validate(type(scenario.data), with_values(raw, values, source), source)
                check_base_year(Scenario(data=data, source=source), base_year, base_year_file)
            except InputError as exc:
                raise InputError(f"{exc}\n(narrow that field's range in [sample.ranges])") from None
            if progress is not None and row % 1000 == 999:
                progress.update(index * (len(samples) + 2) + row + 1)
    if progress is not None:
        progress.update(rows)
        progress.close()


def load_experiment(path: Path, show_progress: bool = False) -> Experiment:
    """Read and check an experiment file and everything it names; nothing runs yet.

    `show_progress`: a progress bar on stderr while a large design's rows are checked.
    """
    path = Path(path)
    spec = validate(ExperimentFile, read_toml(path), str(path))
    scenarios = _load_scenarios(spec, path)
    first = next(iter(scenarios.values()))
    parameters = sampled_parameters(spec.sample, first, str(path))
    if spec.design in SENSITIVITY_DESIGNS and not parameters:
        raise InputError(f"{path}: field 'design' = {spec.design!r} needs at least one sampled parameter")
    targets = common_targets(str(path), scenarios)
    check_sampled_paths_are_free(str(path), scenarios, parameters)
    experiment = Experiment(
        name=spec.name,
        description=spec.description,
        path=path,
        file_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
        design=spec.design,
        replications=spec.replications,
        root_seed=spec.root_seed,
        morris_levels=spec.morris_levels,
        reference=spec.reference,
        scenarios={entry: ScenarioSpec.of(s) for entry, s in scenarios.items()},
        scenario_files={entry: s.source for entry, s in scenarios.items()},
        parameters=tuple(parameters),
        targets=targets,
    )
    check_runs(path, scenarios, parameters, experiment.samples(), show_progress)
    return experiment
