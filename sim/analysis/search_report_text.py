"""The search report as Markdown, in Chinese or English: what `python -m sim report` prints for a
search, and report.md (report_en.md); sim/analysis/report_html.py makes the HTML of it.

Probabilities are percentages with their Wilson 95% interval; money in 亿元 a year, the
mean over the futures of the mean annual net fiscal cost 2025-2030. Levers are named by
their scenario paths in both languages (their Chinese labels belong to the web page).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sim.analysis.language import Language, pick
from sim.analysis.report_charts import chart_file
from sim.analysis.report_text import _number, _percent, _table
from sim.analysis.search_mixes import mix_name
from sim.analysis.search_report import IN_SAMPLE, SPREAD_SHARED, VERIFIED, optimisers_curse
from sim.analysis.search_report_chart import FRONTIER_CHART
from sim.inputs.levers import plans

if TYPE_CHECKING:
    from sim.analysis.search_report import Answer, SearchReport

MOST_MIXES_SHOWN = 12  # columns of the lever table; the JSON has every mix

WORDS: dict[str, tuple[str, str]] = {
    "title": ("# 实现目标需要什么：{name}", "# What it takes: {name}"),
    "budget": ("任何一年不超过 {budget} 亿元", "no year above {budget} 亿元"),
    "search_file": (
        "- 搜索文件：`{file}`；优化器 {optimiser}；根种子 {seed}；dazu-sim {version}",
        "- search file: `{file}`; optimiser {optimiser}; root seed {seed}; dazu-sim {version}",
    ),
    "candidates": (
        "- 已完成 {done:,} / {total:,} 个候选组合，每个都在同样的 {futures:,} 个未来情景上运行；"
        "搜索的杠杆：{levers} 个；目标：{objectives}",
        "- {done:,} of {total:,} candidates, each on the same {futures:,} futures; levers searched: "
        "{levers}; objectives: {objectives}",
    ),
    "constraints": ("- 约束：{constraints}", "- constraints: {constraints}"),
    "none": ("无", "none"),
    "rerun": (
        "- 前沿在 {futures:,} 个新的未来情景上重新运行（另一组抽样，没有共同的种子）",
        "- the frontier re-run on {futures:,} fresh futures (another sample, no seed in common)",
    ),
    "not_verified": (
        "：**尚未完成：以下数字仅为样本内结果（请继续搜索，--resume）**",
        ": **not yet: the numbers below are in-sample only (resume the search)**",
    ),
    "infeasible": (
        "- **没有候选组合满足约束**：下面的前沿由最接近的不可行组合构成",
        "- **no candidate met the constraints**: the frontier below is of the best infeasible mixes",
    ),
    "verified_at": ("在新的未来情景上验证为 {percent}", "{percent} on the fresh futures"),
    "reached": (
        "找到的达到 {target} 的最便宜组合，每年净财政成本 {cost:,.2f} 亿元（比 {status_quo} "
        "{extra:+,.2f} 亿元）：候选组合 {number}，{verified}（文件 `scenarios/{mix}.toml`）。",
        "The cheapest mix found that reaches {target} costs {extra:+,.2f} 亿元 a year against "
        "{status_quo} ({cost:,.2f} 亿元 a year in all): candidate {number}, verified {verified} "
        "(file `scenarios/{mix}.toml`).",
    ),
    "not_reached": (
        "在杠杆范围内没有找到达到 {target} 的组合：验证的最高概率{verified}，每年 {cost:,.2f} 亿元"
        "（比 {status_quo} {extra:+,.2f}；候选组合 {number}，文件 `scenarios/{mix}.toml`）。",
        "No mix found within the bounds reaches {target}: the highest verified probability is {verified}, "
        "at {cost:,.2f} 亿元 a year ({extra:+,.2f} against {status_quo}; candidate {number}, file "
        "`scenarios/{mix}.toml`).",
    ),
    "answers": ("## 答案", "## Answers"),
    "answers_wait": (
        "答案需要经过验证的前沿：请继续搜索以完成验证。",
        "The answers need the verified frontier: resume the search to finish it.",
    ),
    "gap": ("{year} 年 {gap:+.1f} 个百分点", "{gap:+.1f} points for {year}"),
    "curse": (
        "在搜索用的未来情景上，前沿看起来比在新的情景上更好（平均 {gaps}）：这些组合正是因为在那些情景上"
        "表现好而被选中的（优化者的诅咒）。所有答案都用新的未来情景。",
        "On the search futures the frontier looked better than on fresh ones ({gaps} on average): the "
        "mixes were chosen for doing well on those futures (the optimiser's curse). Every answer uses "
        "the fresh futures.",
    ),
    "curse_mixed": (
        "在搜索用的未来情景上，前沿的概率与在新的情景上不同（平均 {gaps}）：一个目标看起来更好，另一个更差。"
        "更好的是优化者的诅咒（组合因在那些情景上表现好而被选中），更差的是有限样本的抽样误差。所有答案都用新的未来情景。",
        "On the search futures the frontier's probabilities differed from those on fresh ones ({gaps} on "
        "average), better for one target and worse for another: the better is the optimiser's curse (the "
        "mixes were chosen for doing well on those futures), the worse the sampling noise of a finite "
        "sample. Every answer uses the fresh futures.",
    ),
    "no_curse": (
        "在搜索用的未来情景上，前沿看起来并不比在新的情景上更好（平均 {gaps}）：在这个样本量下看不到"
        "优化者的诅咒。所有答案都用新的未来情景。",
        "On the search futures the frontier looked no better than on fresh ones ({gaps} on average): no "
        "sign of the optimiser's curse at this sample size. Every answer uses the fresh futures.",
    ),
    "no_frontier": ("## 前沿\n\n尚无前沿。", "## Frontier\n\nNo frontier yet."),
    "in_sample": ("样本内", "in-sample"),
    "verified": ("已验证", "verified"),
    "mix": ("组合", "mix"),
    "cost_of": ("成本 亿元/年（{phase}）", "cost 亿元/yr ({phase})"),
    "extra_vs": ("比 {status_quo} 增加", "extra vs {status_quo}"),
    "costliest": ("成本最高的一年", "costliest year"),
    "frontier": ("## 前沿（{mixes}，按成本从低到高）", "## Frontier ({mixes}, cheapest first)"),
    "frontier_alt": ("前沿", "frontier"),
    "reference": ("参照情景", "reference"),
    "futures": ("未来情景", "futures"),
    "cost": ("成本 亿元/年", "cost 亿元/yr"),
    "lever": ("杠杆", "lever"),
    "range": ("搜索范围", "searched range"),
    "mix_n": ("组合 {number}", "mix {number}"),
    "levers_note": (
        "前沿 {mixes}中 {shown} 个的杠杆设置（答案所用的组合，以及沿前沿分布的其他组合；"
        "`--json` 列出每个候选组合）。",
        "Lever settings of {shown} of the frontier's {mixes} (the answers' and others spread along the "
        "frontier; `--json` lists every candidate).",
    ),
    "levers_title": ("## 前沿的杠杆设置（按行动计划）", "## The frontier's levers, plan by plan"),
    "spread_title": ("## 好的组合有什么共同点", "## What the good mixes share"),
    "single": (
        "前沿只有一个组合，无从比较差异。",
        "The frontier has a single mix: there is no spread to compare.",
    ),
    "good_mixes": (
        "好的组合是前沿中验证的 P({year}) 至少为 {least:.0f}% 的 {mixes}（如果达到的少于两个，则取按该"
        "概率排序的前沿中较好的一半）。如果它们的设置最多覆盖某个杠杆搜索范围的 {shared:.0f}%，"
        "该杠杆就算共同的。",
        "The good mixes are the {mixes} of the frontier whose verified P({year}) is at least {least:.0f}% "
        "(or, when fewer than two reach it, the better half of the frontier by that probability). A lever "
        "is shared when their settings span at most {shared:.0f}% of its searched range.",
    ),
    "least": ("最小", "least"),
    "median": ("中位数", "median"),
    "largest": ("最大", "largest"),
    "spanned": ("覆盖搜索范围的比例", "share of range spanned"),
    "shared": ("所有好的组合都相同：", "Shared by every good mix:"),
    "varying": (
        "在好的组合之间变化（前沿不需要把它们固定在某个值）：",
        "Varying between good mixes (the frontier does not need them at one setting):",
    ),
}


def say(key: str, lang: Language, **values: Any) -> str:
    return pick(WORDS[key], lang).format(**values)


def _mixes(count: int, lang: Language) -> str:
    if lang == "zh":
        return f"{count} 个组合"
    return f"{count} mix" if count == 1 else f"{count} mixes"


def _header(report: SearchReport, lang: Language) -> str:
    h = report.header
    lines = [say("title", lang, name=h.name), ""]
    if h.description:
        lines += [h.description, ""]
    constraints = []
    if h.constraints.get("yearly_budget_yi") is not None:
        constraints.append(say("budget", lang, budget=f"{h.constraints['yearly_budget_yi']:,.1f}"))
    constraints += [
        f"P({year}) >= {100 * p:.0f}%" for year, p in h.constraints.get("min_probability", {}).items()
    ]
    separator = "；" if lang == "zh" else "; "
    lines += [
        say(
            "search_file",
            lang,
            file=h.search_file,
            optimiser=h.optimiser,
            seed=h.root_seed,
            version=h.package_version,
        ),
        say(
            "candidates",
            lang,
            done=h.candidates_done,
            total=h.candidates_total,
            futures=h.futures,
            levers=len(report.levers),
            objectives=", ".join(h.objectives),
        ),
        say(
            "constraints", lang, constraints=separator.join(constraints) if constraints else say("none", lang)
        ),
        say("rerun", lang, futures=h.verification_futures)
        + ("" if h.verified else say("not_verified", lang)),
    ]
    if h.any_feasible is False:
        lines.append(say("infeasible", lang))
    return "\n".join(lines)


def answer_sentence(report: SearchReport, answer: Answer, lang: Language = "zh") -> str:
    """A plain answer, e.g. 'The cheapest mix found that reaches P(2030) >= 50% costs ...'."""
    target = f"P({answer.year} >= {answer.threshold_yi:,.0f} 亿元) >= {100 * answer.stated:.0f}%"
    verified = say("verified_at", lang, percent=_percent(answer.probability, answer.low, answer.high, lang))
    return say(
        "reached" if answer.reached else "not_reached",
        lang,
        target=target,
        cost=answer.cost_yi,
        extra=answer.extra_cost_yi,
        status_quo=report.header.status_quo,
        number=answer.number,
        verified=verified,
        mix=mix_name(report, answer),
    )


def curse_sentence(gaps: dict[int, float]) -> str:
    """Which sentence fits the in-sample minus verified gaps: only positive gaps are the
    optimiser's curse; gaps of both signs are noise; none positive, no sign of it."""
    if all(gap > 0 for gap in gaps.values()):
        return "curse"
    return "curse_mixed" if any(gap > 0 for gap in gaps.values()) else "no_curse"


