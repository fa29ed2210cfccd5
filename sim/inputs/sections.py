"""The base of every scenario section: strict, immutable, bounded parameters."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict

# Bounded element types for per-tier parameters.
Share = Annotated[float, Ge(0), Le(1)]
Gain = Annotated[float, Ge(0), Le(0.5)]
CostRatio = Annotated[float, Ge(0), Le(2)]


class Section(BaseModel):
    """A strict, immutable block of parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
