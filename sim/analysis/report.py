"""The planners' answer from an experiment's results folder, as tables.

How likely is the district to reach the plan's targets (工业总产值 >= 700 亿元 in 2027,
>= 1000 亿元 in 2030) under each scenario; what each scenario adds over the reference and
what it costs the district budget, what it brings back and what each plan buys per 亿元 of
extra net cost; how the answer depends on the uncertain 2024 base; which
parameters drive it (when the design is a sensitivity design); and which combinations of
parameters and levers lead to meeting the 2030 target.

The report only reads the folder, so it works while an experiment is still running or after
it was stopped: probabilities are computed on the runs done, and the sections that need the
complete design say so. Markdown is in sim/analysis/report_text.py, charts in sim/analysis/report_charts.py.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.beliefs import belief_json, headline_scenarios, what_you_must_believe
from sim.analysis.discovery import discover
from sim.analysis.language import Language
from sim.analysis.probability import paired_difference, wilson_interval
from sim.analysis.report_charts import write_charts
from sim.analysis.report_data import Header, Report, Sensitivity
from sim.analysis.report_html import report_html
from sim.analysis.report_text import report_markdown
from sim.analysis.sensitivity import morris_indices, sobol_indices
from sim.analysis.value_for_money import Interval, mean_interval, measure_rows, rank
from sim.experiments.results_folder import PARAM_PREFIX, parameter_column, read_results
from sim.experiments.sampled_parameters import SampledParameter
from sim.experiments.sampling import salib_problem
from sim.inputs.errors import InputError
from sim.inputs.scenario import Target

BASE_OUTPUT = parameter_column("world.gross_output_yi")  # the uncertain 2024 output, 亿元
BASE_BINS = 4  # quartiles of the 2024 base
FAN_QUANTILES = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
SENSITIVITY_METHODS = {"saltelli": "sobol", "morris": "morris"}  # design -> analysis
BUDGET_COLUMNS = (  # annual result column -> the run's cumulative total over the simulated years
    ("fiscal_gross_cost_yi", "gross_cost_yi"),
    ("fiscal_revenue_yi", "revenue_yi"),
    ("fiscal_net_cost_yi", "net_cost_yi"),
)


def run_outcomes(runs: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """One row per run: scenario, replication, parameters, output and target met in each
    target year, and the cumulative gross cost, revenue and net cost to the district budget
    of the simulated years (after the base year)."""
    missing = sorted({t.year for t in targets} - set(runs["year"]))
    if missing:
        raise InputError(f"the results have no rows for the target years {missing}")
    params = [column for column in runs.columns if column.startswith(PARAM_PREFIX)]
    table = runs.groupby("run_id", sort=True)[["scenario", "replication", *params]].first()
    output = runs.pivot(index="run_id", columns="year", values="output_yi")
    for target in targets:
        table[target.output_column] = output[target.year]
        table[target.met_column] = output[target.year] >= target.threshold_yi
    simulated = runs[runs["year"] > runs["year"].min()]
    sums = simulated.groupby("run_id")[[column for column, _ in BUDGET_COLUMNS]].sum()
    for column, name in BUDGET_COLUMNS:
        table[name] = sums[column]
    return table


def share_met(met: pd.Series) -> dict[str, Any]:
    """Runs, successes, share and Wilson interval (nan when there are no runs)."""
    runs, successes = len(met), int(met.sum())
    low, high = wilson_interval(successes, runs) if runs else (math.nan, math.nan)
    probability = successes / runs if runs else math.nan
    return {"runs": runs, "met": successes, "probability": probability, "low": low, "high": high}


def target_probabilities(outcomes: pd.DataFrame, scenarios: list[str], targets: list[Target]) -> pd.DataFrame:
    """P(output >= threshold) per scenario and target year, with its Wilson 95% interval."""
    rows = []
    for scenario in scenarios:
        runs = outcomes[outcomes["scenario"] == scenario]
        for target in targets:
            row = {"scenario": scenario, "year": target.year, "threshold_yi": target.threshold_yi}
            rows.append(row | share_met(runs[target.met_column]))
    return pd.DataFrame(rows)


def output_fan(runs: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """Quantiles of annual output per scenario and year: the fan chart's bands."""
    grouped = runs.groupby(["scenario", "year"])["output_yi"]
    fan = pd.DataFrame({name: grouped.quantile(q) for name, q in FAN_QUANTILES.items()}).reset_index()
    order = {scenario: i for i, scenario in enumerate(scenarios)}
    return fan.sort_values(["scenario", "year"], key=lambda c: c.map(order) if c.name == "scenario" else c)


