"""The frontier chart: net fiscal cost against the final target's probability.

Every candidate in-sample (grey), the frontier in-sample (hollow) and verified on fresh
futures (filled, coloured by the first target's verified probability, with the final
target's 95% interval), and the references verified (stars). Labels in the report's
language, drawn with the package's own font (sim/analysis/chart_font.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.analysis.chart_font import use_chart_font  # noqa: E402
from sim.analysis.language import Language, pick  # noqa: E402
from sim.analysis.report_charts import chart_file  # noqa: E402

if TYPE_CHECKING:
    from sim.analysis.search_report import SearchReport

FRONTIER_CHART = "frontier"  # frontier.png beside the Chinese report, frontier_en.png the English
LABELS = {
    "candidates": ("候选组合（{n} 个搜索用未来情景）", "candidates, on the {n} search futures"),
    "in_sample": ("前沿，样本内（偏高）", "frontier, in-sample (biased upward)"),
    "verified": ("前沿，在 {n} 个新的未来情景上验证", "frontier, verified on {n} fresh futures"),
    "colour": ("验证的 P({year} ≥ {threshold} 亿元)，%", "verified P({year} >= {threshold}), %"),
    "references_verified": ("参照情景，已验证", "references, verified"),
    "references_in_sample": ("参照情景，样本内", "references, in-sample"),
    "cost": (
        "2025-2030 年平均净财政成本（亿元/年）",
        "mean net fiscal cost 2025-2030, 100 million yuan a year",
    ),
    "probability": ("P({year} 年产值 ≥ {threshold} 亿元)，%", "P({year} output >= {threshold}), %"),
    "title": ("实现目标需要什么：{name}", "What it takes: {name}"),
}


def _label(key: str, lang: Language, **values: object) -> str:
    return pick(LABELS[key], lang).format(**values)


def frontier_figure(report: SearchReport, lang: Language = "zh") -> Figure:
    """The chart as a matplotlib figure."""
    use_chart_font()
    final, first = report.targets[-1], report.targets[0]
    figure, axis = plt.subplots(figsize=(8, 5.2), layout="constrained")
    everyone = report.candidates
    axis.scatter(
        everyone["in_sample_cost_yi"],
        100 * everyone[f"in_sample_p_{final.year}"],
        s=10,
        color="0.75",
        label=_label("candidates", lang, n=report.header.futures),
    )
    frontier = report.frontier
    if not frontier.empty:
        axis.scatter(
            frontier["in_sample_cost_yi"],
            100 * frontier[f"in_sample_p_{final.year}"],
            s=36,
            facecolors="none",
            edgecolors="C0",
            label=_label("in_sample", lang),
        )
    if report.header.verified and not frontier.empty:
        p = 100 * frontier[f"verified_p_{final.year}"]
        errors = [
            p - 100 * frontier[f"verified_p_{final.year}_low"],
            100 * frontier[f"verified_p_{final.year}_high"] - p,
        ]
        axis.errorbar(frontier["verified_cost_yi"], p, yerr=errors, fmt="none", ecolor="0.5", elinewidth=0.6)
        colours = axis.scatter(
            frontier["verified_cost_yi"],
            p,
            c=100 * frontier[f"verified_p_{first.year}"],
            cmap="viridis",
            vmin=0,
            vmax=100,
            s=44,
            zorder=3,
            label=_label("verified", lang, n=report.header.verification_futures),
        )
        if first.year != final.year:
            threshold = f"{first.threshold_yi:,.0f}"
            figure.colorbar(
                colours, ax=axis, label=_label("colour", lang, year=first.year, threshold=threshold)
            )
    references = report.references
    shown = references[references["futures_set"] == ("verified" if report.header.verified else "in_sample")]
    for index, (_, row) in enumerate(shown.iterrows()):
        key = "references_verified" if report.header.verified else "references_in_sample"
        label = _label(key, lang) if index == 0 else None
        axis.scatter(
            [row["cost_yi"]],
            [100 * row[f"p_{final.year}"]],
            marker="*",
            s=160,
            color="C3",
            zorder=4,
            label=label,
        )
        axis.annotate(
            row["scenario"],
            (row["cost_yi"], 100 * row[f"p_{final.year}"]),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=9,
            color="C3",
        )
    axis.set_xlabel(_label("cost", lang))
    axis.set_ylabel(_label("probability", lang, year=final.year, threshold=f"{final.threshold_yi:,.0f}"))
    axis.set_ylim(-3, 103)
    axis.set_title(_label("title", lang, name=report.header.name))
    axis.legend(loc="lower right", fontsize=8)
    axis.grid(alpha=0.3)
    return figure


def write_frontier_chart(report: SearchReport, folder: Path, lang: Language = "zh") -> Path:
    path = Path(folder) / chart_file(FRONTIER_CHART, lang)
    figure = frontier_figure(report, lang)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
