"""The search report as Markdown: what `python -m sim report` prints for a search, and report.md.

Probabilities are percentages with their Wilson 95% interval; money in 亿元 a year, the
mean over the futures of the mean annual net fiscal cost 2025-2030.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.analysis.report_text import _number, _percent, _table
from sim.analysis.search_mixes import mix_name
from sim.analysis.search_report import IN_SAMPLE, SPREAD_SHARED, VERIFIED, optimisers_curse
from sim.analysis.search_report_chart import FRONTIER_CHART
from sim.inputs.levers import plans

if TYPE_CHECKING:
    from sim.analysis.search_report import Answer, SearchReport

MOST_MIXES_SHOWN = 12  # columns of the lever table; the JSON has every mix


def _mixes(count: int) -> str:
    return f"{count} mix" if count == 1 else f"{count} mixes"


def _header(report: SearchReport) -> str:
    h = report.header
    lines = [f"# What it takes: {h.name}", ""]
    if h.description:
        lines += [h.description, ""]
    constraints = []
    if h.constraints.get("yearly_budget_yi") is not None:
        constraints.append(f"no year above {h.constraints['yearly_budget_yi']:,.1f} 亿元")
    constraints += [
        f"P({year}) >= {100 * p:.0f}%" for year, p in h.constraints.get("min_probability", {}).items()
    ]
    lines += [
        f"- search file: `{h.search_file}`; optimiser {h.optimiser}; root seed {h.root_seed}; "
        f"dazu-sim {h.package_version}",
        f"- {h.candidates_done:,} of {h.candidates_total:,} candidates, each on the same {h.futures:,} "
        f"futures; levers searched: {len(report.levers)}; objectives: {', '.join(h.objectives)}",
        f"- constraints: {'; '.join(constraints) if constraints else 'none'}",
        f"- the frontier re-run on {h.verification_futures:,} fresh futures (another sample, no seed in "
        "common)"
        + ("" if h.verified else ": **not yet: the numbers below are in-sample only (resume the search)**"),
    ]
    if h.any_feasible is False:
        lines.append(
            "- **no candidate met the constraints**: the frontier below is of the best infeasible mixes"
        )
    return "\n".join(lines)


def answer_sentence(report: SearchReport, answer: Answer) -> str:
    """A plain answer, e.g. 'The cheapest mix found that reaches P(2030) >= 50% costs ...'."""
    target = f"P({answer.year} >= {answer.threshold_yi:,.0f} 亿元) >= {100 * answer.stated:.0f}%"
    verified = f"{_percent(answer.probability, answer.low, answer.high, 'en')} on the fresh futures"
    status_quo = report.header.status_quo
    if answer.reached:
        return (
            f"The cheapest mix found that reaches {target} costs {answer.extra_cost_yi:+,.2f} 亿元 a year "
            f"against {status_quo} ({answer.cost_yi:,.2f} 亿元 a year in all): candidate {answer.number}, "
            f"verified {verified} (file `scenarios/{mix_name(report, answer)}.toml`)."
        )
    return (
        f"No mix found within the bounds reaches {target}: the highest verified probability is {verified}, "
        f"at {answer.cost_yi:,.2f} 亿元 a year ({answer.extra_cost_yi:+,.2f} against {status_quo}; candidate "
        f"{answer.number}, file `scenarios/{mix_name(report, answer)}.toml`)."
    )


def _answers(report: SearchReport) -> str:
    if not report.header.verified:
        return "## Answers\n\nThe answers need the verified frontier: resume the search to finish it."
    lines = ["## Answers", ""] + [f"- {answer_sentence(report, a)}" for a in report.answers]
    curse = optimisers_curse(report)
    if curse:
        gaps = ", ".join(f"{gap:+.1f} points for {year}" for year, gap in curse.items())
        lines += [
            "",
            f"On the search futures the frontier looked better than on fresh ones ({gaps} on average): the "
            "mixes were chosen for doing well on those futures (the optimiser's curse). Every answer uses "
            "the fresh futures.",
        ]
    return "\n".join(lines)


def _frontier(report: SearchReport) -> str:
    frontier = report.frontier
    if frontier.empty:
        return "## Frontier\n\nNo frontier yet."
    years = [t.year for t in report.targets]
    phases = [IN_SAMPLE, VERIFIED] if report.header.verified else [IN_SAMPLE]
    names = {IN_SAMPLE: "in-sample", VERIFIED: "verified"}
    headings = ["mix"]
    for phase in phases:
        headings += [f"P({year}) {names[phase]}" for year in years]
    final = phases[-1]
    headings += [f"cost 亿元/yr ({names[final]})", f"extra vs {report.header.status_quo}", "costliest year"]
    rows = []
    for number, row in frontier.iterrows():
        cells = [str(number)]
        for phase in phases:
            cells += [
                _percent(row[f"{phase}_p_{y}"], row[f"{phase}_p_{y}_low"], row[f"{phase}_p_{y}_high"], "en")
                for y in years
            ]
        cells += [
            _number(row[f"{final}_cost_yi"], "en", "{:,.2f}"),
            _number(row[f"{final}_extra_cost_yi"], "en", "{:+,.2f}"),
            _number(row[f"{final}_peak_yearly_cost_yi"], "en", "{:,.2f}"),
        ]
        rows.append(cells)
    text = [
        f"## Frontier ({_mixes(len(frontier))}, cheapest first)",
        "",
        f"![frontier]({FRONTIER_CHART})",
        "",
        _table(headings, rows),
        "",
        _references(report),
    ]
    return "\n".join(text)


def _references(report: SearchReport) -> str:
    years = [t.year for t in report.targets]
    headings = ["reference", "futures", *(f"P({y})" for y in years), "cost 亿元/yr"]
    rows = [
        [row["scenario"], f"{row['futures_set']} ({int(row['futures'])})"]
        + [_percent(row[f"p_{y}"], row[f"p_{y}_low"], row[f"p_{y}_high"], "en") for y in years]
        + [_number(row["cost_yi"], "en", "{:,.2f}")]
        for _, row in report.references.iterrows()
    ]
    return _table(headings, rows)


def _setting(value: float) -> str:
    """A lever's setting, in its own unit: whole above 100, three significant digits below."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _shown_mixes(report: SearchReport) -> list[int]:
    """The answers' mixes and others evenly spaced along the frontier (by cost), at most MOST_MIXES_SHOWN."""
    ordered = [int(n) for n in report.frontier.index]
    chosen = list(dict.fromkeys(a.number for a in report.answers if a.number is not None))
    step = max(1, math.ceil(len(ordered) / MOST_MIXES_SHOWN))
    for number in ordered[::step]:
        if len(chosen) >= MOST_MIXES_SHOWN:
            break
        if number not in chosen:
            chosen.append(number)
    return sorted(chosen, key=ordered.index)


