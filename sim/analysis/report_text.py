"""The report as Markdown, in Chinese (the planners' default) or English: what the CLI prints and report.md holds.

Probabilities are shown as percentages with their 95% interval, differences in percentage
points (pp, 个百分点), money in 亿元 (100 million yuan). Every sentence is a (中文, English)
pair in WORDS, so the two languages say the same things.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sim.analysis.beliefs import beliefs_markdown
from sim.analysis.discovery import MAX_DEPTH, MIN_LEAF_SHARE, Condition
from sim.analysis.language import Language, pick
from sim.analysis.report_charts import FAN_CHART, SENSITIVITY_CHART, chart_file
from sim.analysis.value_for_money import BOOTSTRAP_RESAMPLES, GAINS_AND_PAYS, PAYS_WITHOUT_GAIN, Interval
from sim.experiments.sampling import SENSITIVITY_DESIGNS

if TYPE_CHECKING:
    from sim.analysis.report_data import Report
    from sim.inputs.scenario import Target

WORDS: dict[str, tuple[str, str]] = {
    "n/a": ("无", "n/a"),
    "no_runs": ("尚无运行", "no runs yet"),
    "no_pairs": ("尚无成对运行", "no pairs yet"),
    "pp": ("个百分点", "pp"),
    "to": ("至", "to"),
    "title": ("# 实验报告：{name}", "# Experiment report: {name}"),
    "incomplete": (
        "> **结果不完整**：已完成 {runs} 次运行；下面每个数字都基于已完成的运行。"
        "在同一条 `python -m sim experiment {file}` 命令后加 `--resume` 可继续。",
        "> **Incomplete results**: {runs} runs done; every number below is on the runs done. "
        "Resume with the same `python -m sim experiment {file}` command plus `--resume`.",
    ),
    "of": ("{done} / {total}", "{done} of {total}"),
    "experiment_file": ("实验文件", "experiment file"),
    "design": ("抽样设计", "design"),
    "runs_done": ("已完成运行", "runs done"),
    "incomplete_note": ("（不完整：用 --resume 继续）", " (incomplete: resume with --resume)"),
    "root_seed": ("根随机种子", "root seed"),
    "package_version": ("程序版本", "package version"),
    "reference": ("参照情景", "reference scenario"),
    "none": ("无", "none"),
    "years": ("年份", "years"),
    "years_span": ("{base}（基期）至 {final}", "{base} (base year) to {final}"),
    "target_label": ("{year} 年 ≥ {threshold} 亿元", "{year} ≥ {threshold} 亿元"),
    "target_in": ("{year} 年 ≥ {threshold} 亿元", "≥ {threshold} 亿元 in {year}"),
    "and": ("、", " and "),
    "probabilities": ("## 实现目标的概率", "## Probability of reaching the targets"),
    "probabilities_text": (
        "目标：工业总产值 {targets}。表中为达到各目标的运行所占比例，括号内为 Wilson 95% 区间。",
        "Targets: 工业总产值 (gross industrial output) {targets}. Share of runs meeting each target, "
        "with its Wilson 95% interval.",
    ),
    "design_caveat": (
        "这些运行是敏感性分析设计（结构化抽样，杠杆也在变化，每次一个种子），不是未来情形的随机样本："
        "表中比例描述的是这些运行，不是概率。",
        " These runs are a sensitivity design (a structured sample with the levers varied and one seed), "
        "not a random sample of futures: read the shares as a description of the design's runs, not as "
        "probabilities.",
    ),
    "scenario": ("情景", "scenario"),
    "runs": ("运行次数", "runs"),
    "pairs": ("成对运行", "pairs"),
    "fan_alt": (
        "各情景的年度工业总产值：中位数、50% 和 90% 区间，与目标对比",
        "Annual 工业总产值 per scenario: median, 50% and 90% bands, against the targets",
    ),
    "fan_text": (
        "扇形图：各次运行年度工业总产值（亿元）的中位数，以及包含 50% 和 90% 运行的区间；虚线和星号为目标。",
        "Fan chart: median and the bands holding 50% and 90% of the runs' annual 工业总产值 (亿元); "
        "the dashed lines and stars are the targets.",
    ),
    "effects": (
        "## 各情景相对 {reference} 的边际效果",
        "## Marginal effect of each scenario against {reference}",
    ),
    "effects_title": ("## 边际效果", "## Marginal effects"),
    "no_reference": (
        "本实验没有参照情景：无边际效果。",
        "No reference scenario in this experiment: no marginal effects.",
    ),
    "only_reference": (
        "除参照情景（{reference}）外没有其他情景：无边际效果。",
        "No scenario besides the reference ({reference}): no marginal effects.",
    ),
    "effects_text": (
        "每个情景的第 i 次运行与 {reference} 的第 i 次运行使用相同的抽样参数和随机种子，因此差值在这些成对运行上计算："
        "达到目标概率的提高（百分点），括号内为 Newcombe 成对得分区间（95%），以及 {year} 年工业总产值的平均增加。",
        "Run i of every scenario has the same sampled parameters and seed as run i of {reference}, "
        "so each difference is measured on these pairs: the gain in the probability of meeting "
        "the target in percentage points (pp), with Newcombe's paired score interval (95%), and "
        "the mean gain in 工业总产值 in {year}.",
    ),
    "mean_gain": ("{year} 年工业总产值平均增加（亿元）", "mean Δ 工业总产值 {year} (亿元)"),
    "budget": ("## 区财政：支出、收入与净支出", "## The district budget: cost, revenue and net cost"),
    "budget_text": (
        "{years} 年各情景的区财政年均总支出（各项计划的成本）、收入（区级分享的增值税和企业所得税、土地出让收入、"
        "差别电价收入）和净支出（总支出减收入），亿元/年，各次运行的平均。收入是全部工业企业的，不只是计划带来的部分："
        "计划带来的是它与参照情景之差。",
        "Mean annual gross cost (what the plans pay for), revenue (the district's shares of VAT and "
        "enterprise income tax, land-transfer income, differential-tariff surcharges) and net cost (gross "
        "cost less revenue) to the district budget {years} per scenario, 亿元/yr, mean over runs. Revenue "
        "is that of the whole industry, not only what the plans add: a plan's part is its difference "
        "from the reference.",
    ),
    "extra_text": (
        " **增加的净支出** = 情景 {years} 年累计净支出减去 {reference} 的累计净支出（亿元，同一成对运行的平均，"
        "括号内为成对自助法 95% 区间）；为负表示该情景带回的收入多于其支出。",
        " **Extra net cost** = the scenario's cumulative net cost {years} less {reference}'s "
        "(亿元, mean over the same paired runs, with a 95% paired bootstrap interval); negative when "
        "the scenario brings back more than it spends.",
    ),
    "gross_cost": ("年均总支出（亿元）", "gross cost (亿元/yr)"),
    "revenue": ("年均收入（亿元）", "revenue (亿元/yr)"),
    "net_cost": ("年均净支出（亿元）", "net cost (亿元/yr)"),
    "extra_cost": ("{years} 年累计增加净支出（亿元）", "extra net cost {years} (亿元)"),
    "vfm": (
        "## 每亿元增加净支出的效果（相对 {reference}）",
        "## What each scenario buys per 亿元 of extra net cost (against {reference})",
    ),
    "vfm_text": (
        "每个情景按三项指标排序：各目标年达到目标的概率提高的百分点，以及 {year} 年工业总产值的增加（亿元），"
        "各除以 {years} 年累计增加的净支出（亿元）。比值为成对运行上两个平均数之比；括号内为对成对运行重抽样"
        "（scipy.stats.bootstrap，百分位法，{resamples} 次，固定种子）得到的 95% 区间。"
        "增加的净支出不大于 0 的情景不增加区财政负担（它带回的收入足以抵消支出），不计算比值："
        "有收益的排在所有需要花钱的情景之前（按收益大小），没有收益的排在最后。"
        "增加的净支出为正但其区间包含 0 时，比值的区间无界（成本可能为零），标为“区间无界”。",
        "Each scenario is ranked by three measures: the percentage points of each target's probability "
        "gained, and the extra 工业总产值 in {year} (亿元), each divided by the extra cumulative net cost "
        "{years} (亿元). A ratio is of two means over the paired runs; its 95% interval comes from "
        "resampling the pairs (scipy.stats.bootstrap, percentile method, {resamples} resamples, fixed "
        "seed). A scenario whose extra net cost is zero or below costs the budget nothing (its extra "
        "revenue covers its spending) and gets no ratio: it ranks above every scenario that costs money "
        "if it gains (by its gain), last if it does not. When the extra net cost is positive but its "
        "interval reaches zero, the ratio's interval is unbounded (the cost could be nil) and is shown "
        "as such.",
    ),
    "vfm_probability": (
        "### 按 P({target}) 每亿元提高的百分点",
        "### By percentage points of P({target}) per 亿元",
    ),
    "vfm_output": (
        "### 按 {year} 年工业总产值每亿元的增加",
        "### By extra 工业总产值 {year} per 亿元",
    ),
    "rank": ("排序", "rank"),
    "gain_pp": ("ΔP（个百分点）", "ΔP (pp)"),
    "gain_output": ("Δ 工业总产值 {year}（亿元）", "Δ 工业总产值 {year} (亿元)"),
    "per_yi": ("每亿元（95% 区间）", "per 亿元 (95% interval)"),
    "pp_per_yi": ("{value:.2f} 个百分点/亿元", "{value:.2f} pp/亿元"),
    "output_per_yi": ("{value:.2f} 亿元/亿元", "{value:.2f} 亿元/亿元"),
    "interval": ("（{low} 至 {high}）", " ({low} to {high})"),
    "unbounded": ("（区间无界）", " (interval unbounded)"),
    "pays_and_gains": ("不增加净支出即有收益", "pays for itself, and gains"),
    "pays_without_gain": ("不增加净支出，也无收益", "pays for itself, no gain"),
    "pays_and_loses": ("不增加净支出，但效果为负", "pays for itself, but loses"),
    "is_reference": ("（参照）", "(reference)"),
    "by_base": (
        "## 结论如何取决于不确定的 2024 年基数",
        "## How the answer depends on the uncertain 2024 base",
    ),
    "by_base_text": (
        "预测起点 {year} 年的工业总产值本身不确定（抽样参数 `world.gross_output_yi`）。按抽样基数的四分位分组，"
        "给出组内达到各目标的概率（Wilson 95% 区间）。",
        "The {year} 工业总产值 the projections start from is itself uncertain "
        "(sampled parameter `world.gross_output_yi`). Runs grouped by quartile of the sampled base, "
        "with the probability of meeting each target within the group (Wilson 95% interval).",
    ),
    "base_bin": ("{year} 年工业总产值（亿元，分组）", "{year} 工业总产值 (亿元, bin)"),
    "output_outcome": ("{year} 年工业总产值（亿元）", "工业总产值 {year} (亿元)"),
    "met_outcome": (
        "{year} 年是否达到目标（0/1：工业总产值 {target}）",
        "{year} target met (0/1: 工业总产值 {target})",
    ),
    "sobol_title": ("Sobol 指数", "Sobol indices"),
    "morris_title": ("Morris 筛选", "Morris screening"),
    "sensitivity": ("## 全局敏感性（{title}）", "## Global sensitivity ({title})"),
    "sobol_text": (
        "Sobol 指数：S1 为结果方差中仅由该参数造成的比例，ST 为包括其交互作用的比例（95% 自助法半宽）。",
        "Sobol indices: S1 is the share of the outcome's variance due to the parameter alone, "
        "ST the share including its interactions (95% bootstrap half-widths).",
    ),
    "morris_text": (
        "Morris 筛选：mu* 为平均绝对基本效应，即参数走完整个范围时结果的变化（以结果的单位计；95% 自助法半宽）；"
        "sigma 相对 mu* 较大说明效应非线性或有交互。",
        "Morris screening: mu* is the mean absolute elementary effect, the change of the outcome per "
        "full range of the parameter (in the outcome's units; 95% bootstrap half-width); a sigma large "
        "against mu* means non-linear or interacting effects.",
    ),
    "parameter": ("参数", "parameter"),
    "kind": ("类型", "kind"),
    "sensitivity_alt": ("全局敏感性：指数及 95% 误差线", "Global sensitivity: indices with 95% error bars"),
    "all_runs": ("（全部运行）", "(all runs)"),
    "discovery": (
        "## 情景发现：什么条件下能达到 {year} 年目标",
        "## Scenario discovery: what leads to meeting the {year} target",
    ),
    "counted": ("{runs} 次运行中有 {met} 次达到目标。", "{met} of {runs} runs met the target."),
    "discovery_text": (
        "{runs} 次运行中有 {met} 次达到工业总产值 {target}。在各次运行之间变化的 {features} 个输入"
        "（抽样参数 `param:…` 和各情景间不同的杠杆）上拟合分类树（CART，深度 ≤ {depth}，每个叶至少含 {leaf} 的运行，"
        "达到与未达到的运行等权），平衡准确率为 {accuracy}（样本内；50% 相当于随机猜测）。",
        "{met} of {runs} runs met 工业总产值 {target}. "
        "A classification tree (CART, depth ≤ {depth}, leaves of at least {leaf} of the "
        "runs, met and unmet runs weighted equally) on the {features} inputs that vary "
        "between runs (sampled parameters `param:…` and the levers that differ between scenarios) has a "
        "balanced accuracy of {accuracy} (in-sample; 50% is no better than chance).",
    ),
    "no_box": (
        "树中没有哪个叶达到目标的比例高于整体。",
        "No leaf of the tree meets the target more often than the runs overall.",
    ),
    "boxes_text": (
        "达到目标比例高于整体（{rate}）的区域，按密度从高到低。密度：区域内达到目标的运行所占比例；"
        "覆盖率：所有达到目标的运行中落在该区域的比例。",
        "Boxes where runs meet the target more often than overall ({rate}), densest first. "
        "Density: share of the box's runs that met the target; coverage: share of all runs that met "
        "the target that fall in the box.",
    ),
    "box": ("区域", "box"),
    "conditions": ("条件", "conditions"),
    "density": ("密度", "density"),
    "coverage": ("覆盖率", "coverage"),
}
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


def say(key: str, lang: Language, **values: Any) -> str:
    """A sentence of WORDS in the language, with its values filled in."""
    return pick(WORDS[key], lang).format(**values)


def _number(value: float, lang: Language, fmt: str = "{:,.1f}") -> str:
    return say("n/a", lang) if value is None or math.isnan(value) else fmt.format(value)


def _percent(probability: float, low: float, high: float, lang: Language) -> str:
    if math.isnan(probability):
        return say("no_runs", lang)
    return f"{100 * probability:.1f}% ({100 * low:.1f}–{100 * high:.1f}%)"


def _points(difference: float, low: float, high: float, lang: Language) -> str:
    if math.isnan(difference):
        return say("no_pairs", lang)
    return f"{100 * difference:+.1f} {say('pp', lang)} ({100 * low:+.1f} {say('to', lang)} {100 * high:+.1f})"


def _table(headings: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _target_label(target: Target, lang: Language) -> str:
    return say("target_label", lang, year=target.year, threshold=f"{target.threshold_yi:,.0f}")


def _header(report: Report, lang: Language) -> str:
    h = report.header
    runs = say("of", lang, done=f"{h.runs_done:,}", total=f"{h.runs_total:,}")
    lines = [say("title", lang, name=h.experiment), ""]
    if h.description:
        lines += [h.description, ""]
    if not h.complete:
        lines += [say("incomplete", lang, runs=runs, file=h.experiment_file), ""]
    rows = [
        [say("experiment_file", lang), f"`{h.experiment_file}`"],
        [say("design", lang), h.design],
        [say("runs_done", lang), runs + ("" if h.complete else say("incomplete_note", lang))],
        [say("root_seed", lang), str(h.root_seed)],
        [say("package_version", lang), h.package_version],
        [say("reference", lang), h.reference or say("none", lang)],
        [say("years", lang), say("years_span", lang, base=h.base_year, final=h.final_year)],
    ]
    lines.append(_table(["", ""], rows))
    return "\n".join(lines)


def _probabilities(report: Report, lang: Language) -> str:
    targets = say("and", lang).join(
        say("target_in", lang, year=t.year, threshold=f"{t.threshold_yi:,.0f}") for t in report.targets
    )
    rows = []
    for scenario, group in report.probabilities.groupby("scenario", sort=False):
        cells = [_percent(r.probability, r.low, r.high, lang) for r in group.itertuples()]
        rows.append([str(scenario), f"{group['runs'].iloc[0]:,}", *cells])
    headings = [
        say("scenario", lang),
        say("runs", lang),
        *(f"P({_target_label(t, lang)})" for t in report.targets),
    ]
    caveat = say("design_caveat", lang) if report.header.design in SENSITIVITY_DESIGNS else ""
    return "\n".join(
        [
            say("probabilities", lang),
            "",
            say("probabilities_text", lang, targets=targets) + caveat,
            "",
            _table(headings, rows),
            "",
            f"![{say('fan_alt', lang)}]({chart_file(FAN_CHART, lang)})",
            "",
            say("fan_text", lang),
        ]
    )


def _effects(report: Report, lang: Language) -> str:
    reference, final = report.header.reference, report.targets[-1]
    if report.effects is None:
        return f"{say('effects_title', lang)}\n\n{say('no_reference', lang)}"
    if report.effects.empty:
        return f"{say('effects_title', lang)}\n\n{say('only_reference', lang, reference=reference)}"
    rows = []
    for scenario, group in report.effects.groupby("scenario", sort=False):
        cells = [_points(r.difference, r.low, r.high, lang) for r in group.itertuples()]
        gain = group.loc[group["year"] == final.year, "mean_output_difference_yi"].iloc[0]
        rows.append([str(scenario), f"{group['pairs'].iloc[0]:,}", *cells, _number(gain, lang, "{:+,.1f}")])
    headings = [
        say("scenario", lang),
        say("pairs", lang),
        *(f"ΔP({_target_label(t, lang)})" for t in report.targets),
        say("mean_gain", lang, year=final.year),
    ]
    return "\n".join(
        [
            say("effects", lang, reference=reference),
            "",
            say("effects_text", lang, reference=reference, year=final.year),
            "",
            _table(headings, rows),
        ]
    )


def _budget(report: Report, lang: Language) -> str:
    h = report.header
    years = f"{h.base_year + 1}–{h.final_year}"
    text = say("budget_text", lang, years=years)
    headings = [say(key, lang) for key in ("scenario", "runs", "gross_cost", "revenue", "net_cost")]
    rows = []
    for r in report.budget.itertuples():
        cells = [
            _number(value, lang, "{:,.2f}")
            for value in (r.mean_annual_gross_cost_yi, r.mean_annual_revenue_yi, r.mean_annual_net_cost_yi)
        ]
        rows.append([r.scenario, f"{r.runs:,}", *cells])
    if h.reference is not None:
        text += say("extra_text", lang, years=years, reference=h.reference)
        headings.append(say("extra_cost", lang, years=years))
        for row, r in zip(rows, report.budget.itertuples(), strict=True):
            extra = Interval(r.extra_net_cost_yi, r.extra_net_cost_low_yi, r.extra_net_cost_high_yi)
            row.append(
                say("is_reference", lang) if r.scenario == h.reference else _ranged(extra, "{:+,.2f}", lang)
            )
    return "\n".join([say("budget", lang), "", text, "", _table(headings, rows)])


def _ranged(interval: Interval, fmt: str, lang: Language) -> str:
    """A value with its interval in brackets ("n/a" for nan; the bounds left out when nan)."""
    if math.isnan(interval.value):
        return say("n/a", lang)
    text = fmt.format(interval.value)
    if math.isnan(interval.low):
        return text
    return text + say("interval", lang, low=fmt.format(interval.low), high=fmt.format(interval.high))


def _per_yi(row: Any, key: str, lang: Language) -> str:
    """The ratio cell of a ranking row: the ratio with its interval, or the scenario's standing."""
    if row.pairs == 0:
        return say("no_pairs", lang)
    if row.standing == GAINS_AND_PAYS:
        return say("pays_and_gains", lang)
    if row.standing == PAYS_WITHOUT_GAIN:
        return say("pays_and_loses" if row.gain < 0 else "pays_without_gain", lang)
    value = say(key, lang, value=row.per_yi)
    if row.unbounded:
        return value + say("unbounded", lang)
    bounds = say("interval", lang, low=f"{row.per_yi_low:.2f}", high=f"{row.per_yi_high:.2f}")
    return value + bounds


