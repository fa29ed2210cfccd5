"""The levers a search moves, each within its bounds or a narrower range the search file gives.

Bounds come from the lever schema (sim/inputs/levers.py), never re-typed. A range the file
gives must lie within them; an integer lever's range must have whole ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from optuna.distributions import BaseDistribution, FloatDistribution, IntDistribution

from sim.experiments.sampled_parameters import is_integer, schema_field
from sim.inputs.levers import lever_paths
from sim.inputs.sections import field_bounds


@dataclass(frozen=True)
class SearchedLever:
    """A lever path and the range the search may set it to."""

    path: str
    low: float
    high: float
    integer: bool

    def distribution(self) -> BaseDistribution:
        """The optimiser's view of the range."""
        if self.integer:
            return IntDistribution(int(self.low), int(self.high))
        return FloatDistribution(self.low, self.high)

    def value(self, suggested: float) -> float | int:
        return int(suggested) if self.integer else float(suggested)


def lever_bounds(path: str) -> tuple[float, float]:
    field = schema_field(path)
    low, high = field_bounds(field) if field is not None else (None, None)
    if low is None or high is None:  # every lever has both (sim/inputs/levers.py: lever())
        raise ValueError(f"{path}: a lever without bounds")
    return float(low), float(high)


def searched_levers(names: list[str] | None, ranges: dict[str, tuple[float, float]]) -> list[SearchedLever]:
    """The levers to search (every lever when `names` is None), in plan order.

    Raises ValueError naming the field, the value and the rule; the caller adds the file.
    """
    every = lever_paths()
    chosen = every if names is None else names
    for name in chosen:
        if name not in every:
            raise ValueError(
                f"field 'levers' names {name!r}: not a lever (`python -m sim levers` lists them, "
                "e.g. 'levers.attraction.extra_leads_per_year')"
            )
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"field 'levers' names a lever twice: {chosen}")
    levers = []
    for path in [p for p in every if p in chosen]:
        low, high = lever_bounds(path)
        integer = is_integer(path)
        if path in ranges:
            own_low, own_high = ranges[path]
            field = f"field 'lever_ranges.\"{path}\"' = [{own_low:g}, {own_high:g}]"
            if not own_low < own_high:
                raise ValueError(f"{field}: low must be below high")
            if own_low < low or own_high > high:
                raise ValueError(f"{field}: must lie within the lever's bounds [{low:g}, {high:g}]")
            if integer and (own_low != int(own_low) or own_high != int(own_high)):
                raise ValueError(f"{field}: the lever is a whole number, so both ends must be")
            low, high = float(own_low), float(own_high)
        levers.append(SearchedLever(path, low, high, integer))
    unsearched = sorted(set(ranges) - set(chosen))
    if unsearched:
        raise ValueError(
            f"field 'lever_ranges' gives a range for {unsearched[0]!r}, which field 'levers' does not "
            "search: add it to 'levers' or remove the range"
        )
    return levers