def _answers(report: SearchReport, lang: Language) -> str:
    if not report.header.verified:
        return f"{say('answers', lang)}\n\n{say('answers_wait', lang)}"
    lines = [say("answers", lang), ""] + [f"- {answer_sentence(report, a, lang)}" for a in report.answers]
    curse = optimisers_curse(report)
    if curse:
        gaps = ("、" if lang == "zh" else ", ").join(
            say("gap", lang, gap=gap, year=year) for year, gap in curse.items()
        )
        lines += ["", say(curse_sentence(curse), lang, gaps=gaps)]
    return "\n".join(lines)


def _frontier(report: SearchReport, lang: Language) -> str:
    frontier = report.frontier
    if frontier.empty:
        return say("no_frontier", lang)
    years = [t.year for t in report.targets]
    phases = [IN_SAMPLE, VERIFIED] if report.header.verified else [IN_SAMPLE]
    names = {IN_SAMPLE: say("in_sample", lang), VERIFIED: say("verified", lang)}
    headings = [say("mix", lang)]
    for phase in phases:
        headings += [f"P({year}) {names[phase]}" for year in years]
    final = phases[-1]
    headings += [
        say("cost_of", lang, phase=names[final]),
        say("extra_vs", lang, status_quo=report.header.status_quo),
        say("costliest", lang),
    ]
    rows = []
    for number, row in frontier.iterrows():
        cells = [str(number)]
        for phase in phases:
            cells += [
                _percent(row[f"{phase}_p_{y}"], row[f"{phase}_p_{y}_low"], row[f"{phase}_p_{y}_high"], lang)
                for y in years
            ]
        cells += [
            _number(row[f"{final}_cost_yi"], lang, "{:,.2f}"),
            _number(row[f"{final}_extra_cost_yi"], lang, "{:+,.2f}"),
            _number(row[f"{final}_peak_yearly_cost_yi"], lang, "{:,.2f}"),
        ]
        rows.append(cells)
    text = [
        say("frontier", lang, mixes=_mixes(len(frontier), lang)),
        "",
        f"![{say('frontier_alt', lang)}]({chart_file(FRONTIER_CHART, lang)})",
        "",
        _table(headings, rows),
        "",
        _references(report, lang),
    ]
    return "\n".join(text)


