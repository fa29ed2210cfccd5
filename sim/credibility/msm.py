"""Method of simulated moments: fit the parameters the reported history pins down.

The search (scipy's bounded least squares on standardised moment gaps) evaluates the
hindcast at candidate parameters with the same seeds every time (common random numbers,
so the loss is smooth in the parameters). Every evaluation is saved to a checkpoint
file as soon as it is done; a resumed search replays saved evaluations instead of
running them again, so it can stop at any moment and continue where it was.
Standard errors come from the Jacobian of the standardised gaps at the optimum,
cov = (J'J)^-1, the usual nonlinear least-squares (and just-weighted MSM) formula.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import BaseModel, FiniteFloat
from scipy.optimize import least_squares

from sim.credibility.free_parameters import FREE_PARAMETERS, FreeParameter, scenario_at
from sim.credibility.hindcast import simulate
from sim.credibility.history import History
from sim.credibility.moments import (
    LOSS_NAME,
    MOMENTS,
    Moment,
    data_moments,
    loss,
    moment_sd,
    residuals,
    simulated_moments,
)
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.calibration_file import Scope
from sim.inputs.errors import InputError, read_json, validate
from sim.inputs.scenario import Scenario

SCOPES: dict[str, Scope] = {"structural": "model", "period": "hindcast"}


def search_signature(
    parameters: tuple[FreeParameter, ...] = FREE_PARAMETERS, moments: tuple[Moment, ...] = MOMENTS
) -> list[str]:
    """What a checkpoint's evaluations mean: the free parameters and the moments, in order."""
    return [p.path for p in parameters] + [m.name for m in moments]


@dataclass
class Checkpoint:
    """Evaluations done so far: parameter vector -> per-seed moments; saved after each one."""

    path: Path
    seeds: list[int]
    signature: list[str] = field(default_factory=search_signature)
    evaluations: list[dict[str, list]] = field(default_factory=list)

    @staticmethod
    def _key(x: np.ndarray) -> tuple[float, ...]:
        return tuple(round(float(v), 12) for v in x)

    def lookup(self, x: np.ndarray) -> np.ndarray | None:
        for record in self.evaluations:
            if self._key(np.array(record["x"])) == self._key(x):
                return np.array(record["per_seed"])
        return None

    def add(self, x: np.ndarray, per_seed: np.ndarray) -> None:
        self.evaluations.append({"x": [float(v) for v in x], "per_seed": per_seed.tolist()})
        self.save()

    def save(self) -> None:
        """Write atomically, so an interrupted search never leaves a broken checkpoint."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(self.path.name + ".tmp")
        saved = {"seeds": self.seeds, "signature": self.signature, "evaluations": self.evaluations}
        staging.write_text(json.dumps(saved))
        os.replace(staging, self.path)

    @classmethod
    def open(
        cls, path: Path, seeds: list[int], resume: bool, signature: list[str] | None = None
    ) -> Checkpoint:
        """A fresh checkpoint, or with `resume` the saved one (same seeds and search, or an error)."""
        signature = signature or search_signature()
        if path.exists() and not path.is_file():
            raise InputError(
                f"{path}: is not a file; give --checkpoint the path of a file (it need not exist)"
            )
        if not resume or not path.exists():
            return cls(path, seeds, signature)
        saved = read_json(path, "calibration checkpoint")
        if not isinstance(saved, dict):
            raise InputError(f"{path}: not a calibration checkpoint (a JSON object was expected)")
        if saved.get("seeds") != seeds:
            raise InputError(
                f"{path}: field 'seeds' = {saved.get('seeds')}: a resumed search must use the same seeds "
                f"{seeds} (same --replications and --seed)"
            )
        if saved.get("signature") != signature:
            raise InputError(
                f"{path}: field 'signature' = {saved.get('signature')}: the checkpoint is of another "
                f"search; this one fits {signature}. Start afresh without --resume"
            )
        evaluations = validate(_SavedEvaluations, {"evaluations": saved.get("evaluations")}, str(path))
        for index, record in enumerate(evaluations.evaluations):
            shapes = {len(record.x) + len(row) for row in record.per_seed}
            if len(record.per_seed) != len(seeds) or shapes != {len(signature)}:
                raise InputError(
                    f"{path}: field 'evaluations[{index}]': not {len(seeds)} seeds' moments of this search's "
                    "parameters; start afresh without --resume"
                )
        return cls(path, seeds, signature, saved["evaluations"])


class _Evaluation(BaseModel):
    x: list[FiniteFloat]
    per_seed: list[list[FiniteFloat]]


class _SavedEvaluations(BaseModel):
    """The evaluations of a checkpoint: finite numbers only (a NaN would steer the search)."""

    evaluations: list[_Evaluation]


@dataclass(frozen=True)
class Fit:
    """The result of a search."""

    parameters: tuple[FreeParameter, ...]
    moments: tuple[Moment, ...]
    values: np.ndarray
    se: np.ndarray
    reported: np.ndarray
    simulated: np.ndarray
    sd: np.ndarray
    loss: float
    evaluations: int
    replayed: int
    replications: int


def fit(
    base: Scenario,
    history: History,
    targets: np.ndarray | None,
    seeds: list[int],
    checkpoint: Checkpoint,
    max_evaluations: int = 40,
    parameters: tuple[FreeParameter, ...] = FREE_PARAMETERS,
    moments: tuple[Moment, ...] = MOMENTS,
    progress: Callable[[str], None] | None = None,
) -> Fit:
    """Fit `parameters` so the hindcast's mean moments match `targets` (default: the history).

    `max_evaluations` bounds the loss evaluations of the search; each Jacobian adds one
    evaluation per parameter on top.
    """
    reported = data_moments(history, moments) if targets is None else np.asarray(targets, float)
    base_year = load_scenario_base_year(base)
    counts = {"run": 0, "replayed": 0}

    def per_seed_moments(x: np.ndarray) -> np.ndarray:
        saved = checkpoint.lookup(x)
        if saved is not None:
            counts["replayed"] += 1
            return saved
        values = {p.path: float(v) for p, v in zip(parameters, x, strict=True)}
        frame = simulate(scenario_at(base, values), seeds, history, base_year)
        per_seed = simulated_moments(frame, moments)
        checkpoint.add(x, per_seed)
        counts["run"] += 1
        return per_seed

    start = np.array([p.start for p in parameters])
    sd = moment_sd(per_seed_moments(start), moments)  # weights fixed at the start: a stable loss

    def gaps(x: np.ndarray) -> np.ndarray:
        mean = per_seed_moments(x).mean(axis=0)
        g = residuals(mean, reported, sd)
        if progress is not None:
            shown = ", ".join(f"{p.path}={v:.4f}" for p, v in zip(parameters, x, strict=True))
            progress(f"  {shown}: loss {loss(g):.3f}")
        return g

    def jacobian(x: np.ndarray) -> np.ndarray:
        """Forward differences with each parameter's own step (backward at the upper bound)."""
        at_x = gaps(x)
        columns = []
        for i, p in enumerate(parameters):
            step = p.difference_step
            h = step if x[i] + step <= p.high else -step
            moved = x.copy()
            moved[i] += h
            columns.append((gaps(moved) - at_x) / h)
        return np.column_stack(columns)

    result = least_squares(
        gaps,
        start,
        jac=jacobian,
        bounds=([p.low for p in parameters], [p.high for p in parameters]),
        x_scale=np.full(len(parameters), 0.01),
        xtol=1e-3,
        ftol=1e-4,
        max_nfev=max_evaluations,
    )
    jac = result.jac
    try:
        covariance = np.linalg.inv(jac.T @ jac)
        se = np.sqrt(np.clip(np.diag(covariance), 0, None))
    except np.linalg.LinAlgError:
        se = np.full(len(parameters), np.inf)
    simulated = per_seed_moments(result.x).mean(axis=0)
    return Fit(
        parameters=parameters,
        moments=moments,
        values=result.x,
        se=se,
        reported=reported,
        simulated=simulated,
        sd=sd,
        loss=loss(residuals(simulated, reported, sd)),
        evaluations=counts["run"] + counts["replayed"],
        replayed=counts["replayed"],
        replications=len(seeds),
    )


