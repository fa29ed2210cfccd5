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
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.experiments.run_spec import RunSpec, ScenarioSpec, derive_seeds, plan_runs
from sim.experiments.sampled_parameters import (
    RangeSpec,
    SampledParameter,
    effect_size_parameters,
    lever_parameters,
    ranged_parameter,
    standard_uncertainties,
)
from sim.experiments.sampling import SENSITIVITY_DESIGNS, Design, sample_matrix, sample_rows
from sim.inputs.base_year import check_base_year, load_scenario_base_year, resolve_base_year_path
from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.scenario import Scenario, default_scenario, load_scenario, value_at, with_values
from sim.paths import SCENARIOS_DIR


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SampleSection(_Strict):
    """What the experiment samples: the standard uncertainties, effect sizes, levers, extra ranges."""

    uncertainties: Literal["standard", "none"] = Field(
        "standard", description="'standard': the set in sim/data/uncertainties.toml"
    )
    effect_sizes: bool = Field(True, description="every lever effect size over its schema range")
    all_levers: bool = Field(False, description="every lever over its bounds (global sensitivity)")
    ranges: dict[str, RangeSpec] = Field(
        default_factory=dict, description="scenario path = [low, high], 'documented' or 'calibrated'"
    )


class ExperimentFile(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=80, description="also the results folder")
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


def _scenario_path(entry: str, experiment_path: Path) -> Path:
    """A scenario entry: a .toml path relative to the experiment file, or a shipped scenario's name.

    A name is looked up first in the `scenarios/` folder beside the experiment file's folder
    (a project of one's own), then among the shipped scenarios.
    """
    if entry.endswith(".toml"):
        return experiment_path.parent / entry
    beside = experiment_path.parent.parent / "scenarios" / f"{entry}.toml"
    return beside if beside.is_file() else SCENARIOS_DIR / f"{entry}.toml"


def _load_scenarios(spec: ExperimentFile, path: Path) -> dict[str, Scenario]:
    scenarios = {}
    for entry, label in zip(spec.scenarios, spec.labels(), strict=True):
        file = _scenario_path(entry, path)
        if not file.is_file():
            raise InputError(
                f"{path}: field 'scenarios' names {entry!r}: no scenario file {file} "
                "(give a name in scenarios/ or a .toml path relative to the experiment file)"
            )
        scenarios[label] = load_scenario(file)
    return scenarios


def sampled_parameters(sample: SampleSection, scenario: Scenario, origin: str) -> list[SampledParameter]:
    """Standard uncertainties, effect sizes, levers, then explicit ranges (which win)."""
    base_year = load_scenario_base_year(scenario)
    chosen: dict[str, SampledParameter] = {}
    groups = (
        (sample.uncertainties == "standard", lambda: standard_uncertainties(base_year)),
        (sample.effect_sizes, effect_size_parameters),
        (sample.all_levers, lever_parameters),
    )
    for wanted, parameters in groups:
        if wanted:
            chosen.update((p.name, p) for p in parameters())
    for name, range_spec in sample.ranges.items():
        kind = "lever" if name.startswith("levers.") else "uncertainty"
        try:
            chosen[name] = ranged_parameter(name, range_spec, base_year, kind=kind)
        except ValueError as exc:
            raise InputError(f"{origin}: field 'sample.ranges.\"{name}\"' = {range_spec!r}: {exc}") from None
    return list(chosen.values())


def _check_runs(
    path: Path, scenarios: dict[str, Scenario], parameters: list[SampledParameter], samples: np.ndarray
) -> None:
    """Every run the design will make must be a valid scenario, so a bad file fails before any run.

    The ends of the ranges come first (the clearest message for a range that does not fit);
    then every sampled row, which also catches rules that tie two fields together.
    """
    ends = np.array([[p.low for p in parameters], [p.high for p in parameters]])
    for entry, scenario in scenarios.items():
        raw = scenario.data.model_dump(mode="json")
        base_year = load_scenario_base_year(scenario)
        base_year_file = resolve_base_year_path(scenario.data.world.base_year_file, scenario.directory)
        for row, sampled in enumerate(np.vstack([ends, samples])):
            values = {p.name: p.value(v) for p, v in zip(parameters, sampled, strict=True)}
            what = ("every sampled parameter at its low end", "every sampled parameter at its high end")
            origin = what[row] if row < 2 else f"the sampled values of replication {row - 2}"
            source = f"{path}: scenario {entry!r} with {origin}"
            try:
                data = validate(type(scenario.data), with_values(raw, values, source), source)
                check_base_year(Scenario(data=data, source=source), base_year, base_year_file)
            except InputError as exc:
                raise InputError(f"{exc}\n(narrow that field's range in [sample.ranges])") from None


def check_sampled_paths_are_free(
    origin: str, scenarios: dict[str, Scenario], parameters: list[SampledParameter]
) -> None:
    """A scenario's own setting of a sampled parameter would be silently replaced: refuse it.

    `origin` names what samples them (an experiment file, or the web page's odds) in the message.
    """
    defaults = default_scenario().data.model_dump(mode="json")
    for entry, scenario in scenarios.items():
        settings = scenario.data.model_dump(mode="json")
        for parameter in parameters:
            own, default = value_at(settings, parameter.name), value_at(defaults, parameter.name)
            if own != default:
                raise InputError(
                    f"{origin}: scenario {entry!r} sets '{parameter.name}' = {own!r}, which the experiment "
                    f"samples over [{parameter.low:g}, {parameter.high:g}]: the scenario's value would be "
                    "ignored; remove the parameter from the sample or the setting from the scenario"
                )


def common_targets(origin: str, scenarios: dict[str, Scenario]) -> tuple[tuple[int, float], ...]:
    """The targets every scenario shares: probabilities are of these, so they must agree."""
    targets = {entry: scenario.target_pairs for entry, scenario in scenarios.items()}
    first = next(iter(targets.values()))
    if not first:
        raise InputError(f"{origin}: the scenarios set no [[targets]]: there is no probability to estimate")
    differing = [entry for entry, own in targets.items() if own != first]
    if differing:
        raise InputError(
            f"{origin}: scenarios {differing} have other [[targets]] than {next(iter(targets))!r} ({first}); "
            "an experiment compares scenarios against the same targets"
        )
    return first


def load_experiment(path: Path) -> Experiment:
    """Read and check an experiment file and everything it names; nothing runs yet."""
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
    _check_runs(path, scenarios, parameters, experiment.samples())
    return experiment
