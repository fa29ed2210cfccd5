"""Dazu's reported industrial history (sim/data/history.toml): what the hindcast is judged by.

Every figure carries its source; a tolerance, where given, makes the figure a test of the
hindcast. The file is validated on load like every other input.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ConfigDict, Field, model_validator

from sim.inputs.base_year import Figure
from sim.inputs.errors import read_toml, validate
from sim.inputs.sections import Section
from sim.paths import DATA_DIR

DEFAULT_HISTORY_FILE = DATA_DIR / "history.toml"

# What the model can be compared on (computed in sim/credibility/hindcast.py).
INDICATORS = (
    "above_scale_output_yi",
    "above_scale_output_growth",
    "value_added_growth",
    "mean_value_added_growth",
    "above_scale_firms",
    "strategic_emerging_share",
    "tech_enterprises",
    "tech_enterprise_growth",
)
PERIOD_INDICATORS = ("mean_value_added_growth", "tech_enterprise_growth")


class Observation(Section):
    """One reported figure, for one year or (period indicators) from first_year to year."""

    indicator: str
    year: int = Field(ge=2000, le=2030)
    first_year: int | None = Field(None, ge=2000, le=2030)
    value: float
    tolerance: float | None = Field(None, gt=0)
    source: str = Field(min_length=3)
    note: str = ""

    @model_validator(mode="after")
    def _known(self) -> Observation:
        if self.indicator not in INDICATORS:
            raise ValueError(f"indicator '{self.indicator}' is not one of {', '.join(INDICATORS)}")
        if (self.first_year is not None) != (self.indicator in PERIOD_INDICATORS):
            raise ValueError(f"first_year is needed exactly for the period indicators {PERIOD_INDICATORS}")
        if self.first_year is not None and self.first_year >= self.year:
            raise ValueError(f"first_year {self.first_year} must be before year {self.year}")
        return self

    @property
    def label(self) -> str:
        """Years as printed: '2023' or '2021-2024'."""
        return str(self.year) if self.first_year is None else f"{self.first_year}-{self.year}"


class StrategicEmergingWeights(Section):
    model_config = ConfigDict(extra="allow", frozen=True)

    source: str = Field(min_length=3)

    def weights(self) -> dict[str, float]:
        """Cluster key -> share of its output counted as strategic emerging industry."""
        return {key: float(value) for key, value in (self.model_extra or {}).items()}


class LevelBreak(Section):
    """The break in the output level between the hindcast's base year and the forward base year.

    The forward runs start from `base_year_file`'s level, which the reported growth since
    the history's base year does not reach: the series was revised (or output fell) in
    between. Levels on either side are not comparable; growth rates on a comparable basis
    (可比口径) and counts are, so the hindcast is judged on those.
    """

    last_year: int = Field(ge=2000, le=2030)
    base_year_file: str
    reading: str = Field(min_length=3)


class History(Section):
    """The whole history file."""

    base_year: int
    tech_enterprises_industrial_share: Figure
    strategic_emerging_weights: StrategicEmergingWeights
    level_break: LevelBreak | None = None
    observations: list[Observation] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_are_shares(self) -> History:
        for key, weight in self.strategic_emerging_weights.weights().items():
            if not 0 <= weight <= 1:
                raise ValueError(f"strategic_emerging_weights.{key} = {weight}: must lie in [0, 1]")
        return self

    def reported(self, observation: Observation) -> float:
        """A reported figure on the model's footing (S&T counts scaled to industrial firms)."""
        if observation.indicator == "tech_enterprises":
            return observation.value * self.tech_enterprises_industrial_share.value
        return observation.value


def load_history(path: Path = DEFAULT_HISTORY_FILE) -> History:
    """Load and validate the reported history."""
    return validate(History, read_toml(path), str(path))
