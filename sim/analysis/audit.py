"""The assumption audit's numbers: how far each parameter moves 2030 output and each target's odds.

Reads the results of a Morris design over every parameter (experiments/audit.toml) and
classifies each parameter:
- *sampled*: the main experiment samples it (over the range and source the table shows);
- *fixed and inert*: held fixed, and over its whole screening range it moves 2030 output
  by less than `OUTPUT_THRESHOLD_YI` and each target's probability by less than
  `PROBABILITY_THRESHOLD_POINTS` (upper ends of the 95% intervals, so "inert" is a claim
  the runs support, not a lack of evidence);
- *fixed and influential*: held fixed although it moves the answer: it must be sampled,
  sourced or replaced by a mechanism.

Effects are Morris mu*: the mean absolute elementary effect, in the outcome's units per
full range of the parameter. A target's 0/1 outcome is too coarse to screen with a few
dozen trajectories (one flipped run is several points), so the effect on a target's
probability is taken to first order: mu* of output in the target year times the density
of that output at the threshold (a Gaussian kernel estimate over the audit's runs), that
is, the share of runs an output change of mu* would carry across the threshold.

The summary (`audit_summary`) is plain data: docs/assumptions.json holds it and
docs/assumptions.md is rendered from it (sim/analysis/audit_page.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.stats import gaussian_kde

from sim.analysis.report import run_outcomes
from sim.analysis.sensitivity import morris_indices
from sim.experiments.experiment_file import load_experiment
from sim.experiments.results_folder import parameter_column, read_results
from sim.experiments.sampled_parameters import SampledParameter, schema_field
from sim.experiments.sampling import salib_problem
from sim.inputs.base_year import ranged_figures
from sim.inputs.errors import InputError
from sim.inputs.scenario import Target

# An effect below 1% of the 2030 target (10 亿元) over a parameter's whole screening range
# cannot by itself decide whether the target is met.
OUTPUT_THRESHOLD_YI = 10.0
# The main experiment's 200 paired runs resolve differences of about +-2 points (with no run
# changing, Newcombe's paired 95% interval is -2.1 to +2.1 points): a smaller effect on a
# target's probability could not be told from zero there.
PROBABILITY_THRESHOLD_POINTS = 2.0
SUMMARY_VERSION = 1

Category = Literal["sampled", "fixed and inert", "fixed and influential"]
CATEGORIES: tuple[Category, ...] = ("fixed and influential", "sampled", "fixed and inert")


def _current_notes(experiment_file: Path, ran: list[dict[str, Any]], folder: Path) -> dict[str, str]:
    """The notes of the parameters as the experiment file defines them now, after checking that
    the runs are of the same parameters over the same ranges (notes do not change runs)."""
    current = {p.name: p for p in load_experiment(experiment_file).parameters}
    stale = [
        p["name"]
        for p in ran
        if p["name"] not in current
        or (current[p["name"]].low, current[p["name"]].high, current[p["name"]].kind)
        != (p["low"], p["high"], p["kind"])
    ]
    stale += sorted(set(current) - {p["name"] for p in ran})
    if stale:
        raise InputError(
            f"{folder}: its runs are not of the parameters and ranges {experiment_file} defines now "
            f"({', '.join(stale[:5])}{', ...' if len(stale) > 5 else ''}): run the experiment again"
        )
    return {name: parameter.note for name, parameter in current.items()}


def _source(name: str, note: str) -> str:
    """Where a range comes from: its note, with the field's own description when the note
    does not hold it (the description names the source or says "assumption")."""
    if name in ranged_figures().values():  # the note is the figure's own source
        return note
    field = schema_field(name)
    description = field.description if field is not None else None
    if description and description not in note:
        return f"{note}; {description}"
    return note


def _density_at(values: np.ndarray, threshold: float) -> float:
    """Density of the runs' output at the threshold (per 亿元); 0 when the output does not vary."""
    if np.ptp(values) == 0:
        return 0.0
    return float(gaussian_kde(values)(threshold)[0])


