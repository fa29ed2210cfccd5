"""Every parameter of a scenario, walked from the schema, with the range the assumption audit screens.

The audit (experiments/audit.toml, docs/assumptions.md) asks of every number a run depends
on whether it moves the answer. The parameters are found by walking the scenario schema
(every numeric field of every section, each item of a per-tier tuple, each cluster's key
of a per-cluster table, the levers whose status-quo value is an assumption) and the
base-year schema (every figure with a documented range), so a field added tomorrow is
audited with no edit here. A lever at 0 in the status quo is left out: 0 is the plan's
absence (no extra leads, no subsidy, no ceiling), a definition rather than an assumption,
and what a little of the plan does is the plan's effect, which the main experiment
measures on paired runs.

A parameter the experiments sample keeps its sampled range. Every other one gets a
screening range by one rule, an assumption stated in docs/assumptions.md:
- a ranged base-year figure: the range its file documents;
- a non-zero default d: d +- 50%, clipped to the schema's bounds (so the bounds win
  where they are narrower);
- a default of 0: 10% of the schema's span on either side of 0, clipped to the bounds;
- a whole-number field: those ends widened to whole numbers (at least one step each way).
"""

from __future__ import annotations

import math
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from sim.experiments.sampled_parameters import SampledParameter, schema_field
from sim.inputs.base_year import BaseYearData, figure_at, ranged_figures
from sim.inputs.scenario import ScenarioData
from sim.inputs.sections import Section, field_bounds

RELATIVE_HALF_WIDTH = 0.5  # a non-zero default is screened over d +- 50%
ZERO_SPAN_SHARE = 0.1  # a zero default over +-10% of its schema span
NOT_PARAMETERS = ("run",)  # the horizon is the question asked, not an assumption
SCREENING_NOTE = "assumption (screening rule, docs/assumptions.md): "


def scenario_paths(scenario: ScenarioData, base_year: BaseYearData) -> list[str]:
    """Every numeric parameter of a scenario, as the scenario paths experiments sample."""
    figures = set(ranged_figures().values())
    paths: list[str] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            path = f"{prefix}{name}"
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, Section):
                walk(annotation, path + ".")
            elif path.startswith("levers.") and scenario_value(scenario, path) == 0:
                continue  # the plan's absence, not an assumption (module docstring)
            elif path in figures or annotation in (int, float):
                paths.append(path)
            elif get_origin(annotation) is tuple:
                paths.extend(f"{path}.{item}" for item in range(len(get_args(annotation))))
            elif get_origin(annotation) is dict:  # the per-cluster tables, keyed by cluster
                paths.extend(f"{path}.{cluster.key}" for cluster in base_year.clusters)
            elif _is_numeric(annotation):
                raise TypeError(f"{path}: a numeric field the audit does not know how to walk ({annotation})")

    for name, field in ScenarioData.model_fields.items():
        annotation = field.annotation
        if name not in NOT_PARAMETERS and isinstance(annotation, type) and issubclass(annotation, Section):
            walk(annotation, name + ".")
    return paths


def _is_numeric(annotation: Any) -> bool:
    return annotation in (int, float) or any(_is_numeric(arg) for arg in get_args(annotation))


def scenario_value(scenario: ScenarioData, path: str) -> float:
    """A parameter's value in the scenario (a per-cluster table's missing key is 0)."""
    node: Any = scenario
    for part in path.split("."):
        if isinstance(node, BaseModel):
            node = getattr(node, part)
        elif isinstance(node, dict):
            node = node.get(part, 0.0)
        else:
            node = node[int(part)]
    return float(node)


def screening_range(
    default: float, low_bound: float | None, high_bound: float | None, integer: bool
) -> tuple[float, float]:
    """The audit's range for a fixed parameter (the rule of the module docstring)."""
    if default != 0:
        half = RELATIVE_HALF_WIDTH * abs(default)
    elif low_bound is not None and high_bound is not None:
        half = ZERO_SPAN_SHARE * (high_bound - low_bound)
    else:
        raise ValueError("a default of 0 needs both schema bounds to set a screening range")
    low, high = default - half, default + half
    if integer:
        low, high = min(math.floor(low), default - 1), max(math.ceil(high), default + 1)
    low = low if low_bound is None else max(low, low_bound)
    high = high if high_bound is None else min(high, high_bound)
    return _tidy(low), _tidy(high)


def _tidy(value: float) -> float:
    """A range end without the binary noise of d x 1.5 (0.44999999999999996 -> 0.45)."""
    return float(f"{value:.12g}")


def screened_parameter(path: str, scenario: ScenarioData, base_year: BaseYearData) -> SampledParameter:
    """A fixed parameter over its screening range, with the rule (or the figure's source) as its note."""
    figures = {scenario_path: figure for figure, scenario_path in ranged_figures().items()}
    if path in figures:
        figure = figure_at(base_year, figures[path])
        note = f"range documented in the base-year file; {figure.source}"
        return SampledParameter(path, figure.low, figure.high, "screened", note)
    field = schema_field(path)
    if field is None:
        raise ValueError(f"{path}: not a scenario parameter")
    low_bound, high_bound = field_bounds(field)
    integer = field.annotation is int
    low, high = screening_range(scenario_value(scenario, path), low_bound, high_bound, integer)
    rule = "0 +- 10% of the schema span" if scenario_value(scenario, path) == 0 else "default +- 50%"
    rule += ", within the schema bounds"
    source = field.description or ""
    return SampledParameter(
        path, float(low), float(high), "screened", f"{SCREENING_NOTE}{rule}; {source}", integer
    )


def screened_parameters(scenario: ScenarioData, base_year: BaseYearData) -> dict[str, SampledParameter]:
    """Every parameter of the scenario over its screening range, by path."""
    return {
        path: screened_parameter(path, scenario, base_year) for path in scenario_paths(scenario, base_year)
    }
