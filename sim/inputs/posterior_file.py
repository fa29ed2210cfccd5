"""The calibrated posterior's schema (sim/data/posterior.toml): weighted particles of the free parameters.

`python -m sim calibrate` writes the file (ABC-SMC on the 2021-24 moments); experiments
read it (`[sample] uncertainties = "standard"` draws whole particles of its structural
parameters, so their correlation is kept). Each parameter's role:
- "structural": carried forward; experiments sample its posterior;
- "period": a condition of 2021-24 (the demand environment of those years); only the
  hindcast is judged with it, forward runs replace it with their own prior
  (sim/data/uncertainties.toml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.scenario import ScenarioData
from sim.inputs.sections import Section
from sim.paths import DATA_DIR

DEFAULT_POSTERIOR_FILE = DATA_DIR / "posterior.toml"
Role = Literal["structural", "period"]


class PosteriorProvenance(Section):
    method: str
    command: str
    date: str
    history_file: str
    moments: list[str]
    distance: str
    population: int = Field(ge=1)
    generations: int = Field(ge=1)
    simulations: int = Field(ge=1)
    epsilons: list[float]
    seed: int


class PosteriorParameter(Section):
    """One free parameter: its prior, its posterior summary and its value in every particle."""

    role: Role
    prior: tuple[float, float]
    why: str
    median: float
    p5: float
    p95: float
    values: list[float] = Field(min_length=1)

    @model_validator(mode="after")
    def _within_prior(self) -> PosteriorParameter:
        low, high = self.prior
        outside = [v for v in self.values if not low <= v <= high]
        if outside:
            raise ValueError(f"value {outside[0]} lies outside the prior [{low}, {high}]")
        return self


class MomentFit(Section):
    """A reported moment against the 90% posterior-predictive band (model alone, and with reporting error)."""

    reported: float
    median: float
    p5: float
    p95: float
    p5_with_error: float
    p95_with_error: float


class Posterior(Section):
    """The whole posterior file."""

    provenance: PosteriorProvenance
    weights: list[float] = Field(min_length=1)
    parameters: dict[str, PosteriorParameter] = Field(min_length=1)
    fit: dict[str, MomentFit] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _particles(self) -> Posterior:
        if any(w <= 0 for w in self.weights):
            raise ValueError("weights must all be positive")
        for path, parameter in self.parameters.items():
            if len(parameter.values) != len(self.weights):
                raise ValueError(
                    f'parameters."{path}".values has {len(parameter.values)} particles, '
                    f"weights has {len(self.weights)}"
                )
        return self

    def paths(self, role: Role) -> list[str]:
        """The parameters of one role, in file order."""
        return [path for path, p in self.parameters.items() if p.role == role]


def _check_path(path: str, file: Path) -> None:
    """A fitted parameter must be a 'section.field' of the scenario schema (it may have been renamed)."""
    section, _, name = path.partition(".")
    block = ScenarioData.model_fields.get(section)
    annotation = block.annotation if block is not None else None
    fields = (
        annotation.model_fields if isinstance(annotation, type) and issubclass(annotation, BaseModel) else {}
    )
    if name not in fields:
        raise InputError(
            f"{file}: field 'parameters.\"{path}\"': not a scenario parameter (section.field of "
            "sim/inputs/scenario.py); re-run python -m sim calibrate"
        )


def load_posterior(path: Path = DEFAULT_POSTERIOR_FILE) -> Posterior | None:
    """The posterior file, or None when there is none."""
    if not path.is_file():
        return None
    posterior = validate(Posterior, read_toml(path), str(path))
    for parameter in posterior.parameters:
        _check_path(parameter, path)
    return posterior
