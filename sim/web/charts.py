"""The one-run charts: output against the targets (with the baseline and the previous run
faint behind it), output by cluster, the plans' indicators.

Figures are plain matplotlib `Figure`s (no pyplot state, so sessions on other threads do
not share a current figure), drawn with the package's own font (sim.analysis.chart_font)
and sent to the page as SVG whose text is set in the same font, which the page serves:
they grow with the screen, print sharply and need no script from outside. Each chart is a
frame and a plot of the data (sim/web/live_figure.py), so a step redraws the data only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis.chart_font import use_chart_font
from sim.analysis.palette import BASELINE, CLUSTER_COLOURS, CURRENT, PREVIOUS, TARGET_COLOURS
from sim.run.results import cluster_frame, quarterly_frame
from sim.web.i18n import Language, cluster_name, text
from sim.web.live_figure import LiveFigure

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

use_chart_font()


@dataclass(frozen=True, eq=False)  # compared by identity: the page redraws when a new one comes
class Comparison:
    """Another run's annual output and fiscal cost, drawn faint behind this one: 'baseline', 'previous'."""

    kind: str
    annual: pd.DataFrame  # year, output_yi, fiscal_cost_yi (completed years only)


COMPARISON_STYLES = {"baseline": (BASELINE, "-"), "previous": (PREVIOUS, "--")}


