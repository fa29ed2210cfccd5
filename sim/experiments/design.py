"""What a batch of runs samples, shared by experiment files, the web page's odds and searches.

The sample section of a file, the sampled parameters it names (standard uncertainties,
effect sizes, levers, explicit ranges), and the checks that every scenario leaves those
parameters free and shares one set of targets.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.experiments.sampled_parameters import (
    Kind,
    RangeSpec,
    SampledParameter,
    effect_size_parameters,
    lever_parameters,
    ranged_parameter,
    standard_uncertainties,
)
from sim.experiments.screening import screened_parameters
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.errors import InputError
from sim.inputs.scenario import Scenario, default_scenario, value_at
from sim.inputs.sections import Section


class SampleSection(Section):
    """What the experiment samples: the standard uncertainties, effect sizes, levers, extra ranges."""

    uncertainties: Literal["standard", "none"] = Field(
        "standard", description="'standard': the set in sim/data/uncertainties.toml"
    )
    effect_sizes: bool = Field(True, description="every lever effect size over its schema range")
    all_levers: bool = Field(False, description="every lever over its bounds (global sensitivity)")
    ranges: dict[str, RangeSpec] = Field(
        default_factory=dict, description="scenario path = [low, high], 'documented' or 'calibrated'"
    )
    screen: Literal["all", "none"] | list[str] = Field(
        "none",
        description="the assumption audit: every other parameter ('all', or these scenario paths) over its "
        "screening range (sim/experiments/screening.py)",
    )


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
        kind: Kind = "lever" if name.startswith("levers.") else "uncertainty"
        try:
            chosen[name] = ranged_parameter(name, range_spec, base_year, kind=kind)
        except ValueError as exc:
            raise InputError(f"{origin}: field 'sample.ranges.\"{name}\"' = {range_spec!r}: {exc}") from None
    if sample.screen != "none":
        screened = screened_parameters(scenario.data, base_year)
        paths = list(screened) if sample.screen == "all" else sample.screen
        unknown = [name for name in paths if name not in screened]
        if unknown:
            raise InputError(
                f"{origin}: field 'sample.screen' names {unknown}: not parameters of the scenario "
                "(see docs/assumptions.md for every parameter's path)"
            )
        for name in paths:
            chosen.setdefault(name, screened[name])  # a sampled parameter keeps its sampled range
    return list(chosen.values())


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
            for path in parameter.scenario_paths():
                own, default = value_at(settings, path), value_at(defaults, path)
                if own != default:
                    raise InputError(
                        f"{origin}: scenario {entry!r} sets '{path}' = {own!r}, which the experiment "
                        f"samples ({parameter.note}): the scenario's value would be ignored; remove the "
                        "parameter from the sample or the setting from the scenario"
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
