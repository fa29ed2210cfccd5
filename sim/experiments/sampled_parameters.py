"""What an experiment samples: uncertain parameters (X) and, for sensitivity, the levers (L).

Each sampled parameter is a scenario path with a range. Ranges come from one place: an
effect size's or lever's schema bounds (sim/inputs/levers.py, sim/inputs/scenario.py), the base-year
file's documented range for the 2024 output base, or an explicit range in the experiment
file. Nothing here is re-typed from the schema. The calibrated posterior's structural
parameters are one dimension of the design (PosteriorDraw): it picks a whole particle,
so their correlation is kept and any design (LHS, Sobol, Morris) stays valid
(sim/experiments/posterior_sampling.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args, get_origin

import numpy as np
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from sim.inputs.base_year import BaseYearData, figure_at, ranged_figures
from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.levers import lever_info, plans
from sim.inputs.posterior_file import DEFAULT_POSTERIOR_FILE
from sim.inputs.scenario import ScenarioData, load_calibration
from sim.inputs.sections import Section, field_bounds
from sim.paths import DATA_DIR

Kind = Literal["uncertainty", "lever", "screened"]  # screened: fixed in use, varied by the audit
OUTPUT_BASE = "world.gross_output_yi"
STANDARD_FILE = DATA_DIR / "uncertainties.toml"


@dataclass(frozen=True)
class SampledParameter:
    """A scenario path sampled over [low, high]; integer ones are rounded when applied."""

    name: str
    low: float
    high: float
    kind: Kind
    note: str
    integer: bool = False

    def value(self, sampled: float) -> float | int:
        """The value a run uses: within the range (designs' arithmetic can overshoot an end by a
        rounding error) and whole for integer fields."""
        inside = min(max(float(sampled), self.low), self.high)
        return round(inside) if self.integer else inside

    def scenario_paths(self) -> tuple[str, ...]:
        """The scenario fields a run sets from this parameter."""
        return (self.name,)

    def assignments(self, sampled: float) -> dict[str, float | int]:
        """Scenario path -> value, for a run whose design row holds `sampled` here."""
        return {self.name: self.value(sampled)}


def scenario_values(
    parameters: Sequence[SampledParameter], row: Sequence[float] | np.ndarray
) -> dict[str, float | int]:
    """Scenario path -> value of one design row: the one place a row becomes a run's settings.

    Later parameters win where two set the same path (an experiment's explicit range over
    the posterior's draw).
    """
    values: dict[str, float | int] = {}
    for parameter, sampled in zip(parameters, row, strict=True):
        values.update(parameter.assignments(sampled))
    return values


def schema_field(path: str) -> FieldInfo | None:
    """The pydantic field a scenario path names (a table field for 'section.table.key'), or None."""
    model: type[BaseModel] = ScenarioData
    parts = path.split(".")
    for index, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation  # a section or block: the next part names one of its fields
            continue
        if index == len(parts) - 1:
            return field
        # A plain field before the end: only a table's field followed by one key, or a tuple's
        # field followed by an item number, names it.
        if index != len(parts) - 2:
            return None
        is_item = (
            get_origin(annotation) is tuple
            and parts[-1].isdigit()
            and int(parts[-1]) < len(get_args(annotation))
        )
        return field if get_origin(annotation) is dict or is_item else None
    return None  # the path ends at a section or block, not a field


def effect_size_parameters() -> list[SampledParameter]:
    """Every lever's effect sizes, each once, over its documented schema range."""
    paths = dict.fromkeys(
        path
        for plan in plans().values()
        for field in plan.model_fields.values()
        for path in lever_info(field)["effects"]
    )
    return [_from_schema(path, "uncertainty", "effect size; range from its schema bounds") for path in paths]


def lever_parameters() -> list[SampledParameter]:
    """Every lever over its bounds (for global sensitivity to the plan's settings)."""
    return [
        _from_schema(
            f"levers.{plan_key}.{name}", "lever", "lever; range = its bounds in sim/inputs/levers.py"
        )
        for plan_key, plan in plans().items()
        for name in plan.model_fields
    ]


def _from_schema(path: str, kind: Kind, note: str) -> SampledParameter:
    field = schema_field(path)
    low, high = field_bounds(field) if field is not None else (None, None)
    if low is None or high is None:
        raise ValueError(f"{path}: not a scenario field with a lower and an upper bound")
    return SampledParameter(path, float(low), float(high), kind, note, integer=is_integer(path))


RangeSpec = tuple[float, float] | Literal["documented", "calibrated"]


def resolve_range(path: str, spec: RangeSpec, base_year: BaseYearData) -> tuple[float, float, str]:
    """Low, high and where they come from, for an explicit, documented or calibrated range."""
    if spec == "calibrated":
        calibration = load_calibration()
        fitted = calibration.fitted.get(path) if calibration else None
        if fitted is None:
            raise ValueError("is not a calibrated parameter (sim/data/calibration.toml)")
        return fitted.low, fitted.high, "calibrated value +- 2 s.e."
    if spec == "documented":
        if path == OUTPUT_BASE:
            figure = base_year.output.gross_output_yi
            return figure.low, figure.high, "range documented in the base-year file"
        figures = {scenario_path: figure for figure, scenario_path in ranged_figures().items()}
        if path in figures:
            ranged = figure_at(base_year, figures[path])
            return ranged.low, ranged.high, f"range documented in the base-year file; {ranged.source}"
        field = schema_field(path)
        low, high = field_bounds(field) if field is not None else (None, None)
        if low is None or high is None:
            raise ValueError("has no documented range: give [low, high]")
        return float(low), float(high), "range = its schema bounds"
    low, high = spec
    if not low < high:
        raise ValueError(f"low {low:g} must be below high {high:g}")
    return float(low), float(high), "range given in the experiment"


def ranged_parameter(
    path: str, spec: RangeSpec, base_year: BaseYearData, note: str = "", kind: Kind = "uncertainty"
) -> SampledParameter:
    """A sampled parameter from a range spec; raises ValueError naming what is wrong."""
    if schema_field(path) is None:
        raise ValueError("is not a scenario parameter (see docs/parameters.md and docs/levers.md)")
    low, high, origin = resolve_range(path, spec, base_year)
    return SampledParameter(path, low, high, kind, note or origin, integer=is_integer(path))


class _StandardEntry(Section):
    range: RangeSpec
    note: str = Field(min_length=3)


class _PosteriorEntry(Section):
    sample: Literal["structural"]


class _StandardFile(Section):
    posterior: _PosteriorEntry | None = None
    parameters: dict[str, _StandardEntry]


def standard_uncertainties(
    base_year: BaseYearData, path: Path = STANDARD_FILE, posterior_file: Path = DEFAULT_POSTERIOR_FILE
) -> list[SampledParameter]:
    """The standard uncertain parameters of sim/data/uncertainties.toml, the posterior's draw first.

    A period-specific parameter of the posterior (a condition of 2021-24) needs its own
    forward prior in the file; a structural one must not have one (the posterior samples it).
    """
    standard = validate(_StandardFile, read_toml(path), str(path))
    parameters: list[SampledParameter] = []
    if standard.posterior is not None:
        from sim.experiments.posterior_sampling import posterior_uncertainties

        parameters += posterior_uncertainties(set(standard.parameters), path, posterior_file)
    for name, entry in standard.parameters.items():
        try:
            parameters.append(ranged_parameter(name, entry.range, base_year, entry.note))
        except ValueError as exc:
            raise InputError(f"{path}: parameter '{name}': {exc}") from None
    return parameters


def is_integer(path: str) -> bool:
    field = schema_field(path)
    return field is not None and field.annotation is int
