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
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from sim.analysis.chart_font import use_chart_font
from sim.analysis.palette import BASELINE, CLUSTER_COLOURS, CURRENT, PREVIOUS, TARGET_COLOURS
from sim.run.results import cluster_frame, quarterly_frame
from sim.web.chart_figure import ChartFigure
from sim.web.chart_tips import tip, tip_each, with_tips
from sim.web.i18n import Language, cluster_name, text
from sim.web.live_figure import TITLE_Y, LiveFigure

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

use_chart_font()


@dataclass(frozen=True, eq=False)  # compared by identity: the page redraws when a new one comes
class Comparison:
    """Another run's annual output and fiscal cost, drawn faint behind this one: 'baseline', 'previous'."""

    kind: str
    annual: pd.DataFrame  # year, output_yi, fiscal_net_cost_yi (completed years only)


# Held while an SVG is drawn with its text setting: matplotlib's settings are the server's,
# not a session's (sim.web.server.matplotlib_settings_for_the_server), and one session's
# download (text as outlines) must not change how another session's page chart is drawn.
SVG_SETTING = threading.Lock()

COMPARISON_STYLES = {"baseline": (BASELINE, "-"), "previous": (PREVIOUS, "--")}


def to_svg(figure: Figure, standalone: bool = False) -> str:
    """The figure as an SVG document sized by its container (width 100%), its hover texts in.

    For the page, text stays text in the page's font (served once with the page, a third of
    the bytes of outlines and quicker to draw). `standalone`: an SVG file of its own (a
    download), text as outlines so that it looks the same without the page, at its own size.
    """
    buffer = io.StringIO()
    with SVG_SETTING, matplotlib.rc_context({"svg.fonttype": "path" if standalone else "none"}):
        figure.savefig(buffer, format="svg")
    svg = with_tips(figure, buffer.getvalue())
    svg = svg[svg.index("<svg") :]
    if standalone:
        return f'<?xml version="1.0" encoding="utf-8"?>\n{svg}'
    head, rest = svg.split(">", 1)
    head = head.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)
    return f'{head} style="width:100%;height:auto" role="img">{rest}'


WHEN = ["year", "quarter"]
CHART_COLUMNS = {
    "output": [*WHEN, "output_yi"],
    "indicators": [
        *WHEN,
        "tech_enterprises",
        "tier0_share",
        "tier1_share",
        "tier2_share",
        "tier3_share",
        "energy_intensity",
        "output_per_mu_wan",
        "credit_yi",
        "defaults",
        "entries",
        "exits",
    ],
    "land": [*WHEN, "land_total_mu", "land_in_use_mu", "land_idle_mu", "land_vacant_mu", "output_per_mu_wan"],
}


def chart_csv(name: str, model: IndustryModel) -> bytes:
    """The numbers a run chart draws, quarter by quarter (亿元, 亩, 万元/亩), as CSV.

    With a byte-order mark, so that Excel on Chinese Windows reads the cluster names right.
    """
    table = cluster_frame(model) if name == "clusters" else quarterly_frame(model)[CHART_COLUMNS[name]]
    return table.to_csv(index=False).encode("utf-8-sig")


def hover_points(ax: Axes, x: ArrayLike, y: ArrayLike, size: float) -> PathCollection:
    """Unseen points above every line, for a `tip_each` to say each point's value on hover."""
    return ax.scatter(x, y, s=size, color=CURRENT, alpha=0, zorder=10)


def _when(year: int, quarter: int, lang: Language) -> str:
    return text("quarter_of", lang).format(year=year, quarter=quarter)


def _year_tip(name: str, year: int, value: float, lang: Language) -> str:
    return text("tip_year", lang).format(name=name, year=year, value=f"{value:,.1f}")


def _latest_tip(name: str, frame: pd.DataFrame, values: pd.Series, lang: Language, digits: int = 1) -> str:
    """A series' name with its latest value, for the hover text of a line or a band."""
    last = frame.iloc[-1]
    when = _when(int(last["year"]), int(last["quarter"]), lang)
    return text("tip_latest", lang).format(
        name=name, when=when, value=f"{float(values.iloc[-1]):,.{digits}f}"
    )


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


