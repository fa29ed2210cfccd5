"""The one-run charts: output against the targets (with the baseline and the previous run
faint behind it), output by cluster, the plans' indicators.

Figures are plain matplotlib `Figure`s (no pyplot state, so sessions on other threads do
not share a current figure), drawn with the package's own font (sim.analysis.chart_font)
and sent to the page as SVG, text as outlines: they grow with the screen, print sharply
and need neither a font on the viewer's machine nor a script from outside.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis.chart_font import use_chart_font
from sim.analysis.palette import BASELINE, CLUSTER_COLOURS, CURRENT, PREVIOUS, TARGET_COLOURS
from sim.run.results import cluster_frame, quarterly_frame
from sim.web.i18n import Language, cluster_name, text

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

use_chart_font()


@dataclass(frozen=True, eq=False)  # compared by identity: the page redraws when a new one comes
class Comparison:
    """Another run's annual output and fiscal cost, drawn faint behind this one: 'baseline', 'previous'."""

    kind: str
    annual: pd.DataFrame  # year, output_yi, fiscal_cost_yi (completed years only)


COMPARISON_STYLES = {"baseline": (BASELINE, "-"), "previous": (PREVIOUS, "--")}


def to_svg(figure: Figure) -> str:
    """The figure as an SVG document sized by its container (width 100%)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    start = svg.index("<svg")
    head, rest = svg[start:].split(">", 1)
    head = head.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)
    return f'{head} style="width:100%;height:auto" role="img">{rest}'


def _time(frame: pd.DataFrame) -> pd.Series:
    """Quarters as fractional years: 2025 Q1 -> 2025.0 (the base year's Q4 -> 2024.75)."""
    return frame["year"] + (frame["quarter"] - 1) / 4


def _year_axis(ax, model: IndustryModel) -> None:
    """The whole horizon in years, so a chart keeps its scale as the run grows."""
    run = model.params.run
    ax.set_xlim(run.first_year - 1.5, run.last_year + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def output_figure(model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()) -> Figure:
    """Annualised quarterly output and completed years' totals against the targets and the comparisons."""
    quarters = quarterly_frame(model)
    fig = Figure(figsize=(6.4, 3.8), layout="constrained")
    ax = fig.subplots()
    for comparison in comparisons:
        colour, style = COMPARISON_STYLES[comparison.kind]
        ax.plot(
            comparison.annual["year"] + 0.75,
            comparison.annual["output_yi"],
            style,
            color=colour,
            alpha=0.7,
            marker=".",
            label=text(f"{comparison.kind}_run", lang),
        )
    ax.plot(
        _time(quarters), quarters["output_yi"] * 4, color=CURRENT, alpha=0.5, label=text("annualised", lang)
    )
    completed = quarters.groupby("year").filter(lambda year: len(year) == 4)
    totals = completed.groupby("year")["output_yi"].sum()
    ax.plot(totals.index + 0.75, totals.values, "o-", color=CURRENT, label=text("annual", lang))
    for target, colour in zip(model.params.targets, TARGET_COLOURS, strict=False):
        ax.axhline(target.threshold_yi, color=colour, linestyle=":", linewidth=1)
        label = f"{target.year} {text('target', lang)} {target.threshold_yi:,.0f} 亿元"
        ax.plot([target.year + 0.75], [target.threshold_yi], "*", color=colour, markersize=12, label=label)
    _year_axis(ax, model)
    ax.set_ylim(0, max(1100, float(quarters["output_yi"].max()) * 4.4))
    ax.set_title(text("output", lang))
    ax.set_ylabel(text("output_axis", lang))
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def cluster_figure(model: IndustryModel, lang: Language) -> Figure:
    """Stacked annualised output of each cluster, one distinct colour each."""
    clusters = cluster_frame(model)
    wide = clusters.assign(t=_time(clusters)).pivot_table(index="t", columns="cluster", values="output_yi")
    specs = {c.key: c for c in model.base_year.clusters}
    keys = list(model.clusters.keys)
    fig = Figure(figsize=(6.4, 3.8), layout="constrained")
    ax = fig.subplots()
    ax.stackplot(
        wide.index,
        *(wide[key] * 4 for key in keys),
        labels=[cluster_name(specs[key], lang) for key in keys],
        colors=CLUSTER_COLOURS[: len(keys)],
    )
    _year_axis(ax, model)
    ax.set_title(text("by_cluster", lang))
    ax.set_ylabel(text("output_axis", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.grid(alpha=0.3)
    return fig


def indicators_figure(model: IndustryModel, lang: Language) -> Figure:
    """Small multiples of what the plans move, one point per quarter."""
    quarters = quarterly_frame(model)
    t = _time(quarters)
    fig = Figure(figsize=(9.6, 5.2), layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    axes[0].plot(t, quarters["tech_enterprises"], color=CURRENT)
    axes[0].set_title(text("tech_enterprises", lang), fontsize=10)
    for tier in range(4):
        axes[1].plot(
            t,
            quarters[f"tier{tier}_share"],
            color=CLUSTER_COLOURS[tier * 3],
            label=f"{text('tier', lang)} {tier}",
        )
    axes[1].set_title(text("digital_tiers", lang), fontsize=10)
    axes[1].legend(fontsize=8)
    axes[2].plot(t, quarters["energy_intensity"], color=CURRENT)
    axes[2].set_title(text("energy_intensity", lang), fontsize=10)
    axes[3].plot(t, quarters["output_per_mu_wan"], color=CURRENT)
    axes[3].set_title(text("output_per_mu", lang), fontsize=10)
    axes[4].plot(t, quarters["credit_yi"], color=CURRENT, label=text("credit", lang))
    defaults = axes[4].twinx()
    defaults.bar(t, quarters["defaults"], width=0.2, color=TARGET_COLOURS[0], alpha=0.4)
    defaults.set_ylabel(text("defaults", lang), fontsize=9)
    axes[4].set_title(text("credit", lang), fontsize=10)
    axes[5].plot(t, quarters["entries"], color=CLUSTER_COLOURS[3], label=text("entries", lang))
    axes[5].plot(t, quarters["exits"], color=CLUSTER_COLOURS[6], label=text("exits", lang))
    axes[5].set_title(text("entries_exits", lang), fontsize=10)
    axes[5].legend(fontsize=8)
    for ax in axes:
        _year_axis(ax, model)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    return fig