def format_fit(result: Fit) -> str:
    """The fit as the user reads it: parameters with standard errors, then each moment."""
    lines = ["parameter                           value      s.e.   scope"]
    for p, value, se in zip(result.parameters, result.values, result.se, strict=True):
        lines.append(f"{p.path:<34} {value:>7.4f}  {se:>8.4f}   {SCOPES[p.role]}")
    lines += ["", "moment                              reported  simulated     sd  gap/sd"]
    for m, reported, simulated, sd in zip(
        result.moments, result.reported, result.simulated, result.sd, strict=True
    ):
        gap = (simulated - reported) / sd
        lines.append(f"{m.name:<34} {reported:>9.4f}  {simulated:>9.4f}  {sd:.4f}  {gap:>+6.2f}")
    lines += [
        "",
        f"loss ({LOSS_NAME}): {result.loss:.3f}",
        f"{result.evaluations} evaluations ({result.replayed} answered from the checkpoint), "
        f"{result.replications} replications each",
    ]
    return "\n".join(lines)


def calibration_toml(result: Fit, command: str, history_file: str) -> str:
    """The calibration file: provenance, fitted values with s.e. and sampling range, moments."""
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    moments = ", ".join(f'"{m.name}"' for m in result.moments)
    lines = [
        "# Written by `python -m sim calibrate`; do not edit by hand (re-run it instead).",
        '# scope "model": every scenario uses the value where it does not set the field;',
        '# scope "hindcast": only the hindcast does (a condition of the calibration period).',
        "# low/high: value +- 2 s.e. within the search bounds, the range batch runs sample.",
        "",
        "[provenance]",
        f'command = "{command}"',
        f'date = "{date}"',
        f'history_file = "{history_file}"',
        f"moments = [{moments}]",
        f'loss = "{LOSS_NAME}"',
        f"replications = {result.replications}",
        f"evaluations = {result.evaluations}",
        f"loss_value = {result.loss:.6g}",
        "",
    ]
    for p, value, se in zip(result.parameters, result.values, result.se, strict=True):
        spread = 2 * se if np.isfinite(se) else p.high - p.low
        lines += [
            f'[fitted."{p.path}"]',
            f"value = {value:.6g}",
            f"se = {se:.6g}" if np.isfinite(se) else "se = 1e9",
            f"low = {max(p.low, value - spread):.6g}",
            f"high = {min(p.high, value + spread):.6g}",
            f'scope = "{SCOPES[p.role]}"',
            f"bounds = [{p.low:g}, {p.high:g}]",
            "",
        ]
    for m, reported, simulated, sd in zip(
        result.moments, result.reported, result.simulated, result.sd, strict=True
    ):
        lines += [
            f"[moments.{m.name}]",
            f"reported = {reported:.6g}",
            f"simulated = {simulated:.6g}",
            f"sd = {sd:.6g}",
            "",
        ]
    return "\n".join(lines)


def write_calibration(result: Fit, path: Path, command: str, history_file: str) -> None:
    """Write the calibration file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(calibration_toml(result, command, history_file), encoding="utf-8")
    os.replace(staging, path)