def gridded(ax: Axes, axis: Literal["both", "x", "y"] = "both") -> None:
    """Faint grid lines at the ticks, and no tick marks: the lines mark the ticks, and the four
    run charts have a sixth fewer elements to draw and send at each step (1,950 -> 1,620)."""
    ax.grid(axis=axis, alpha=0.3)
    ax.tick_params(length=0)


def output_frame(model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()) -> Figure:
    """The output chart's frame: the targets and the comparison runs, which a step does not change."""
    fig = ChartFigure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    for comparison in comparisons:
        colour, style = COMPARISON_STYLES[comparison.kind]
        name = text(f"{comparison.kind}_run", lang)
        years, values = comparison.annual["year"], comparison.annual["output_yi"]
        ax.plot(years + 0.75, values, style, color=colour, alpha=0.7, marker=".", label=name)
        points = hover_points(ax, years + 0.75, values, 40)
        tip_each(
            points, [_year_tip(name, year, value, lang) for year, value in zip(years, values, strict=True)]
        )
    for target, colour in zip(model.params.targets, TARGET_COLOURS, strict=False):
        ax.axhline(target.threshold_yi, color=colour, linestyle=":", linewidth=1)
    _year_axis(ax, model)
    ax.set_title(text("output", lang), y=TITLE_Y)
    ax.set_ylabel(text("output_axis", lang))
    gridded(ax)
    return fig


