"""The report as Markdown: what the CLI prints and report.md holds.

Probabilities are shown as percentages with their 95% interval, differences in percentage
points (pp), money in 亿元 (100 million yuan).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.analysis.beliefs import beliefs_markdown
from sim.analysis.discovery import MAX_DEPTH, MIN_LEAF_SHARE, Condition
from sim.analysis.report_charts import FAN_CHART, SENSITIVITY_CHART
from sim.experiments.sampling import SENSITIVITY_DESIGNS

if TYPE_CHECKING:
    from sim.analysis.report_data import Report
    from sim.inputs.scenario import Target

NOT_AVAILABLE = "n/a"
SENSITIVITY_COLUMNS = {  # method -> (column, heading, format)
    "sobol": (
        ("S1", "S1", "{:.3f}"),
        ("S1_conf", "± 95%", "{:.3f}"),
        ("ST", "ST", "{:.3f}"),
        ("ST_conf", "± 95%", "{:.3f}"),
    ),
    "morris": (
        ("mu_star", "mu*", "{:,.3f}"),
        ("mu_star_conf", "± 95%", "{:,.3f}"),
        ("sigma", "sigma", "{:,.3f}"),
    ),
}
DESIGN_CAVEAT = (
    " These runs are a sensitivity design (a structured sample with the levers varied and one seed), "
    "not a random sample of futures: read the shares as a description of the design's runs, not as "
    "probabilities."
)
SENSITIVITY_TITLES = {
    "sobol": "Sobol indices: S1 is the share of the outcome's variance due to the parameter alone, "
    "ST the share including its interactions (95% bootstrap half-widths).",
    "morris": "Morris screening: mu* is the mean absolute elementary effect, the change of the outcome per "
    "full range of the parameter (in the outcome's units; 95% bootstrap half-width); a sigma large "
    "against mu* means non-linear or interacting effects.",
}


def _number(value: float, fmt: str = "{:,.1f}") -> str:
    return NOT_AVAILABLE if value is None or math.isnan(value) else fmt.format(value)


def _percent(probability: float, low: float, high: float) -> str:
    if math.isnan(probability):
        return "no runs yet"
    return f"{100 * probability:.1f}% ({100 * low:.1f}–{100 * high:.1f}%)"


def _points(difference: float, low: float, high: float) -> str:
    if math.isnan(difference):
        return "no pairs yet"
    return f"{100 * difference:+.1f} pp ({100 * low:+.1f} to {100 * high:+.1f})"


def _table(headings: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _target_label(target: Target) -> str:
    return f"{target.year} ≥ {target.threshold_yi:,.0f} 亿元"


def _header(report: Report) -> str:
    h = report.header
    runs = f"{h.runs_done:,} of {h.runs_total:,}"
    lines = [f"# Experiment report: {h.experiment}", ""]
    if h.description:
        lines += [h.description, ""]
    if not h.complete:
        lines += [
            f"> **Incomplete results**: {runs} runs done; every number below is on the runs done. "
            f"Resume with the same `python -m sim experiment {h.experiment_file}` command plus `--resume`.",
            "",
        ]
    rows = [
        ["experiment file", f"`{h.experiment_file}`"],
        ["design", h.design],
        ["runs done", runs + ("" if h.complete else " (incomplete: resume with --resume)")],
        ["root seed", str(h.root_seed)],
        ["package version", h.package_version],
        ["reference scenario", h.reference or "none"],
        ["years", f"{h.base_year} (base year) to {h.final_year}"],
    ]
    lines.append(_table(["", ""], rows))
    return "\n".join(lines)


def _probabilities(report: Report) -> str:
    targets = " and ".join(f"≥ {t.threshold_yi:,.0f} 亿元 in {t.year}" for t in report.targets)
    table = report.probabilities
    rows = []
    for scenario, group in table.groupby("scenario", sort=False):
        cells = [_percent(r.probability, r.low, r.high) for r in group.itertuples()]
        rows.append([str(scenario), f"{group['runs'].iloc[0]:,}", *cells])
    headings = ["scenario", "runs", *(f"P({_target_label(t)})" for t in report.targets)]
    return "\n".join(
        [
            "## Probability of reaching the targets",
            "",
            f"Targets: 工业总产值 (gross industrial output) {targets}. Share of runs meeting each target, "
            "with its Wilson 95% interval."
            + (DESIGN_CAVEAT if report.header.design in SENSITIVITY_DESIGNS else ""),
            "",
            _table(headings, rows),
            "",
            f"![Annual 工业总产值 per scenario: median, 50% and 90% bands, against the targets]({FAN_CHART})",
            "",
            "Fan chart: median and the bands holding 50% and 90% of the runs' annual 工业总产值 (亿元); "
            "the dashed lines and stars are the targets.",
        ]
    )


def _effects(report: Report) -> str:
    reference, final = report.header.reference, report.targets[-1]
    if report.effects is None:
        return "## Marginal effects\n\nNo reference scenario in this experiment: no marginal effects."
    if report.effects.empty:
        return f"## Marginal effects\n\nNo scenario besides the reference ({reference}): no marginal effects."
    rows = []
    for scenario, group in report.effects.groupby("scenario", sort=False):
        cells = [_points(r.difference, r.low, r.high) for r in group.itertuples()]
        gain = group.loc[group["year"] == final.year, "mean_output_difference_yi"].iloc[0]
        rows.append([str(scenario), f"{group['pairs'].iloc[0]:,}", *cells, _number(gain, "{:+,.1f}")])
    headings = [
        "scenario",
        "pairs",
        *(f"ΔP({_target_label(t)})" for t in report.targets),
        f"mean Δ 工业总产值 {final.year} (亿元)",
    ]
    return "\n".join(
        [
            f"## Marginal effect of each scenario against {reference}",
            "",
            f"Run i of every scenario has the same sampled parameters and seed as run i of {reference}, "
            "so each difference is measured on these pairs: the gain in the probability of meeting "
            "the target in percentage points (pp), with Newcombe's paired score interval (95%), and "
            f"the mean gain in 工业总产值 in {final.year}.",
            "",
            _table(headings, rows),
        ]
    )


def _costs(report: Report) -> str:
    h = report.header
    years = f"{h.base_year + 1}–{h.final_year}"
    final = report.targets[-1]
    costs = report.costs
    lines = [
        "## Fiscal cost to the district budget",
        "",
        f"Mean annual cost {years} per scenario (亿元/yr, mean over runs).",
    ]
    if h.reference is None:
        rows = [[r.scenario, _number(r.mean_annual_cost_yi, "{:,.2f}")] for r in costs.itertuples()]
        return "\n".join([*lines, "", _table(["scenario", f"mean annual cost {years} (亿元)"], rows)])
    lines[-1] += (
        f" **Probability gained per 亿元** = percentage points of P(工业总产值 {_target_label(final)}) "
        f"gained over {h.reference}, divided by the extra cumulative fiscal cost {years} over "
        f"{h.reference} (亿元, mean over the same paired runs); {NOT_AVAILABLE} when the scenario "
        f"costs no more than {h.reference}."
    )
    rows = []
    for r in costs.itertuples():
        compared = (
            ["(reference)"] * 3
            if r.scenario == h.reference
            else [
                _number(r.extra_cumulative_cost_yi, "{:+,.2f}"),
                _number(r.probability_gain_pp, "{:+.1f} pp"),
                _number(r.pp_per_yi, "{:.2f} pp/亿元"),
            ]
        )
        rows.append([r.scenario, _number(r.mean_annual_cost_yi, "{:,.2f}"), *compared])
    headings = [
        "scenario",
        f"mean annual cost {years} (亿元)",
        f"extra cumulative cost {years} (亿元)",
        f"ΔP({final.year})",
        "probability gained per 亿元",
    ]
    return "\n".join([*lines, "", _table(headings, rows)])


def _by_base_output(report: Report) -> str:
    table = report.by_base_output
    if table is None:
        return ""
    rows = []
    for (scenario, low), group in table.groupby(["scenario", "base_low_yi"], sort=False):
        cells = [_percent(r.probability, r.low, r.high) for r in group.itertuples()]
        span = f"{low:,.1f}–{group['base_high_yi'].iloc[0]:,.1f}"
        rows.append([str(scenario), span, f"{group['runs'].iloc[0]:,}", *cells])
    base = f"{report.header.base_year} 工业总产值 (亿元, bin)"
    headings = ["scenario", base, "runs", *(f"P({_target_label(t)})" for t in report.targets)]
    return "\n".join(
        [
            "## How the answer depends on the uncertain 2024 base",
            "",
            f"The {report.header.base_year} 工业总产值 the projections start from is itself uncertain "
            "(sampled parameter `world.gross_output_yi`). Runs grouped by quartile of the sampled base, "
            "with the probability of meeting each target within the group (Wilson 95% interval).",
            "",
            _table(headings, rows),
        ]
    )


def _outcome_label(outcome: str, final: Target) -> str:
    if outcome == final.output_column:
        return f"工业总产值 {final.year} (亿元)"
    return f"{final.year} target met (0/1: 工业总产值 {_target_label(final)})"


def _sensitivity(report: Report) -> str:
    sensitivity = report.sensitivity
    if sensitivity is None:
        return ""
    title = {"sobol": "Sobol indices", "morris": "Morris screening"}[sensitivity.method]
    lines = [f"## Global sensitivity ({title})", "", SENSITIVITY_TITLES[sensitivity.method]]
    lines += [f"\n{note}" for note in sensitivity.notes]
    columns = SENSITIVITY_COLUMNS[sensitivity.method]
    if sensitivity.table.empty:
        return "\n".join(lines)
    for outcome, group in sensitivity.table.groupby("outcome", sort=False):
        rows = [
            [r["parameter"], r["kind"], *(_number(r[column], fmt) for column, _, fmt in columns)]
            for _, r in group.iterrows()
        ]
        headings = ["parameter", "kind", *(heading for _, heading, _ in columns)]
        lines += ["", f"### {_outcome_label(str(outcome), report.targets[-1])}", "", _table(headings, rows)]
    lines += ["", f"![Global sensitivity: indices with 95% error bars]({SENSITIVITY_CHART})"]
    return "\n".join(lines)


def _condition_text(conditions: list[Condition]) -> str:
    return " and ".join(f"`{condition}`" for condition in conditions) or "(all runs)"


def _discovery(report: Report) -> str:
    discovery, final = report.discovery, report.targets[-1]
    lines = [f"## Scenario discovery: what leads to meeting the {final.year} target", ""]
    if discovery.note:
        counted = f"{discovery.met:,} of {discovery.runs:,} runs met the target."
        return "\n".join([*lines, f"{counted} {discovery.note}"])
    base_rate = discovery.met / discovery.runs
    lines += [
        f"{discovery.met:,} of {discovery.runs:,} runs met 工业总产值 {_target_label(final)}. "
        f"A classification tree (CART, depth ≤ {MAX_DEPTH}, leaves of at least {MIN_LEAF_SHARE:.0%} of the "
        f"runs, met and unmet runs weighted equally) on the {len(discovery.features)} inputs that vary "
        "between runs (sampled parameters `param:…` and the levers that differ between scenarios) has a "
        f"balanced accuracy of {discovery.accuracy:.1%} (in-sample; 50% is no better than chance).",
        "",
    ]
    if not discovery.boxes:
        return "\n".join([*lines, "No leaf of the tree meets the target more often than the runs overall."])
    rows = [
        [
            str(n),
            _condition_text(box.conditions),
            f"{box.runs:,}",
            f"{box.density:.1%}",
            f"{box.coverage:.1%}",
        ]
        for n, box in enumerate(discovery.boxes, start=1)
    ]
    lines += [
        f"Boxes where runs meet the target more often than overall ({base_rate:.1%}), densest first. "
        "Density: share of the box's runs that met the target; coverage: share of all runs that met "
        "the target that fall in the box.",
        "",
        _table(["box", "conditions", "runs", "density", "coverage"], rows),
    ]
    return "\n".join(lines)


def _beliefs(report: Report) -> str:
    return beliefs_markdown(report.beliefs, "en") if report.beliefs else ""


def report_markdown(report: Report) -> str:
    """The whole report as Markdown; charts are linked by file name (written beside report.md)."""
    sections = (
        _header,
        _probabilities,
        _beliefs,
        _effects,
        _costs,
        _by_base_output,
        _sensitivity,
        _discovery,
    )
    return "\n\n".join(text for text in (section(report) for section in sections) if text) + "\n"
