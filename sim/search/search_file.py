"""Search files: which levers to search, for which objectives and constraints, on how many futures.

Everything is checked before any run: the scenarios load and share their targets, every
lever exists and every range fits its bounds, the objectives and constraints name targets
the scenarios have, and candidates at the corners of the lever ranges are valid scenarios
on every search and verification future. A bad file fails at once with the file, the
field, the value and the rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from sim.experiments.design import (
    SampleSection,
    check_sampled_paths_are_free,
    common_targets,
    sampled_parameters,
)
from sim.experiments.experiment_file import check_runs, scenario_path
from sim.experiments.run_spec import ScenarioSpec
from sim.experiments.sampled_parameters import SampledParameter
from sim.inputs.base_year import resolve_base_year_path
from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.scenario import Scenario, ScenarioData, load_scenario, read_scenario_tree, with_values
from sim.inputs.sections import Section
from sim.paths import DATA_DIR
from sim.search.futures import Futures, search_futures, verification_futures
from sim.search.searched_levers import SearchedLever, searched_levers

COST = "net_fiscal_cost"  # the objective minimised; the others are "probability_<target year>"
Optimiser = Literal["nsga2", "tpe"]


class Constraints(Section):
    """What a candidate must satisfy (on the search futures) to count as feasible."""

    yearly_budget_yi: float | None = Field(
        None, gt=0, description="ceiling on the mean net fiscal cost of every year 2025-2030, 亿元"
    )
    min_probability: dict[int, float] = Field(
        default_factory=dict, description="target year = the least P(target met) a mix must reach"
    )


class SearchFile(Section):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=80, description="also the results folder")
    description: str = ""
    base: str = Field("baseline", description="scenario whose levers the search sets; the rest stays")
    references: list[str] = Field(
        default_factory=lambda: ["baseline", "all_plans"],
        min_length=1,
        description="run on the same futures, marked on the frontier; the first is the status quo",
    )
    levers: Literal["all"] | list[str] = Field("all", description="'all' or lever paths")
    lever_ranges: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="narrower ranges, within each lever's bounds"
    )
    objectives: list[str] = Field(description=f"'{COST}' (minimised) and 'probability_<year>' (maximised)")
    constraints: Constraints = Constraints()
    futures: int = Field(ge=2, le=100_000, description="futures every candidate runs on")
    verification_futures: int = Field(ge=2, le=100_000, description="fresh futures for the frontier")
    candidates: int = Field(ge=2, le=1_000_000, description="candidates the optimiser proposes in all")
    population: int = Field(ge=2, le=10_000, description="candidates proposed and evaluated together")
    optimiser: Optimiser = Field("tpe", description="'tpe' (multivariate) or 'nsga2'")
    root_seed: int = Field(ge=0, description="futures, verification futures and proposals derive from it")
    stated_probabilities: list[float] = Field(
        default_factory=lambda: [0.5, 0.8], description="the report answers what it takes to reach each"
    )
    sample: SampleSection = SampleSection()

    @model_validator(mode="after")
    def _consistent(self) -> SearchFile:
        if not self.objectives:
            raise ValueError(
                f"field 'objectives' = []: name at least one objective ('{COST}' and/or 'probability_<year>')"
            )
        if len(set(self.objectives)) != len(self.objectives):
            raise ValueError(f"field 'objectives' = {self.objectives}: names an objective twice")
        if self.candidates % self.population:
            raise ValueError(
                f"field 'candidates' = {self.candidates}: must be a multiple of 'population' = "
                f"{self.population} (the optimiser proposes whole generations)"
            )
        if self.sample.all_levers:
            raise ValueError(
                "field 'sample.all_levers' = true: a search sets the levers itself; sample uncertainties only"
            )
        for year, probability in self.constraints.min_probability.items():
            if not 0 < probability <= 1:
                raise ValueError(
                    f"field 'constraints.min_probability.{year}' = {probability}: impossible; "
                    "a probability lies in (0, 1]"
                )
        for probability in self.stated_probabilities:
            if not 0 < probability <= 1:
                raise ValueError(
                    f"field 'stated_probabilities' = {self.stated_probabilities}: "
                    f"{probability} is not in (0, 1]"
                )
        return self


@dataclass(frozen=True)
class Objective:
    """One objective: the net fiscal cost (minimised) or the probability of one target (maximised)."""

    name: str
    year: int | None  # None for the cost

    @property
    def direction(self) -> Literal["minimize", "maximize"]:
        return "minimize" if self.year is None else "maximize"


@dataclass(frozen=True)
class Search:
    """A validated search: its scenarios as data, levers, objectives, constraints and futures."""

    name: str
    description: str
    path: Path
    file_hash: str
    base: ScenarioSpec
    base_raw: dict[str, Any]  # the base scenario's file tree, for writing recommended mixes
    references: dict[str, ScenarioSpec]
    levers: tuple[SearchedLever, ...]
    objectives: tuple[Objective, ...]
    yearly_budget_yi: float | None
    min_probability: dict[int, float]
    parameters: tuple[SampledParameter, ...]
    targets: tuple[tuple[int, float], ...]
    futures: Futures
    verification: Futures
    candidates: int
    population: int
    optimiser: Optimiser
    root_seed: int
    stated_probabilities: tuple[float, ...]

    @property
    def generations(self) -> int:
        return self.candidates // self.population

    @property
    def status_quo(self) -> str:
        return next(iter(self.references))


def _file(entry: str, path: Path, field: str) -> Path:
    file = scenario_path(entry, path)
    if not file.is_file():
        raise InputError(
            f"{path}: field '{field}' names {entry!r}: no scenario file {file} "
            "(give a name in scenarios/ or a .toml path relative to the search file)"
        )
    return file


def _file_tree(file: Path) -> dict[str, Any]:
    """A scenario file with the files it extends merged in, its base-year file findable from anywhere."""
    raw, _ = read_scenario_tree(file)
    world = raw.setdefault("world", {})
    name = world.get("base_year_file")
    if isinstance(name, str) and not (DATA_DIR / name).is_file():
        world["base_year_file"] = str(resolve_base_year_path(name, file.parent).resolve())
    return raw


def _objectives(names: list[str], years: list[int], path: Path) -> tuple[Objective, ...]:
    allowed = [COST, *(f"probability_{year}" for year in years)]
    objectives = []
    for name in names:
        if name not in allowed:
            raise InputError(
                f"{path}: field 'objectives' names {name!r}: not an objective; allowed: {', '.join(allowed)} "
                "(the probabilities are of the scenarios' [[targets]])"
            )
        objectives.append(Objective(name, None if name == COST else int(name.removeprefix("probability_"))))
    return tuple(objectives)


def _check_corners(path: Path, base: Scenario, levers: list[SearchedLever]) -> None:
    """Every mix the search may propose must be a valid scenario: refuse ranges that allow an invalid one.

    Checked at all levers low, all high, and each lever at one end with the others at the
    other end, which catches a rule tying two levers together (a tariff needs a ceiling).
    """
    raw = base.data.model_dump(mode="json")
    low = {lever.path: lever.value(lever.low) for lever in levers}
    high = {lever.path: lever.value(lever.high) for lever in levers}
    corners = [("every searched lever at its low end", low), ("every searched lever at its high end", high)]
    for lever in levers:
        corners.append((f"'{lever.path}' high, the others low", low | {lever.path: high[lever.path]}))
        corners.append((f"'{lever.path}' low, the others high", high | {lever.path: low[lever.path]}))
    for what, values in corners:
        source = f"{path}: a candidate with {what}"
        try:
            validate(ScenarioData, with_values(raw, values, source), source)
        except InputError as exc:
            raise InputError(f"{exc}\n(narrow the lever's range in [lever_ranges])") from None


def load_search(path: Path) -> Search:
    """Read and check a search file and everything it names; nothing runs yet."""
    path = Path(path)
    spec = validate(SearchFile, read_toml(path), str(path))
    base_file = _file(spec.base, path, "base")
    base = load_scenario(base_file)
    references = {
        Path(entry).stem: load_scenario(_file(entry, path, "references")) for entry in spec.references
    }
    if len(references) != len(spec.references):
        raise InputError(f"{path}: field 'references' = {spec.references}: names a scenario twice")
    scenarios = {"base": base, **references}
    targets = common_targets(str(path), scenarios)
    try:
        levers = searched_levers(None if spec.levers == "all" else spec.levers, spec.lever_ranges)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    years = [year for year, _ in targets]
    objectives = _objectives(spec.objectives, years, path)
    for year in spec.constraints.min_probability:
        if year not in years:
            raise InputError(
                f"{path}: field 'constraints.min_probability.{year}': impossible; the scenarios have no "
                f"target in {year} (their targets are in {', '.join(map(str, years))})"
            )
    parameters = sampled_parameters(spec.sample, base, str(path))
    searched = {lever.path for lever in levers}
    clash = [p.name for p in parameters if p.name in searched]
    if clash:
        raise InputError(
            f"{path}: field 'sample.ranges' samples {clash[0]!r}, which the search sets: a lever is either "
            "searched or sampled"
        )
    check_sampled_paths_are_free(str(path), scenarios, parameters)
    futures = search_futures(spec.root_seed, parameters, spec.futures)
    verification = verification_futures(spec.root_seed, parameters, spec.verification_futures, futures)
    _check_corners(path, base, levers)
    check_runs(
        path, scenarios, parameters, np.vstack([futures.samples, verification.samples]), show_progress=False
    )
    return Search(
        name=spec.name,
        description=spec.description,
        path=path,
        file_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
        base=ScenarioSpec.of(base),
        base_raw=_file_tree(base_file),
        references={entry: ScenarioSpec.of(s) for entry, s in references.items()},
        levers=tuple(levers),
        objectives=objectives,
        yearly_budget_yi=spec.constraints.yearly_budget_yi,
        min_probability=dict(spec.constraints.min_probability),
        parameters=tuple(parameters),
        targets=targets,
        futures=futures,
        verification=verification,
        candidates=spec.candidates,
        population=spec.population,
        optimiser=spec.optimiser,
        root_seed=spec.root_seed,
        stated_probabilities=tuple(sorted(spec.stated_probabilities)),
    )
