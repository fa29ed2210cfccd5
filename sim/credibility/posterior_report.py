"""The fitted posterior as the user reads it (prior against posterior, the fit check) and as files.

The fit check puts each reported moment against the model's 90% posterior-predictive
band (fresh runs at particles drawn by weight); a reported figure outside the band is a
miss, shown with its size (its distance to the nearer end). The band with the reporting
error added is what a reported figure could be if the model were right.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from sim.credibility.moments import LOSS_NAME
from sim.credibility.msm import SCOPES
from sim.credibility.posterior import BAND, DISTANCE_NAME, PosteriorFit


def moment_bands(fit: PosteriorFit) -> list[dict[str, Any]]:
    """Per moment: reported, predictive median and 90% band (without and with reporting error), miss."""
    rows = []
    for i, moment in enumerate(fit.moments):
        p5, median, p95 = np.quantile(fit.predictive[:, i], [BAND[0], 0.5, BAND[1]])
        e5, e95 = np.quantile(fit.predictive_with_error[:, i], BAND)
        reported = float(fit.reported[i])
        miss = reported - p5 if reported < p5 else reported - p95 if reported > p95 else 0.0
        rows.append(
            {
                "name": moment.name,
                "reported": reported,
                "median": float(median),
                "p5": float(p5),
                "p95": float(p95),
                "p5_with_error": float(e5),
                "p95_with_error": float(e95),
                "miss": float(miss),
            }
        )
    return rows


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:+.4f}" if value < 0 else f"{value:.4f}"


def format_posterior(fit: PosteriorFit) -> str:
    """Prior against posterior, then the fit check, then how the fit ran."""
    lines = [
        "parameter                         role        prior (uniform)    posterior median  90% interval",
    ]
    for p in fit.parameters:
        p5, median, p95 = fit.quantiles(p.path, (BAND[0], 0.5, BAND[1]))
        prior = f"{_number(p.low)} .. {_number(p.high)}"
        lines.append(
            f"{p.path:<33} {p.role:<11} {prior:<18} {_number(median):>16}  {_number(p5)} .. {_number(p95)}"
        )
    if len(fit.parameters) > 1:
        covariance = np.cov(fit.particles.to_numpy().T, aweights=fit.weights)
        correlation = covariance / np.sqrt(np.outer(np.diag(covariance), np.diag(covariance)))
        pairs = [
            f"{a.path} ~ {b.path}: {correlation[i, j]:+.2f}"
            for i, a in enumerate(fit.parameters)
            for j, b in enumerate(fit.parameters)
            if i < j
        ]
        lines += ["", "posterior correlation: " + "; ".join(pairs)]
    lines += [
        "",
        "moment                              reported  posterior-predictive 90% band      in band  miss"
        "     (band with reporting error)",
    ]
    for row in moment_bands(fit):
        band = f"{_number(row['p5'])} .. {_number(row['p95'])} (median {_number(row['median'])})"
        inside = "yes" if row["miss"] == 0 else "no"
        miss = "" if row["miss"] == 0 else f"{row['miss']:+.4g}"
        with_error = f"{_number(row['p5_with_error'])} .. {_number(row['p95_with_error'])}"
        reported = _number(row["reported"])
        lines.append(f"{row['name']:<34} {reported:>9}  {band:<34} {inside:>7}  {miss:<8} ({with_error})")
    rates = ", ".join(f"{e:.2f}" for e in fit.epsilons)
    lines += [
        "",
        f"loss ({LOSS_NAME}, at the posterior-predictive mean): {fit.loss():.3f} on "
        f"{len(fit.moments)} moments and {len(fit.parameters)} parameters",
        f"ABC-SMC: {len(fit.epsilons)} generations of {fit.population} particles, {fit.simulations:,} runs; "
        f"tolerance by generation: {rates}",
    ]
    return "\n".join(lines)


HEADER = """\
# Written by `python -m sim calibrate` (ABC-SMC); do not edit by hand (re-run it instead).
# The posterior of the parameters the reported 2021-24 moments inform, as weighted particles
# (particle i: weights[i] and every parameter's values[i]). Roles:
# - "structural": carried forward; `[sample] uncertainties = "standard"` draws whole particles;
# - "period": a condition of 2021-24 (the demand environment of those years); only the hindcast
#   is judged with it, forward runs replace it with their own prior (sim/data/uncertainties.toml).
# [fit]: each reported moment against the model's 90% posterior-predictive band.
"""


def posterior_document(fit: PosteriorFit, command: str, history_file: str) -> dict:
    """The posterior file's content (sim/inputs/posterior_file.py is its schema)."""
    weights = fit.weights / fit.weights.sum()
    parameters = {}
    for p in fit.parameters:
        p5, median, p95 = fit.quantiles(p.path, (BAND[0], 0.5, BAND[1]))
        parameters[p.path] = {
            "role": p.role,
            "prior": [p.low, p.high],
            "why": p.why,
            "median": float(median),
            "p5": float(p5),
            "p95": float(p95),
            "values": [float(v) for v in fit.particles[p.path]],
        }
    fit_rows = {
        row["name"]: {key: value for key, value in row.items() if key not in {"name", "miss"}}
        for row in moment_bands(fit)
    }
    return {
        "provenance": {
            "method": f"ABC-SMC, pyabc {version('pyabc')}",
            "command": command,
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "history_file": history_file,
            "moments": [m.name for m in fit.moments],
            "distance": DISTANCE_NAME,
            "population": fit.population,
            "generations": len(fit.epsilons),
            "simulations": fit.simulations,
            "epsilons": [float(e) for e in fit.epsilons],
            "seed": fit.seed,
        },
        "weights": [float(w) for w in weights],
        "parameters": parameters,
        "fit": fit_rows,
    }


