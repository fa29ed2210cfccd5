"""The report's charts: output fans per scenario against the targets, and sensitivity bars.

Drawn in the package's own font (sim.analysis.chart_font), so Chinese labels read on any
machine; a scenario name with a character the font lacks is refused before drawing. The
charts of the Chinese report are `output_fan.png`, those of the English one `output_fan_en.png`.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis.chart_font import undrawable, use_chart_font  # noqa: E402
from sim.analysis.language import Language, pick  # noqa: E402
from sim.analysis.palette import CURRENT, TARGET_COLOURS  # noqa: E402
from sim.inputs.errors import InputError  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.analysis.report_data import Report, Sensitivity
    from sim.inputs.scenario import Target

FAN_CHART = "output_fan"
SENSITIVITY_CHART = "sensitivity"
MOST_IMPORTANT = 20  # parameters drawn per outcome; the report's tables list them all
DPI = 110
LABELS: dict[str, tuple[str, str]] = {
    "output": ("工业总产值（亿元）", "gross industrial output, 100 million yuan"),
    "band90": ("90% 的运行", "90% of runs"),
    "band50": ("50% 的运行", "50% of runs"),
    "median": ("中位数", "median"),
    "target": ("目标", "target"),
    "fan_title": (
        "各情景年度工业总产值，与行动方案目标对比",
        "Annual gross industrial output by scenario, against the plan's targets",
    ),
    "sobol": ("Sobol 指数", "Sobol indices"),
    "morris": ("Morris 筛选 (mu*)", "Morris screening (mu*)"),
    "S1": ("S1（单独）", "S1 (alone)"),
    "ST": ("ST（含交互）", "ST (with interactions)"),
    "mu_star": ("mu*", "mu*"),
    "sensitivity_title": (
        "全局敏感性：{method}，误差线为 95% 置信区间",
        "Global sensitivity: {method}, error bars 95% confidence",
    ),
    "output_of": ("{year} 年工业总产值", "gross industrial output {year}"),
    "met_of": ("{year} 年是否达到目标（0/1）", "{year} target met (0/1)"),
}
SENSITIVITY_BARS = {  # method -> (index, its 95% half-width) drawn side by side
    "sobol": (("S1", "S1_conf"), ("ST", "ST_conf")),
    "morris": (("mu_star", "mu_star_conf"),),
}


def chart_file(chart: str, lang: Language) -> str:
    """The file name of a chart of the report in the language."""
    return f"{chart}.png" if lang == "zh" else f"{chart}_{lang}.png"


def _label(key: str, lang: Language, **values: object) -> str:
    return pick(LABELS[key], lang).format(**values)


def check_drawable_names(names: list[str], what: str) -> None:
    """Refuse names the report's font cannot draw, rather than draw them as empty boxes."""
    for name in names:
        missing = undrawable(name)
        if missing:
            raise InputError(
                f"{what} {name!r}: the characters {missing!r} are not in the report's font "
                "(GB 2312 hanzi, Latin letters and common symbols are); rename it"
            )


def fan_figure(fan: pd.DataFrame, targets: list[Target], lang: Language) -> Figure:
    """One panel per scenario: median output, 50% and 90% bands, and the targets."""
    use_chart_font()
    scenarios = list(dict.fromkeys(fan["scenario"]))
    check_drawable_names(scenarios, "scenario")
    columns = min(3, len(scenarios))
    rows = math.ceil(len(scenarios) / columns)
    size = (4.2 * columns, 3.4 * rows)
    figure, axes = plt.subplots(rows, columns, figsize=size, sharey=True, squeeze=False, layout="constrained")
    for axis, scenario in zip(axes.flat, scenarios, strict=False):
        band = fan[fan["scenario"] == scenario]
        axis.fill_between(
            band["year"], band["p5"], band["p95"], alpha=0.2, color=CURRENT, label=_label("band90", lang)
        )
        axis.fill_between(
            band["year"], band["p25"], band["p75"], alpha=0.35, color=CURRENT, label=_label("band50", lang)
        )
        axis.plot(
            band["year"], band["p50"], color=CURRENT, marker="o", markersize=3, label=_label("median", lang)
        )
        for target, colour in zip(targets, TARGET_COLOURS, strict=False):
            axis.axhline(target.threshold_yi, color=colour, linestyle="--", linewidth=0.8)
            axis.plot([target.year], [target.threshold_yi], marker="*", color=colour, markersize=10)
        axis.set_title(scenario)
        axis.set_xticks(band["year"])
        axis.tick_params(axis="x", labelrotation=45)
        axis.grid(alpha=0.3)
    for axis in axes.flat[len(scenarios) :]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_ylabel(_label("output", lang))
    axes.flat[0].plot(
        [], [], color=TARGET_COLOURS[0], linestyle="--", marker="*", label=_label("target", lang)
    )
    axes.flat[0].legend(fontsize=8, loc="upper left")
    figure.suptitle(_label("fan_title", lang))
    return figure


def _outcome_title(outcome: str, lang: Language) -> str:
    """'output_2030' and 'met_2030' (the report's outcome columns) in words."""
    kind, year = outcome.split("_")
    return _label("output_of" if kind == "output" else "met_of", lang, year=year)


def sensitivity_figure(sensitivity: Sensitivity, lang: Language) -> Figure:
    """One panel per outcome: horizontal bars of the most important parameters' indices, 95% error bars."""
    use_chart_font()
    bars = SENSITIVITY_BARS[sensitivity.method]
    outcomes = list(dict.fromkeys(sensitivity.table["outcome"]))
    parameters = min(MOST_IMPORTANT, sensitivity.table["parameter"].nunique())
    figure, axes = plt.subplots(
        1,
        len(outcomes),
        figsize=(6.5 * len(outcomes), 1.2 + 0.28 * parameters * len(bars)),
        squeeze=False,
        layout="constrained",
    )
    height = 0.8 / len(bars)
    for axis, outcome in zip(axes.flat, outcomes, strict=True):
        shown = sensitivity.table[sensitivity.table["outcome"] == outcome].head(MOST_IMPORTANT)
        table = shown.iloc[::-1]  # the most important on top
        positions = range(len(table))
        for number, (index, half_width) in enumerate(bars):
            axis.barh(
                [p + (number - (len(bars) - 1) / 2) * height for p in positions],
                table[index],
                height=height,
                xerr=table[half_width],
                capsize=3,
                label=_label(index, lang),
            )
        axis.set_yticks(list(positions), table["parameter"], fontsize=8)
        axis.set_title(_outcome_title(str(outcome), lang))
        axis.grid(axis="x", alpha=0.3)
        axis.legend(fontsize=8)
    figure.suptitle(_label("sensitivity_title", lang, method=_label(sensitivity.method, lang)))
    return figure


def chart_figures(report: Report, lang: Language) -> dict[str, Figure]:
    """The report's charts by name; the sensitivity chart only when computed."""
    figures = {FAN_CHART: fan_figure(report.fan, report.targets, lang)}
    if report.sensitivity is not None and not report.sensitivity.table.empty:
        figures[SENSITIVITY_CHART] = sensitivity_figure(report.sensitivity, lang)
    return figures


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    return buffer.getvalue()


def write_charts(report: Report, folder: Path, lang: Language = "zh") -> list[Path]:
    """The report's charts as PNG files in the folder."""
    written = []
    for chart, figure in chart_figures(report, lang).items():
        path = folder / chart_file(chart, lang)
        path.write_bytes(png_bytes(figure))
        written.append(path)
    return written