def _levers(report: SearchReport) -> str:
    if report.frontier.empty:
        return ""
    shown = _shown_mixes(report)
    references = list(report.reference_levers)
    headings = ["lever", "searched range", *references, *(f"mix {n}" for n in shown)]
    rows = []
    spread = report.lever_spread.set_index("lever")
    for plan_key, plan in plans().items():
        paths = [lever["path"] for lever in report.levers if lever["path"].split(".")[1] == plan_key]
        if not paths:
            continue
        rows.append([f"**{plan.number}. {plan.title_en}**", "", *([""] * (len(references) + len(shown)))])
        for path in paths:
            low, high = spread.loc[path, "low"], spread.loc[path, "high"]
            cells = [path.split(".", 2)[2], f"{low:g}-{high:g}"]
            cells += [_setting(report.reference_levers[r].get(path, math.nan)) for r in references]
            cells += [_setting(report.candidates.loc[n, path]) for n in shown]
            rows.append(cells)
    note = (
        f"Lever settings of {len(shown)} of the frontier's {_mixes(len(report.frontier))} (the answers' and "
        "others spread along the frontier; `--json` lists every candidate)."
    )
    return "\n".join(["## The frontier's levers, plan by plan", "", note, "", _table(headings, rows)])


def _spread(report: SearchReport) -> str:
    title = "## What the good mixes share"
    if not report.header.verified:
        return ""
    if len(report.good_mixes) < 2:
        return f"{title}\n\nThe frontier has a single mix: there is no spread to compare."
    spread = report.lever_spread.sort_values("spread", kind="stable")
    shared = spread[spread["shared"]]
    varying = spread[~spread["shared"]]
    final = report.targets[-1]
    lines = [
        title,
        "",
        f"The good mixes are the {_mixes(len(report.good_mixes))} of the frontier whose verified "
        f"P({final.year}) is at least {100 * min(report.header.stated_probabilities):.0f}% (or, when fewer "
        "than two reach it, the better half of the frontier by that probability). A lever is shared when "
        f"their settings span at most {100 * SPREAD_SHARED:.0f}% of its searched range.",
        "",
    ]
    headings = ["lever", "least", "median", "largest", "share of range spanned"]

    def rows(table):
        return [
            [
                r["lever"],
                *(_setting(r[k]) for k in ("least", "median", "largest")),
                f"{100 * r['spread']:.0f}%",
            ]
            for _, r in table.iterrows()
        ]

    if not shared.empty:
        lines += ["Shared by every good mix:", "", _table(headings, rows(shared)), ""]
    if not varying.empty:
        lines += ["Varying between good mixes (the frontier does not need them at one setting):", ""]
        lines += [_table(headings, rows(varying))]
    return "\n".join(lines)


def search_report_markdown(report: SearchReport) -> str:
    parts = [_header(report), _answers(report), _frontier(report), _levers(report), _spread(report)]
    return "\n\n".join(part for part in parts if part) + "\n"