def _value_for_money(report: Report, lang: Language) -> str:
    table, h = report.value_for_money, report.header
    if table is None or table.empty:
        return ""
    years = f"{h.base_year + 1}–{h.final_year}"
    final = report.targets[-1]
    text = say("vfm_text", lang, year=final.year, years=years, resamples=f"{BOOTSTRAP_RESAMPLES:,}")
    lines = [say("vfm", lang, reference=h.reference), "", text]
    measures = [
        (
            f"probability_{t.year}",
            say("vfm_probability", lang, target=_target_label(t, lang)),
            "gain_pp",
            "pp_per_yi",
        )
        for t in report.targets
    ]
    measures.append(
        (f"output_{final.year}", say("vfm_output", lang, year=final.year), "gain_output", "output_per_yi")
    )
    for measure, title, gain_key, ratio_key in measures:
        gain_format = "{:+.1f}" if gain_key == "gain_pp" else "{:+,.1f}"
        rows = [
            [
                str(r.rank),
                r.scenario,
                _number(r.extra_net_cost_yi, lang, "{:+,.2f}"),
                _number(r.gain, lang, gain_format),
                _per_yi(r, ratio_key, lang),
            ]
            for r in table[table["measure"] == measure].itertuples()
        ]
        headings = [
            say("rank", lang),
            say("scenario", lang),
            say("extra_cost", lang, years=years),
            say(gain_key, lang, year=final.year),
            say("per_yi", lang),
        ]
        lines += ["", title, "", _table(headings, rows)]
    return "\n".join(lines)


