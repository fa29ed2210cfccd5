"""The land chart: industrial land in use, idle, vacant and being prepared over time, and
the land each cluster uses now with its output per mu.

Parcels carry no coordinates (sim/model/parcels.py holds area, status and occupant only),
so no map is drawn: what an official asks of the land is how much is used, how much lies
idle or ready, and which clusters use it how well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis.palette import CLUSTER_COLOURS, LAND_COLOURS
from sim.model.parcels import NO_OCCUPANT, ParcelStatus
from sim.run.results import cluster_frame, quarterly_frame
from sim.web.chart_figure import ChartFigure
from sim.web.chart_tips import tip
from sim.web.charts import frame_inputs, gridded
from sim.web.i18n import Language, cluster_name, text
from sim.web.live_figure import TITLE_Y, LiveFigure

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

YI_TO_WAN = 10_000  # 1 亿元 = 10,000 万元


def land_by_cluster(model: IndustryModel) -> tuple[np.ndarray, np.ndarray]:
    """(mu in use, annualised output per mu in 万元) of each cluster now, in cluster order."""
    parcels = model.parcels
    occupied = parcels.status == ParcelStatus.OCCUPIED
    occupant = np.where(parcels.occupant == NO_OCCUPANT, 0, parcels.occupant)
    cluster = model.firms.cluster[occupant]
    count = len(model.base_year.clusters)
    mu = np.bincount(cluster[occupied], weights=parcels.area[occupied], minlength=count)
    latest = cluster_frame(model).groupby("cluster", sort=False).tail(1)
    output = latest.set_index("cluster")["output_yi"].reindex(list(model.clusters.keys)).to_numpy() * 4
    with np.errstate(divide="ignore", invalid="ignore"):
        per_mu = np.where(mu > 0, output * YI_TO_WAN / mu, np.nan)
    return mu, per_mu


def land_frame(model: IndustryModel, lang: Language) -> Figure:
    """The two panels' axes, titles and the clusters' names, which a step does not change."""
    fig = ChartFigure(figsize=(9.6, 4.2))
    over_time, by_cluster = fig.subplots(1, 2, width_ratios=[1, 1.2])
    run = model.params.run
    over_time.set_xlim(run.first_year - 1.5, run.last_year + 1)
    over_time.xaxis.set_major_locator(MaxNLocator(integer=True))
    over_time.set_title(text("land_over_time", lang), fontsize=10, y=TITLE_Y)
    over_time.set_ylabel(text("mu", lang))
    gridded(over_time)
    names = [cluster_name(spec, lang) for spec in model.base_year.clusters]
    by_cluster.set_yticks(np.arange(len(names))[::-1], names, fontsize=7)
    by_cluster.set_xlabel(text("mu", lang))
    gridded(by_cluster, axis="x")
    return fig


def plot_land(fig: Figure, model: IndustryModel, lang: Language) -> None:
    """Left: land by status each quarter (亩). Right: each cluster's land now, labelled with output per mu."""
    over_time, by_cluster = fig.axes
    quarters = quarterly_frame(model)
    t = quarters["year"] + (quarters["quarter"] - 1) / 4
    preparing = quarters["land_total_mu"] - quarters[
        ["land_in_use_mu", "land_vacant_mu", "land_idle_mu"]
    ].sum(axis=1)
    series = {
        "in_use": quarters["land_in_use_mu"],
        "idle": quarters["land_idle_mu"],
        "vacant": quarters["land_vacant_mu"],
        "preparing": preparing.clip(lower=0),
    }
    names = [text(f"land_{key}", lang) for key in series]
    bands = over_time.stackplot(
        t, *series.values(), labels=names, colors=[LAND_COLOURS[key] for key in series]
    )
    when = text("quarter_of", lang).format(year=model.year, quarter=model.quarter)
    for band, name, values in zip(bands, names, series.values(), strict=True):
        mu_now = f"{float(values.iloc[-1]):,.0f} {text('mu', lang)}"
        tip(band, text("tip_latest", lang).format(name=name, when=when, value=mu_now))
    over_time.legend(loc="lower left", fontsize=8)
    mu, per_mu = land_by_cluster(model)
    rows = np.arange(len(mu))[::-1]
    bars = by_cluster.barh(rows, mu, color=CLUSTER_COLOURS[: len(mu)])
    clusters = [cluster_name(spec, lang) for spec in model.base_year.clusters]
    for bar, row, area, value, name in zip(bars, rows, mu, per_mu, clusters, strict=True):
        shown = f"{value:,.0f}" if np.isfinite(value) else "–"
        tip(bar, text("tip_land", lang).format(name=name, mu=f"{area:,.0f}", per_mu=shown))
        label = f" {value:,.0f} {text('wan_per_mu', lang)}" if np.isfinite(value) else ""
        by_cluster.text(area, row, label, va="center", fontsize=7)
    by_cluster.set_xlim(0, float(mu.max()) * 1.45 if mu.max() > 0 else 1)
    by_cluster.set_title(
        f"{text('land_by_cluster', lang)}, "
        + text("quarter_of", lang).format(year=model.year, quarter=model.quarter),
        fontsize=10,
        y=TITLE_Y,
    )


def land_chart(model: IndustryModel, lang: Language) -> LiveFigure:
    """The land chart, kept for redrawing as the run goes."""
    frame = ("land", lang, frame_inputs(model))
    return LiveFigure(land_frame(model, lang), lambda fig, m: plot_land(fig, m, lang), frame)


def land_figure(model: IndustryModel, lang: Language) -> Figure:
    """Land by status over time, and each cluster's land now with its output per mu."""
    return land_chart(model, lang).draw(model)
