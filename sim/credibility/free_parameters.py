"""The parameters the 2021-24 history informs: one line each, with its prior and its role.

Both calibration methods fit this list (ABC-SMC in sim/credibility/posterior.py, the
method of simulated moments in sim/credibility/msm.py). A parameter's role says what the
forward runs do with the fit:
- "structural": a behavioural constant of the model; forward runs sample its posterior
  (jointly with the other structural ones: particles, not independent marginals);
- "period": a condition of 2021-24 only (the demand environment of those years); the
  hindcast uses its posterior, forward runs replace it with their own prior
  (sim/data/uncertainties.toml), since 2025-30 need not repeat 2021-24.
To fit another parameter, add one line below: its scenario path, prior range (uniform),
role and the reason for the range. Then re-run `python -m sim calibrate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from sim.inputs.errors import validate
from sim.inputs.scenario import Scenario, ScenarioData, apply_overrides

Role = Literal["structural", "period"]


@dataclass(frozen=True)
class FreeParameter:
    """A fitted parameter: uniform prior over [low, high], its role, and why that range.

    `step` is the simulated-moments search's finite-difference step (absolute): wide enough
    to look past the small jumps discrete events make in the moments, narrow enough for
    them to stay near linear; by default a sixteenth of the range.
    """

    path: str
    low: float
    high: float
    role: Role
    why: str
    step: float | None = None

    @property
    def difference_step(self) -> float:
        return self.step if self.step is not None else (self.high - self.low) / 16

    @property
    def start(self) -> float:
        """The schema default: where the simulated-moments search starts."""
        section, name = self.path.split(".")
        block = ScenarioData.model_fields[section].annotation
        assert isinstance(block, type) and issubclass(block, BaseModel)
        return float(block.model_fields[name].default)


FREE_PARAMETERS = (
    FreeParameter(
        "environment.demand_growth_shift",
        -0.08,
        0.08,
        "period",
        "assumption: +-8 points a year around the clusters' base-year trends; the level of the "
        "2021-24 growth path (value-added and output growth)",
    ),
    FreeParameter(
        "innovation.certification_rate",
        0.005,
        0.1,
        "structural",
        "assumption: a quarterly chance of 0.5%-10% (2%-34% of eligible firms a year) around the "
        "schema default of 3%; pinned by the S&T enterprise counts of 2022 and 2024",
        step=0.005,
    ),
)


def scenario_at(base: Scenario, values: dict[str, float]) -> Scenario:
    """The base scenario with the given parameters (scenario path -> value) set."""
    raw = base.data.model_dump()
    overrides = [f"{path}={float(value)!r}" for path, value in values.items()]
    data = validate(ScenarioData, apply_overrides(raw, overrides), base.source)
    return Scenario(data=data, source=base.source, directory=base.directory)
