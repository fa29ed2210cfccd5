"""The one strict base of every input file's blocks, and bounded element types."""

from __future__ import annotations

from typing import Annotated, Any, cast, get_args

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ConfigDict

# Bounded element types for per-tier parameters.
Share = Annotated[float, Ge(0), Le(1)]
Gain = Annotated[float, Ge(0), Le(0.5)]
CostRatio = Annotated[float, Ge(0), Le(2)]


class Section(BaseModel):
    """A strict, immutable block of a file (scenario, base year, experiment, ...): unknown keys are errors.

    Numbers must be finite numbers, booleans true or false: pydantic's lax mode would read
    `"2000"` or `true` as a number and accept `inf` and `nan`, so a typo would run as a
    silently different value. Files are validated as JSON (`sim.inputs.errors.validate`),
    where strict mode still takes an array for a tuple, as TOML writes it.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False
    )


def field_bounds(field: Any) -> tuple[float | None, float | None]:
    """Lower and upper bound of a schema field, or of each item of a tuple field."""
    metadata = list(field.metadata)
    for item_type in get_args(field.annotation):
        metadata += list(get_args(item_type)[1:])
    low = high = None
    for item in metadata:
        if isinstance(item, Ge | Gt):
            low = item.ge if isinstance(item, Ge) else item.gt
        if isinstance(item, Le | Lt):
            high = item.le if isinstance(item, Le) else item.lt
    # annotated_types allows any comparable bound; every bound in these schemas is a number.
    return cast(float | None, low), cast(float | None, high)
