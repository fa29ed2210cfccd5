"""One error type for bad input files, so every loader reports file, field, value and rule."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError


class InputError(ValueError):
    """A user-supplied file or option is invalid; the message says where and what is allowed."""


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def describe_validation_error(source: str, error: ValidationError) -> str:
    """Render pydantic errors as 'source: field 'a.b' = value: rule' lines."""
    lines = []
    for item in error.errors(include_url=False):
        field = _field_path(item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown field '{field}' (not in the schema; check the spelling)")
            continue
        if item["type"] == "missing" and item["loc"] and isinstance(item["loc"][-1], int):
            parent = _field_path(item["loc"][:-1])
            lines.append(f"{source}: field '{parent}' has too few items (item {item['loc'][-1]} is missing)")
            continue
        if item["type"] == "missing":
            lines.append(f"{source}: field '{field}' is required but missing")
            continue
        message = item["msg"].removeprefix("Value error, ")
        if not item["loc"]:
            lines.append(f"{source}: {message}")
            continue
        value = item.get("input")
        shown = repr(value) if not isinstance(value, dict) else "{...}"
        lines.append(f"{source}: field '{field}' = {shown}: {message}")
    return "\n".join(lines)


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning I/O and syntax problems into an InputError naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read as a file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None


def validate[M: BaseModel](model: type[M], data: dict[str, Any], source: str) -> M:
    """Validate data against a pydantic model, raising an InputError that names the source."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(source, exc)) from None