def audit_summary(folder: Path, command: str) -> dict[str, Any]:
    """Effects of every parameter of a complete Morris results folder, as plain data."""
    manifest, runs = read_results(Path(folder))
    if manifest["design"] != "morris":
        raise InputError(f"{folder}: design {manifest['design']!r}: the audit reads a Morris design")
    targets = [Target.model_validate(t) for t in manifest["targets"]]
    outcomes = run_outcomes(runs, targets).sort_values("replication", kind="stable")
    expected = int(manifest["runs_total"])
    if len(outcomes) < expected:
        raise InputError(
            f"{folder}: {len(outcomes):,} of {expected:,} runs done; the audit needs the complete design "
            "(run the experiment again with --resume)"
        )
    parameters = manifest["parameters"]
    notes = _current_notes(Path(manifest["experiment_file"]), parameters, Path(folder))
    # The posterior's dimension carries its particles' paths too: only the range matters here.
    fields = ("name", "low", "high", "kind", "note", "integer")
    problem = salib_problem(
        [SampledParameter(**{key: p[key] for key in fields if key in p}) for p in parameters]
    )
    x = outcomes[[parameter_column(name) for name in problem["names"]]].to_numpy(dtype=float)
    levels = int((manifest.get("salib") or {}).get("num_levels", 4))
    seed = int(manifest["root_seed"])
    final = targets[-1]
    effects: dict[int, dict[str, tuple[float, float]]] = {}
    densities: dict[int, float] = {}
    checks: dict[str, dict[str, float]] = {}
    for target in targets:
        y = outcomes[target.output_column].to_numpy(dtype=float)
        table = morris_indices(problem, x, y, num_levels=levels, seed=seed)
        effects[target.year] = {
            row.parameter: (float(row.mu_star), float(row.mu_star_conf)) for row in table.itertuples()
        }
        densities[target.year] = _density_at(y, target.threshold_yi)
        met = outcomes[target.met_column].to_numpy(dtype=float)
        if np.ptp(met) > 0:  # the first-order estimate against mu* of the 0/1 outcome itself
            direct = morris_indices(problem, x, met, num_levels=levels, seed=seed).set_index("parameter")
            first = np.array(
                [effects[target.year][name][0] * densities[target.year] for name in problem["names"]]
            )
            coarse = direct.loc[problem["names"], "mu_star"].to_numpy(dtype=float)
            checks[str(target.year)] = {
                "ratio": float(coarse.sum() / first.sum()),
                "correlation": float(np.corrcoef(first, coarse)[0, 1]),
            }
    rows = []
    for parameter in parameters:
        name = parameter["name"]
        output, output_conf = effects[final.year][name]
        points = {}
        for target in targets:
            mu_star, conf = effects[target.year][name]
            scale = 100.0 * densities[target.year]
            points[str(target.year)] = {"points": mu_star * scale, "upper": (mu_star + conf) * scale}
        rows.append(
            {
                "name": name,
                "kind": parameter["kind"],
                "low": parameter["low"],
                "high": parameter["high"],
                "integer": bool(parameter.get("integer", False)),
                "source": _source(name, notes[name]),
                "output_mu_star_yi": output,
                "output_mu_star_conf_yi": output_conf,
                "target_points": points,
            }
        )
    final_output = outcomes[final.output_column]
    return {
        "version": SUMMARY_VERSION,
        "command": command,
        "experiment": manifest["experiment"],
        "experiment_file": manifest.get("experiment_file", ""),
        "scenario": manifest["scenarios"][0]["name"],
        "runs": len(outcomes),
        "trajectories": len(outcomes) // (len(parameters) + 1),
        "levels": levels,
        "root_seed": seed,
        "model_hash": manifest.get("model_hash", ""),
        "output_year": final.year,
        "targets": [{"year": t.year, "threshold_yi": t.threshold_yi} for t in targets],
        "density_per_yi": {str(year): value for year, value in densities.items()},
        "direct_check": checks,
        "output_median_yi": float(final_output.median()),
        "output_sd_yi": float(final_output.std()),
        "thresholds": {
            "output_yi": OUTPUT_THRESHOLD_YI,
            "probability_points": PROBABILITY_THRESHOLD_POINTS,
        },
        "parameters": rows,
    }


def category(row: dict[str, Any], thresholds: dict[str, float]) -> Category:
    """A summary row's class (the rules of the module docstring)."""
    if row["kind"] != "screened":
        return "sampled"
    output_upper = row["output_mu_star_yi"] + row["output_mu_star_conf_yi"]
    moves_output = output_upper >= thresholds["output_yi"]
    moves_odds = any(p["upper"] >= thresholds["probability_points"] for p in row["target_points"].values())
    return "fixed and influential" if moves_output or moves_odds else "fixed and inert"


def influential(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The fixed parameters that move the answer, largest effect on output first."""
    rows = [r for r in summary["parameters"] if category(r, summary["thresholds"]) == "fixed and influential"]
    return sorted(rows, key=lambda r: -r["output_mu_star_yi"])


def summary_json(summary: dict[str, Any]) -> str:
    """The summary as docs/assumptions.json: the header indented, one line per parameter (short diffs)."""
    header = {key: value for key, value in summary.items() if key != "parameters"}
    text = json.dumps(header, ensure_ascii=False, indent=1).removesuffix("\n}")
    rows = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in summary["parameters"])
    return f'{text},\n "parameters": [\n{rows}\n ]\n}}\n'
