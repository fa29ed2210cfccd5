"""Calibrated parameter values (sim/data/calibration.toml) and how scenarios pick them up.

`python -m sim calibrate` writes the file. Each fitted parameter has a scope:
- "model": a behavioural parameter; it replaces the schema default in every scenario
  that does not set the field itself (file or --set still win);
- "hindcast": a condition of the calibration period (e.g. the demand environment of
  2021-24); only the hindcast applies it, since the future need not repeat it.
Without the file, scenarios use the schema defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.inputs.errors import InputError, read_toml, validate
from sim.paths import DATA_DIR

DEFAULT_CALIBRATION_FILE = DATA_DIR / "calibration.toml"
Scope = Literal["model", "hindcast"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FittedParameter(_Strict):
    """A fitted value, its standard error, and the range batch runs sample around it."""

    value: float
    se: float = Field(ge=0)
    low: float
    high: float
    scope: Scope
    bounds: tuple[float, float]


class Provenance(_Strict):
    command: str
    date: str
    history_file: str
    moments: list[str]
    loss: str
    replications: int
    evaluations: int
    loss_value: float


class Calibration(_Strict):
    provenance: Provenance
    fitted: dict[str, FittedParameter]
    moments: dict[str, dict[str, float]] = Field(default_factory=dict)

    def in_scope(self, scope: Scope) -> dict[str, float]:
        """Field path ('section.field') -> fitted value, for one scope."""
        return {path: p.value for path, p in self.fitted.items() if p.scope == scope}


def load_calibration(path: Path = DEFAULT_CALIBRATION_FILE) -> Calibration | None:
    """The calibration file, or None when there is none (schema defaults apply)."""
    if not path.is_file():
        return None
    calibration = validate(Calibration, read_toml(path), str(path))
    for field_path in calibration.fitted:
        _check_field(field_path, path)
    return calibration


def _check_field(field_path: str, path: Path) -> None:
    """A fitted parameter must be a field of the scenario schema (it may have been renamed)."""
    from sim.inputs.scenario import ScenarioData  # the schema imports this module to apply the values

    section, _, name = field_path.partition(".")
    block = ScenarioData.model_fields.get(section)
    fields = getattr(block.annotation, "model_fields", {}) if block is not None else {}
    if name not in fields:
        raise InputError(
            f"{path}: field 'fitted.\"{field_path}\"': not a scenario parameter (section.field of "
            f"sim/inputs/scenario.py); re-run python -m sim calibrate or delete the file"
        )


def calibrated_values(scope: Scope = "model", path: Path = DEFAULT_CALIBRATION_FILE) -> dict[str, float]:
    """Fitted values of one scope; empty without a calibration file."""
    calibration = load_calibration(path)
    return {} if calibration is None else calibration.in_scope(scope)


def with_calibrated_defaults(
    raw: dict[str, Any], scope: Scope = "model", path: Path = DEFAULT_CALIBRATION_FILE
) -> dict[str, Any]:
    """Raw scenario data with fitted values filled in wherever the scenario is silent."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in raw.items()}
    for field_path, value in calibrated_values(scope, path).items():
        section, name = field_path.split(".")
        block = merged.setdefault(section, {})
        if isinstance(block, dict):
            block.setdefault(name, value)
    return merged