def _pairs(outcomes: pd.DataFrame, scenario: str, reference: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs of a scenario and of the reference with the same replications, aligned."""
    own = outcomes[outcomes["scenario"] == scenario].set_index("replication")
    base = outcomes[outcomes["scenario"] == reference].set_index("replication")
    common = own.index.intersection(base.index).sort_values()
    return own.loc[common], base.loc[common]


def marginal_effects(
    outcomes: pd.DataFrame, scenarios: list[str], reference: str, targets: list[Target]
) -> pd.DataFrame:
    """Each scenario against the reference on paired runs: the gain in P(target met) with
    Newcombe's paired interval, and the mean gain in output in the target year."""
    rows = []
    for scenario in scenarios:
        if scenario == reference:
            continue
        own, base = _pairs(outcomes, scenario, reference)
        for target in targets:
            if len(own):
                difference, low, high = paired_difference(own[target.met_column], base[target.met_column])
                output_gain = float((own[target.output_column] - base[target.output_column]).mean())
            else:
                difference = low = high = output_gain = math.nan
            rows.append(
                {
                    "scenario": scenario,
                    "year": target.year,
                    "pairs": len(own),
                    "difference": difference,
                    "low": low,
                    "high": high,
                    "mean_output_difference_yi": output_gain,
                }
            )
    return pd.DataFrame(rows)


def budget(
    outcomes: pd.DataFrame, scenarios: list[str], reference: str | None, simulated_years: int
) -> pd.DataFrame:
    """Per scenario, the mean annual gross cost, revenue and net cost to the district budget
    and, against the reference on paired runs, the mean extra cumulative net cost with its
    95% bootstrap interval (nan for the reference, or without one)."""
    rows = []
    for scenario in scenarios:
        runs = outcomes[outcomes["scenario"] == scenario]
        row: dict[str, Any] = {"scenario": scenario, "runs": len(runs)}
        for _, name in BUDGET_COLUMNS:
            annual = float(runs[name].mean()) / simulated_years if len(runs) else math.nan
            row[f"mean_annual_{name}"] = annual
        extra = Interval(math.nan, math.nan, math.nan)
        if reference is not None and scenario != reference:
            own, base = _pairs(outcomes, scenario, reference)
            extra = mean_interval((own["net_cost_yi"] - base["net_cost_yi"]).to_numpy())
        row |= {
            "extra_net_cost_yi": extra.value,
            "extra_net_cost_low_yi": extra.low,
            "extra_net_cost_high_yi": extra.high,
        }
        rows.append(row)
    return pd.DataFrame(rows)


def value_for_money(
    outcomes: pd.DataFrame, scenarios: list[str], reference: str, targets: list[Target]
) -> pd.DataFrame:
    """Each scenario against the reference on paired runs, per measure (percentage points of
    each target's probability, extra output in the final target year): the gain per 亿元 of
    extra cumulative net cost with its 95% bootstrap interval, and the ranking
    (sim/analysis/value_for_money.py says how a plan that pays for itself ranks)."""
    final = targets[-1]
    rows = []
    for scenario in scenarios:
        if scenario == reference:
            continue
        own, base = _pairs(outcomes, scenario, reference)
        gains = {
            f"probability_{t.year}": (
                (own[t.met_column].astype(float) - base[t.met_column]).to_numpy(),
                100.0,
            )
            for t in targets
        }
        gains[f"output_{final.year}"] = (
            (own[final.output_column] - base[final.output_column]).to_numpy(),
            1.0,
        )
        rows += measure_rows(scenario, (own["net_cost_yi"] - base["net_cost_yi"]).to_numpy(), gains)
    return rank(pd.DataFrame(rows))


def probability_by_base_output(
    outcomes: pd.DataFrame, scenarios: list[str], targets: list[Target], bins: int = BASE_BINS
) -> pd.DataFrame | None:
    """P(target met) per scenario within quantile bins of the sampled 2024 base output."""
    if BASE_OUTPUT not in outcomes.columns:
        return None
    values = outcomes[BASE_OUTPUT]
    edges = np.unique(np.quantile(values, np.linspace(0.0, 1.0, bins + 1)))
    if len(edges) < 2:
        edges = np.array([values.min(), values.max()])
    bin_of_run = pd.cut(values, edges, include_lowest=True, labels=False)
    rows = []
    for scenario in scenarios:
        for number, (low_edge, high_edge) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
            inside = outcomes[(outcomes["scenario"] == scenario) & (bin_of_run == number)]
            for target in targets:
                row = {
                    "scenario": scenario,
                    "base_low_yi": low_edge,
                    "base_high_yi": high_edge,
                    "year": target.year,
                }
                rows.append(row | share_met(inside[target.met_column]))
    return pd.DataFrame(rows)


def global_sensitivity(manifest: dict[str, Any], outcomes: pd.DataFrame, final: Target) -> Sensitivity | None:
    """Sobol indices (saltelli design) or Morris screening (morris design) of output in the
    final target year and of the 0/1 "target met"; only on the complete design."""
    method = SENSITIVITY_METHODS.get(manifest["design"])
    if method is None:
        return None
    expected = int(manifest["replications"])
    if len(outcomes) < expected:
        note = (
            f"Needs the complete design: {len(outcomes):,} of {expected:,} runs done; resume with --resume."
        )
        return Sensitivity(method, pd.DataFrame(), [note])
    parameters = manifest["parameters"]
    problem = salib_problem([SampledParameter(**p) for p in parameters])
    ordered = outcomes.sort_values("replication", kind="stable")
    one_seed = len(set(manifest.get("seeds", []))) == 1
    notes = [
        "Every run of the design has the same seed: the model's own randomness is held fixed, so the "
        "indices measure the parameters, not noise (the spread that randomness adds is what the "
        "replications of a target-probability experiment show)."
        if one_seed
        else "The runs of this design had different seeds, so the indices include the model's own noise."
    ]
    x = ordered[[parameter_column(name) for name in problem["names"]]].to_numpy()
    kinds = {p["name"]: p.get("kind", "") for p in parameters}
    seed = int(manifest["root_seed"])
    num_levels = int((manifest.get("salib") or {}).get("num_levels", 4))  # 4: SALib's default
    tables = []
    for outcome in (final.output_column, final.met_column):
        y = ordered[outcome].to_numpy(dtype=float)
        try:
            if method == "sobol":
                table = sobol_indices(problem, y, seed=seed)
            else:
                table = morris_indices(problem, x, y, num_levels=num_levels, seed=seed)
        except ValueError as exc:
            notes.append(f"{outcome}: {exc}.")
            continue
        table.insert(0, "outcome", outcome)
        table.insert(2, "kind", table["parameter"].map(kinds))
        tables.append(table)
    return Sensitivity(method, pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(), notes)


def discovery_features(outcomes: pd.DataFrame, scenarios: list[dict[str, Any]]) -> pd.DataFrame:
    """The inputs that vary between runs: sampled parameters, and the levers whose value
    differs between scenarios (named by their path; a sampled lever keeps its param column)."""
    params = [c for c in outcomes.columns if c.startswith(PARAM_PREFIX) and outcomes[c].nunique() > 1]
    features = outcomes[params].astype(float)
    for path in scenarios[0]["levers"] if scenarios else []:
        values = {s["name"]: s["levers"][path] for s in scenarios}
        if len(set(values.values())) > 1 and parameter_column(path) not in outcomes.columns:
            features[path] = outcomes["scenario"].map(values).astype(float)
    return features


def build_report(folder: Path) -> Report:
    """Read a results folder (complete or not) and compute every section of the report."""
    manifest, runs = read_results(Path(folder))
    targets = [Target.model_validate(t) for t in manifest["targets"]]
    scenarios = [s["name"] for s in manifest["scenarios"]]
    reference = manifest.get("reference")
    outcomes = run_outcomes(runs, targets)
    base_year, final_year = int(runs["year"].min()), int(runs["year"].max())
    final = targets[-1]
    effects = marginal_effects(outcomes, scenarios, reference, targets) if reference else None
    probabilities = target_probabilities(outcomes, scenarios, targets)
    headlines = (
        []
        if manifest["design"] in SENSITIVITY_METHODS
        else headline_scenarios(probabilities, reference, final)
    )
    header = Header(
        experiment=manifest["experiment"],
        description=manifest.get("description", ""),
        experiment_file=manifest.get("experiment_file", ""),
        design=manifest["design"],
        runs_done=len(outcomes),
        runs_total=int(manifest["runs_total"]),
        root_seed=int(manifest["root_seed"]),
        package_version=manifest.get("package_version", ""),
        reference=reference,
        base_year=base_year,
        final_year=final_year,
    )
    return Report(
        header=header,
        targets=targets,
        probabilities=probabilities,
        fan=output_fan(runs, scenarios),
        effects=effects,
        budget=budget(outcomes, scenarios, reference, final_year - base_year),
        value_for_money=value_for_money(outcomes, scenarios, reference, targets) if reference else None,
        by_base_output=probability_by_base_output(outcomes, scenarios, targets),
        sensitivity=global_sensitivity(manifest, outcomes, final),
        discovery=discover(discovery_features(outcomes, manifest["scenarios"]), outcomes[final.met_column]),
        beliefs=what_you_must_believe(outcomes, headlines, targets),
    )


def _plain(value: Any) -> Any:
    """JSON data: tables as lists of records, numpy scalars unboxed, nan as null."""
    if isinstance(value, pd.DataFrame):
        value = value.to_dict("records")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def report_json(report: Report) -> dict[str, Any]:
    """Every number of the report as plain data (nan as null), for scripts and the web page."""
    return _plain(
        {
            "header": asdict(report.header) | {"complete": report.header.complete},
            "targets": [target.model_dump() for target in report.targets],
            "probabilities": report.probabilities,
            "fan": report.fan,
            "effects": report.effects,
            "budget": report.budget,
            "value_for_money": report.value_for_money,
            "by_base_output": report.by_base_output,
            "sensitivity": None if report.sensitivity is None else asdict(report.sensitivity),
            "discovery": asdict(report.discovery),
            "beliefs": [belief_json(belief) for belief in report.beliefs],
        }
    )


REPORT_FORMATS = ("md", "html")


def report_file(lang: Language, report_format: str) -> str:
    """report.md / report.html for the Chinese report, report_en.md / report_en.html for the English one."""
    return f"report.{report_format}" if lang == "zh" else f"report_{lang}.{report_format}"


def render_report(report: Report, lang: Language = "zh", report_format: str = "md") -> str:
    """The report's text in the language and format (Markdown, or self-contained HTML)."""
    return report_html(report, lang) if report_format == "html" else report_markdown(report, lang)


def write_report(
    report: Report, folder: Path, lang: Language = "zh", report_format: str = "md"
) -> list[Path]:
    """Write the report into the results folder; returns the files written.

    Markdown links its charts, written beside it as PNG files; HTML holds them.
    """
    folder = Path(folder)
    written = write_charts(report, folder, lang) if report_format == "md" else []
    path = folder / report_file(lang, report_format)
    path.write_text(render_report(report, lang, report_format), encoding="utf-8")
    return [path, *written]
