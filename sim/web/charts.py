"""The one-run charts: output against the targets, output by cluster, the plans' indicators.

Figures are plain matplotlib `Figure`s (no pyplot state, so sessions on other threads do
not share a current figure); the page shows them as images, which needs no script from
outside. Chinese labels need a CJK font on the server: the first installed of
`CJK_FONTS` is put ahead of matplotlib's default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.run.results import cluster_frame, quarterly_frame
from sim.web.i18n import Language, text

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei")
TARGET_COLOURS = ("#d62728", "#9467bd")
PNG = {"format": "png", "dpi": 80}  # how the page sends figures: small images, quick to redraw


def use_cjk_font() -> None:
    """Let matplotlib fall back to an installed CJK font for Chinese labels."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in CJK_FONTS if name in installed]
    matplotlib.rcParams["font.sans-serif"] = [*found, *matplotlib.rcParams["font.sans-serif"]]


use_cjk_font()


def _time(frame: pd.DataFrame) -> pd.Series:
    """Quarters as fractional years: 2025 Q1 -> 2025.0 (the base year's Q4 -> 2024.75)."""
    return frame["year"] + (frame["quarter"] - 1) / 4


def _year_axis(ax, model: IndustryModel) -> None:
    """The whole horizon in years, so a chart keeps its scale as the run grows."""
    run = model.params.run
    ax.set_xlim(run.first_year - 1.5, run.last_year + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def output_figure(model: IndustryModel, lang: Language) -> Figure:
    """Annualised quarterly output and completed years' totals against the targets."""
    quarters = quarterly_frame(model)
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    ax.plot(_time(quarters), quarters["output_yi"] * 4, color="#1f77b4", label=text("annualised", lang))
    completed = quarters.groupby("year").filter(lambda year: len(year) == 4)
    totals = completed.groupby("year")["output_yi"].sum()
    ax.plot(totals.index + 0.75, totals.values, "o", color="#1f77b4", label=text("annual", lang))
    for target, colour in zip(model.params.targets, TARGET_COLOURS, strict=False):
        ax.axhline(target.threshold_yi, color=colour, linestyle="--", linewidth=1)
        label = f"{target.year} {text('target', lang)} {target.threshold_yi:,.0f}"
        ax.plot([target.year + 0.75], [target.threshold_yi], "*", color=colour, markersize=12, label=label)
    _year_axis(ax, model)
    ax.set_ylim(0, max(1100, float(quarters["output_yi"].max()) * 4.4))
    ax.set_title(text("output", lang))
    ax.set_ylabel(text("output_axis", lang))
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def cluster_figure(model: IndustryModel, lang: Language) -> Figure:
    """Stacked annualised output of each cluster."""
    clusters = cluster_frame(model)
    wide = clusters.assign(t=_time(clusters)).pivot_table(index="t", columns="cluster", values="output_yi")
    names = {c.key: c.name_zh if lang == "zh" else c.name_en for c in model.base_year.clusters}
    keys = list(model.clusters.keys)
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.subplots()
    ax.stackplot(wide.index, *(wide[key] * 4 for key in keys), labels=[names[key] for key in keys])
    _year_axis(ax, model)
    ax.set_title(text("by_cluster", lang))
    ax.set_ylabel(text("output_axis", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6, frameon=False)
    ax.grid(alpha=0.3)
    return fig


def indicators_figure(model: IndustryModel, lang: Language) -> Figure:
    """Small multiples of what the plans move, one point per quarter."""
    quarters = quarterly_frame(model)
    t = _time(quarters)
    fig = Figure(figsize=(9.6, 5.2), layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    axes[0].plot(t, quarters["tech_enterprises"])
    axes[0].set_title(text("tech_enterprises", lang), fontsize=9)
    for tier in range(4):
        axes[1].plot(t, quarters[f"tier{tier}_share"], label=f"{text('tier', lang)} {tier}")
    axes[1].set_title(text("digital_tiers", lang), fontsize=9)
    axes[1].legend(fontsize=7)
    axes[2].plot(t, quarters["energy_intensity"])
    axes[2].set_title(text("energy_intensity", lang), fontsize=9)
    axes[3].plot(t, quarters["output_per_mu_wan"])
    axes[3].set_title(text("output_per_mu", lang), fontsize=9)
    axes[4].plot(t, quarters["credit_yi"], label=text("credit", lang))
    defaults = axes[4].twinx()
    defaults.bar(t, quarters["defaults"], width=0.2, color="#d62728", alpha=0.4)
    defaults.set_ylabel(text("defaults", lang), fontsize=8)
    axes[4].set_title(text("credit", lang), fontsize=9)
    axes[5].plot(t, quarters["entries"], label=text("entries", lang))
    axes[5].plot(t, quarters["exits"], label=text("exits", lang))
    axes[5].set_title(text("entries_exits", lang), fontsize=9)
    axes[5].legend(fontsize=7)
    for ax in axes:
        _year_axis(ax, model)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    return fig