def _references(report: SearchReport, lang: Language) -> str:
    years = [t.year for t in report.targets]
    headings = [say("reference", lang), say("futures", lang), *(f"P({y})" for y in years), say("cost", lang)]
    sets = {IN_SAMPLE: say("in_sample", lang), VERIFIED: say("verified", lang)}
    rows = [
        [row["scenario"], f"{sets.get(row['futures_set'], row['futures_set'])} ({int(row['futures'])})"]
        + [_percent(row[f"p_{y}"], row[f"p_{y}_low"], row[f"p_{y}_high"], lang) for y in years]
        + [_number(row["cost_yi"], lang, "{:,.2f}")]
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


def _levers(report: SearchReport, lang: Language) -> str:
    if report.frontier.empty:
        return ""
    shown = _shown_mixes(report)
    references = list(report.reference_levers)
    headings = [
        say("lever", lang),
        say("range", lang),
        *references,
        *(say("mix_n", lang, number=n) for n in shown),
    ]
    rows = []
    spread = report.lever_spread.set_index("lever")
    for plan_key, plan in plans().items():
        paths = [lever["path"] for lever in report.levers if lever["path"].split(".")[1] == plan_key]
        if not paths:
            continue
        title = plan.title_zh if lang == "zh" else plan.title_en
        rows.append([f"**{plan.number}. {title}**", "", *([""] * (len(references) + len(shown)))])
        for path in paths:
            low, high = spread.loc[path, "low"], spread.loc[path, "high"]
            cells = [path.split(".", 2)[2], f"{low:g}-{high:g}"]
            cells += [_setting(report.reference_levers[r].get(path, math.nan)) for r in references]
            cells += [_setting(report.candidates.loc[n, path]) for n in shown]
            rows.append(cells)
    note = say("levers_note", lang, shown=len(shown), mixes=_mixes(len(report.frontier), lang))
    return "\n".join([say("levers_title", lang), "", note, "", _table(headings, rows)])


def _spread(report: SearchReport, lang: Language) -> str:
    title = say("spread_title", lang)
    if not report.header.verified:
        return ""
    if len(report.good_mixes) < 2:
        return f"{title}\n\n{say('single', lang)}"
    spread = report.lever_spread.sort_values("spread", kind="stable")
    shared = spread[spread["shared"]]
    varying = spread[~spread["shared"]]
    final = report.targets[-1]
    lines = [
        title,
        "",
        say(
            "good_mixes",
            lang,
            mixes=_mixes(len(report.good_mixes), lang),
            year=final.year,
            least=100 * min(report.header.stated_probabilities),
            shared=100 * SPREAD_SHARED,
        ),
        "",
    ]
    headings = [say(key, lang) for key in ("lever", "least", "median", "largest", "spanned")]

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
        lines += [say("shared", lang), "", _table(headings, rows(shared)), ""]
    if not varying.empty:
        lines += [say("varying", lang), ""]
        lines += [_table(headings, rows(varying))]
    return "\n".join(lines)


def search_report_markdown(report: SearchReport, lang: Language = "zh") -> str:
    """The whole search report as Markdown in the language."""
    parts = [
        _header(report, lang),
        _answers(report, lang),
        _frontier(report, lang),
        _levers(report, lang),
        _spread(report, lang),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"