def point_values_document(fit: PosteriorFit, command: str, history_file: str) -> dict:
    """The calibration file of single runs' defaults: each parameter's posterior median.

    se is the posterior s.d. and low/high the 90% interval; scope "model" for structural
    parameters, "hindcast" for period ones (sim/inputs/calibration_file.py).
    """
    fitted = {}
    for p in fit.parameters:
        p5, median, p95 = fit.quantiles(p.path, (BAND[0], 0.5, BAND[1]))
        fitted[p.path] = {
            "value": float(median),
            "se": fit.sd(p.path),
            "low": float(p5),
            "high": float(p95),
            "scope": SCOPES[p.role],
            "bounds": [p.low, p.high],
        }
    moments = {
        row["name"]: {"reported": row["reported"], "simulated": row["median"]} for row in moment_bands(fit)
    }
    return {
        "provenance": {
            "method": f"posterior medians of the ABC-SMC fit in posterior.toml (pyabc {version('pyabc')})",
            "command": command,
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "history_file": history_file,
            "moments": [m.name for m in fit.moments],
            "loss": LOSS_NAME + ", at the posterior-predictive mean",
            "replications": len(fit.predictive),
            "evaluations": fit.simulations,
            "loss_value": fit.loss(),
        },
        "fitted": fitted,
        "moments": moments,
    }


POINT_HEADER = """\
# Written by `python -m sim calibrate` (ABC-SMC); do not edit by hand (re-run it instead).
# Single runs' defaults: each fitted parameter's posterior median (sim/data/posterior.toml
# holds the particles experiments sample). scope "model": every scenario uses the value
# where it does not set the field; scope "hindcast": only the hindcast does.
# se: posterior s.d.; low/high: the 90% posterior interval.
"""


def write_toml(document: dict, path: Path, header: str) -> None:
    """Write a TOML file atomically, under its header comment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(header + "\n" + tomli_w.dumps(document), encoding="utf-8")
    os.replace(staging, path)