def to_svg(figure: Figure, outlines: bool = False) -> str:
    """The figure as an SVG document sized by its container (width 100%).

    For the page, text stays text in the page's font (served once with the page, a third of
    the bytes of outlines and quicker to draw); `outlines` draws it as paths, for an SVG
    that must look the same without the page (a download).
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path" if outlines else "none"}):
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    start = svg.index("<svg")
    head, rest = svg[start:].split(">", 1)
    head = head.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)
    return f'{head} style="width:100%;height:auto" role="img">{rest}'


def frame_inputs(model: IndustryModel) -> tuple[object, ...]:
    """What the charts' frames show of a model: its horizon, targets and clusters.

    Runs that agree on these (a reset, another seed, most lever moves) share their frames.
    """
    run = model.params.run
    targets = tuple((target.year, target.threshold_yi) for target in model.params.targets)
    return (run.first_year, run.last_year, targets, tuple(model.base_year.clusters))


def _time(frame: pd.DataFrame) -> pd.Series:
    """Quarters as fractional years: 2025 Q1 -> 2025.0 (the base year's Q4 -> 2024.75)."""
    return frame["year"] + (frame["quarter"] - 1) / 4


def _year_axis(ax, model: IndustryModel) -> None:
    """The whole horizon in years, so a chart keeps its scale as the run grows."""
    run = model.params.run
    ax.set_xlim(run.first_year - 1.5, run.last_year + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def output_frame(model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()) -> Figure:
    """The output chart's frame: the targets and the comparison runs, which a step does not change."""
    fig = Figure(figsize=(6.4, 3.8))
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
    for target, colour in zip(model.params.targets, TARGET_COLOURS, strict=False):
        ax.axhline(target.threshold_yi, color=colour, linestyle=":", linewidth=1)
    _year_axis(ax, model)
    ax.set_title(text("output", lang))
    ax.set_ylabel(text("output_axis", lang))
    ax.grid(alpha=0.3)
    return fig


def plot_output(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """Annualised quarterly output and completed years' totals, the target stars and the legend."""
    ax = fig.axes[0]
    quarters = quarterly_frame(model)
    ax.plot(
        _time(quarters), quarters["output_yi"] * 4, color=CURRENT, alpha=0.5, label=text("annualised", lang)
    )
    completed = quarters.groupby("year").filter(lambda year: len(year) == 4)
    totals = completed.groupby("year")["output_yi"].sum()
    ax.plot(totals.index + 0.75, totals.values, "o-", color=CURRENT, label=text("annual", lang))
    for target, colour in zip(model.params.targets, TARGET_COLOURS, strict=False):
        label = f"{target.year} {text('target', lang)} {target.threshold_yi:,.0f} 亿元"
        ax.plot([target.year + 0.75], [target.threshold_yi], "*", color=colour, markersize=12, label=label)
    ax.set_ylim(0, max(1100, float(quarters["output_yi"].max()) * 4.4))
    ax.legend(loc="lower right", fontsize=8)


def output_chart(
    model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()
) -> LiveFigure:
    """Output against the targets and the comparisons, kept for redrawing as the run goes."""
    return LiveFigure(output_frame(model, lang, comparisons), lambda fig, m: plot_output(fig, m, lang))


def output_figure(model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()) -> Figure:
    """Annualised quarterly output and completed years' totals against the targets and the comparisons."""
    return output_chart(model, lang, comparisons).draw(model)


def cluster_frame_figure(model: IndustryModel, lang: Language) -> Figure:
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    _year_axis(ax, model)
    ax.set_title(text("by_cluster", lang))
    ax.set_ylabel(text("output_axis", lang))
    ax.grid(alpha=0.3)
    return fig


def plot_clusters(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """Stacked annualised output of each cluster, one distinct colour each."""
    ax = fig.axes[0]
    clusters = cluster_frame(model)
    wide = clusters.assign(t=_time(clusters)).pivot_table(index="t", columns="cluster", values="output_yi")
    specs = {c.key: c for c in model.base_year.clusters}
    keys = list(model.clusters.keys)
    ax.stackplot(
        wide.index,
        *(wide[key] * 4 for key in keys),
        labels=[cluster_name(specs[key], lang) for key in keys],
        colors=CLUSTER_COLOURS[: len(keys)],
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)


def cluster_chart(model: IndustryModel, lang: Language) -> LiveFigure:
    return LiveFigure(cluster_frame_figure(model, lang), lambda fig, m: plot_clusters(fig, m, lang))


def cluster_figure(model: IndustryModel, lang: Language) -> Figure:
    """Stacked annualised output of each cluster, one distinct colour each."""
    return cluster_chart(model, lang).draw(model)


INDICATOR_TITLES = (
    "tech_enterprises",
    "digital_tiers",
    "energy_intensity",
    "output_per_mu",
    "credit",
    "entries_exits",
)


def indicators_frame(model: IndustryModel, lang: Language) -> Figure:
    """Six small panels with their titles; the credit panel's twin axis for defaults."""
    fig = Figure(figsize=(9.6, 5.2))
    axes = fig.subplots(2, 3).ravel()
    for ax, title in zip(axes, INDICATOR_TITLES, strict=True):
        ax.set_title(text(title, lang), fontsize=10)
        _year_axis(ax, model)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    defaults = axes[4].twinx()
    defaults.set_ylabel(text("defaults", lang), fontsize=9)
    defaults.tick_params(labelsize=8)
    return fig


def plot_indicators(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """What the plans move, one point per quarter."""
    *axes, defaults = fig.axes
    quarters = quarterly_frame(model)
    t = _time(quarters)
    axes[0].plot(t, quarters["tech_enterprises"], color=CURRENT)
    for tier in range(4):
        axes[1].plot(
            t,
            quarters[f"tier{tier}_share"],
            color=CLUSTER_COLOURS[tier * 3],
            label=f"{text('tier', lang)} {tier}",
        )
    axes[1].legend(fontsize=8)
    axes[2].plot(t, quarters["energy_intensity"], color=CURRENT)
    axes[3].plot(t, quarters["output_per_mu_wan"], color=CURRENT)
    axes[4].plot(t, quarters["credit_yi"], color=CURRENT, label=text("credit", lang))
    defaults.bar(t, quarters["defaults"], width=0.2, color=TARGET_COLOURS[0], alpha=0.4)
    axes[5].plot(t, quarters["entries"], color=CLUSTER_COLOURS[3], label=text("entries", lang))
    axes[5].plot(t, quarters["exits"], color=CLUSTER_COLOURS[6], label=text("exits", lang))
    axes[5].legend(fontsize=8)


def indicators_chart(model: IndustryModel, lang: Language) -> LiveFigure:
    return LiveFigure(indicators_frame(model, lang), lambda fig, m: plot_indicators(fig, m, lang))


def indicators_figure(model: IndustryModel, lang: Language) -> Figure:
    """Small multiples of what the plans move, one point per quarter."""
    return indicators_chart(model, lang).draw(model)
