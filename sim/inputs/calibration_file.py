"""The calibration file's schema (sim/data/calibration.toml); scenarios pick its values up.

`python -m sim calibrate` writes the file (the posterior medians of its ABC-SMC fit;
`--method msm` a simulated-moments point fit). Each fitted parameter has a scope:
- "model": a behavioural parameter; it replaces the schema default in every scenario
  that does not set the field itself (file or --set still win);
- "hindcast": a condition of the calibration period (e.g. the demand environment of
  2021-24); only the hindcast applies it, since the future need not repeat it.
Without the file, scenarios use the schema defaults. Loading it and filling scenarios
with its values is in sim/inputs/scenario.py, which owns the schema the fitted names
must belong to.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.inputs.sections import Section
from sim.paths import DATA_DIR

DEFAULT_CALIBRATION_FILE = DATA_DIR / "calibration.toml"
Scope = Literal["model", "hindcast"]


class FittedParameter(Section):
    """A fitted value, its standard error, and the range batch runs sample around it."""

    value: float
    se: float = Field(ge=0)
    low: float
    high: float
    scope: Scope
    bounds: tuple[float, float]


class Provenance(Section):
    method: str = "method of simulated moments"
    command: str
    date: str
    history_file: str
    moments: list[str]
    loss: str
    replications: int
    evaluations: int
    loss_value: float


class Calibration(Section):
    provenance: Provenance
    fitted: dict[str, FittedParameter]
    moments: dict[str, dict[str, float]] = Field(default_factory=dict)

    def in_scope(self, scope: Scope) -> dict[str, float]:
        """Field path ('section.field') -> fitted value, for one scope."""
        return {path: p.value for path, p in self.fitted.items() if p.scope == scope}
