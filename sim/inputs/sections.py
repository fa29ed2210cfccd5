"""The one strict base of every input file's blocks, and bounded element types."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, cast, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

# Bounded element types for per-tier parameters.
Share = Annotated[float, Ge(0), Le(1)]
Gain = Annotated[float, Ge(0), Le(0.5)]
CostRatio = Annotated[float, Ge(0), Le(2)]


class Section(BaseModel):
    """A strict, immutable block of a file (scenario, base year, experiment, ...): unknown keys are errors.

    Numbers must be finite numbers: pydantic's lax mode would read `"2000"` or `true` as a
    number and accept `inf` and `nan`, so a typo would run as a silently different value.
    (Pydantic's strict mode would also refuse TOML's arrays for tuple fields.)
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None:
            problem = kind_problem(cls.model_fields[info.field_name].annotation, value)
            if problem is not None:
                raise ValueError(problem)
        return value


def kind_problem(annotation: Any, value: Any) -> str | None:
    """Why `value` is not of the kind `annotation` wants where lax validation would convert it.

    A string or a boolean where a number is expected, anything but true/false where a
    boolean is; inside tuples, lists and tables too. None when the kind is right (pydantic
    checks everything else).
    """
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return kind_problem(args[0], value)
    if origin in (Union, types.UnionType):
        options = [kind_problem(option, value) for option in args if option is not type(None)]
        return None if value is None or None in options else options[0]
    if annotation is bool:
        return None if isinstance(value, bool) else "must be true or false"
    if annotation in (int, float):
        if isinstance(value, bool):
            return "must be a number, not true or false"
        return "must be a number, not a string" if isinstance(value, str) else None
    if origin in (tuple, list) and isinstance(value, list | tuple):
        repeated = origin is list or (len(args) == 2 and args[1] is Ellipsis)
        item_types = [args[0]] * len(value) if repeated else list(args)
        for index, (item_type, item) in enumerate(zip(item_types, value, strict=False)):
            problem = kind_problem(item_type, item)
            if problem is not None:
                return f"item {index} {problem}"
    if origin is dict and isinstance(value, dict):
        for key, item in value.items():
            problem = kind_problem(args[1], item)
            if problem is not None:
                return f"entry {key!r} {problem}"
    return None


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