def _by_base_output(report: Report, lang: Language) -> str:
    table = report.by_base_output
    if table is None:
        return ""
    rows = []
    for (scenario, low), group in table.groupby(["scenario", "base_low_yi"], sort=False):
        cells = [_percent(r.probability, r.low, r.high, lang) for r in group.itertuples()]
        span = f"{low:,.1f}–{group['base_high_yi'].iloc[0]:,.1f}"
        rows.append([str(scenario), span, f"{group['runs'].iloc[0]:,}", *cells])
    year = report.header.base_year
    headings = [
        say("scenario", lang),
        say("base_bin", lang, year=year),
        say("runs", lang),
        *(f"P({_target_label(t, lang)})" for t in report.targets),
    ]
    return "\n".join(
        [say("by_base", lang), "", say("by_base_text", lang, year=year), "", _table(headings, rows)]
    )


def _outcome_label(outcome: str, final: Target, lang: Language) -> str:
    if outcome == final.output_column:
        return say("output_outcome", lang, year=final.year)
    return say("met_outcome", lang, year=final.year, target=_target_label(final, lang))


def _sensitivity(report: Report, lang: Language) -> str:
    sensitivity = report.sensitivity
    if sensitivity is None:
        return ""
    title = say(f"{sensitivity.method}_title", lang)
    lines = [say("sensitivity", lang, title=title), "", say(f"{sensitivity.method}_text", lang)]
    lines += [f"\n{note}" for note in sensitivity.notes]
    columns = SENSITIVITY_COLUMNS[sensitivity.method]
    if sensitivity.table.empty:
        return "\n".join(lines)
    for outcome, group in sensitivity.table.groupby("outcome", sort=False):
        rows = [
            [r["parameter"], r["kind"], *(_number(r[column], lang, fmt) for column, _, fmt in columns)]
            for _, r in group.iterrows()
        ]
        headings = [say("parameter", lang), say("kind", lang), *(heading for _, heading, _ in columns)]
        label = _outcome_label(str(outcome), report.targets[-1], lang)
        lines += ["", f"### {label}", "", _table(headings, rows)]
    lines += ["", f"![{say('sensitivity_alt', lang)}]({chart_file(SENSITIVITY_CHART, lang)})"]
    return "\n".join(lines)