def plot_output(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """Annualised quarterly output and completed years' totals, the target stars and the legend."""
    ax = fig.axes[0]
    quarters = quarterly_frame(model)
    t, pace = _time(quarters), quarters["output_yi"] * 4
    ax.plot(t, pace, color=CURRENT, alpha=0.5, label=text("annualised", lang))
    points = hover_points(ax, t, pace, 30)
    tip_each(
        points,
        [
            text("tip_quarter", lang).format(when=_when(year, quarter, lang), value=f"{value:,.1f}")
            for year, quarter, value in zip(quarters["year"], quarters["quarter"], pace, strict=True)
        ],
    )
    completed = quarters.groupby("year").filter(lambda year: len(year) == 4)
    totals = completed.groupby("year")["output_yi"].sum()
    ax.plot(totals.index + 0.75, totals.values, "o-", color=CURRENT, label=text("annual", lang))
    points = hover_points(ax, totals.index + 0.75, totals.values, 60)
    this_run = text("this_run", lang)
    tip_each(points, [_year_tip(this_run, year, value, lang) for year, value in totals.items()])
    for target, colour in zip(model.params.targets, TARGET_COLOURS, strict=False):
        label = f"{target.year} {text('target', lang)} {target.threshold_yi:,.0f} 亿元"
        (star,) = ax.plot(
            [target.year + 0.75], [target.threshold_yi], "*", color=colour, markersize=12, label=label
        )
        tip(star, label)
    ax.set_ylim(0, max(1100, float(quarters["output_yi"].max()) * 4.4))
    ax.legend(loc="lower right", fontsize=8)


def output_chart(
    model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()
) -> LiveFigure:
    """Output against the targets and the comparisons, kept for redrawing as the run goes."""
    frame = ("output", lang, frame_inputs(model), tuple(comparison.kind for comparison in comparisons))
    return LiveFigure(output_frame(model, lang, comparisons), lambda fig, m: plot_output(fig, m, lang), frame)


def output_figure(model: IndustryModel, lang: Language, comparisons: tuple[Comparison, ...] = ()) -> Figure:
    """Annualised quarterly output and completed years' totals against the targets and the comparisons."""
    return output_chart(model, lang, comparisons).draw(model)


def cluster_frame_figure(model: IndustryModel, lang: Language) -> Figure:
    fig = ChartFigure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    _year_axis(ax, model)
    ax.set_title(text("by_cluster", lang), y=TITLE_Y)
    ax.set_ylabel(text("output_axis", lang))
    gridded(ax)
    return fig


def plot_clusters(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """Stacked annualised output of each cluster, one distinct colour each."""
    ax = fig.axes[0]
    clusters = cluster_frame(model)
    wide = clusters.assign(t=_time(clusters)).pivot_table(index="t", columns="cluster", values="output_yi")
    specs = {c.key: c for c in model.base_year.clusters}
    keys = list(model.clusters.keys)
    names = [cluster_name(specs[key], lang) for key in keys]
    bands = ax.stackplot(
        wide.index, *(wide[key] * 4 for key in keys), labels=names, colors=CLUSTER_COLOURS[: len(keys)]
    )
    for band, key, name in zip(bands, keys, names, strict=True):
        tip(band, _latest_tip(name, clusters, wide[key] * 4, lang) + " 亿元")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)


def cluster_chart(model: IndustryModel, lang: Language) -> LiveFigure:
    frame = ("clusters", lang, frame_inputs(model))
    return LiveFigure(cluster_frame_figure(model, lang), lambda fig, m: plot_clusters(fig, m, lang), frame)


def cluster_figure(model: IndustryModel, lang: Language) -> Figure:
    """Stacked annualised output of each cluster, one distinct colour each."""
    return cluster_chart(model, lang).draw(model)


INDICATOR_TITLES = (
    "tech_enterprises",
    "digital_tiers",
    "energy_intensity",
    "output_per_mu",
    "credit_defaults",
    "entries_exits",
)


def indicators_frame(model: IndustryModel, lang: Language) -> Figure:
    """Six small panels with their titles; the credit panel's twin axis for defaults.

    The twin axis has no label of its own (which, rotated beside its tick labels, ran over
    them): the panel's title says what its line and its bars are.
    """
    fig = ChartFigure(figsize=(9.6, 5.2))
    axes = fig.subplots(2, 3, sharex=True).ravel()  # one horizon: years under the lower row only
    for ax, title in zip(axes, INDICATOR_TITLES, strict=True):
        ax.set_title(text(title, lang), fontsize=10, y=TITLE_Y)
        _year_axis(ax, model)
        ax.tick_params(labelsize=8)
        gridded(ax)
    defaults = axes[4].twinx()
    defaults.tick_params(labelsize=8)
    return fig


def plot_indicators(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """What the plans move, one point per quarter."""
    *axes, defaults = fig.axes
    quarters = quarterly_frame(model)
    t = _time(quarters)

    def line(ax, column: str, name: str, colour: str, digits: int = 1, **style) -> None:
        (drawn,) = ax.plot(t, quarters[column], color=colour, **style)
        tip(drawn, _latest_tip(name, quarters, quarters[column], lang, digits))

    line(axes[0], "tech_enterprises", text("tech_enterprises", lang), CURRENT, 0)
    for tier in range(4):
        name = f"{text('tier', lang)} {tier}"
        line(axes[1], f"tier{tier}_share", name, CLUSTER_COLOURS[tier * 3], 3, label=name)
    axes[1].legend(fontsize=8)
    line(axes[2], "energy_intensity", text("energy_intensity", lang), CURRENT, 4)
    line(axes[3], "output_per_mu_wan", text("output_per_mu", lang), CURRENT)
    line(axes[4], "credit_yi", text("credit", lang), CURRENT, label=text("credit", lang))
    bars = defaults.bar(t, quarters["defaults"], width=0.2, color=TARGET_COLOURS[0], alpha=0.4)
    rows = zip(bars, quarters["year"], quarters["quarter"], quarters["defaults"], strict=True)
    for bar, year, quarter, count in rows:
        when = _when(year, quarter, lang)
        tip(
            bar,
            text("tip_latest", lang).format(name=text("defaults", lang), when=when, value=f"{count:,.0f}"),
        )
    line(axes[5], "entries", text("entries", lang), CLUSTER_COLOURS[3], 0, label=text("entries", lang))
    line(axes[5], "exits", text("exits", lang), CLUSTER_COLOURS[6], 0, label=text("exits", lang))
    axes[5].legend(fontsize=8)


def indicators_chart(model: IndustryModel, lang: Language) -> LiveFigure:
    frame = ("indicators", lang, frame_inputs(model))
    return LiveFigure(indicators_frame(model, lang), lambda fig, m: plot_indicators(fig, m, lang), frame)


def indicators_figure(model: IndustryModel, lang: Language) -> Figure:
    """Small multiples of what the plans move, one point per quarter."""
    return indicators_chart(model, lang).draw(model)