def _condition_text(conditions: list[Condition], lang: Language) -> str:
    joined = " 且 " if lang == "zh" else " and "
    return joined.join(f"`{condition}`" for condition in conditions) or say("all_runs", lang)


def _discovery(report: Report, lang: Language) -> str:
    discovery, final = report.discovery, report.targets[-1]
    lines = [say("discovery", lang, year=final.year), ""]
    if discovery.note:
        counted = say("counted", lang, met=f"{discovery.met:,}", runs=f"{discovery.runs:,}")
        return "\n".join([*lines, f"{counted} {discovery.note}"])
    base_rate = discovery.met / discovery.runs
    lines += [
        say(
            "discovery_text",
            lang,
            met=f"{discovery.met:,}",
            runs=f"{discovery.runs:,}",
            target=_target_label(final, lang),
            depth=MAX_DEPTH,
            leaf=f"{MIN_LEAF_SHARE:.0%}",
            features=len(discovery.features),
            accuracy=f"{discovery.accuracy:.1%}",
        ),
        "",
    ]
    if not discovery.boxes:
        return "\n".join([*lines, say("no_box", lang)])
    rows = [
        [
            str(n),
            _condition_text(box.conditions, lang),
            f"{box.runs:,}",
            f"{box.density:.1%}",
            f"{box.coverage:.1%}",
        ]
        for n, box in enumerate(discovery.boxes, start=1)
    ]
    headings = [say(key, lang) for key in ("box", "conditions", "runs", "density", "coverage")]
    lines += [say("boxes_text", lang, rate=f"{base_rate:.1%}"), "", _table(headings, rows)]
    return "\n".join(lines)


def _beliefs(report: Report, lang: Language) -> str:
    return beliefs_markdown(report.beliefs, lang) if report.beliefs else ""


def report_markdown(report: Report, lang: Language = "zh") -> str:
    """The whole report as Markdown in the language; charts are linked by file name (written beside it)."""
    sections = (
        _header,
        _probabilities,
        _beliefs,
        _effects,
        _budget,
        _value_for_money,
        _by_base_output,
        _sensitivity,
        _discovery,
    )
    return "\n\n".join(text for text in (section(report, lang) for section in sections) if text) + "\n"
