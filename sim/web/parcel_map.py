"""A map of the land parcels, coloured by status and, where occupied, by the occupant's cluster.

Parcels carry no coordinates (sim/model/parcels.py holds area, status and occupant only), so the
map lays them out on a deterministic square grid in parcel order: a parcel keeps its
place from quarter to quarter, and parcels split off later are appended at the end.
Dot area is proportional to parcel area.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from sim.model.parcels import NO_OCCUPANT, ParcelStatus
from sim.web.i18n import Language, text

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

STATUS_COLOURS = {
    ParcelStatus.VACANT: ("vacant", "#2ca02c"),
    ParcelStatus.IDLE: ("idle", "#7f7f7f"),
    ParcelStatus.PREPARING: ("preparing", "#c7c7c7"),
}


def grid_positions(count: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of parcel 0..count-1 on a square grid, filled row by row from the top."""
    columns = max(1, math.ceil(math.sqrt(count)))
    index = np.arange(count)
    return index % columns, -(index // columns)


def parcel_map_figure(model: IndustryModel, lang: Language) -> Figure:
    """Every parcel as a square on the grid: vacant, idle or being prepared, or its occupant's cluster."""
    parcels = model.parcels
    x, y = grid_positions(parcels.n)
    sizes = np.clip(parcels.area / np.median(parcels.area), 0.2, 30) * 3
    fig = Figure(figsize=(6.4, 5.2), layout="constrained")
    ax = fig.subplots()
    occupied = parcels.status == ParcelStatus.OCCUPIED
    occupant = np.where(parcels.occupant == NO_OCCUPANT, 0, parcels.occupant)
    cluster = model.firms.cluster[occupant]
    palette = colormaps["tab20"]
    for c, spec in enumerate(model.base_year.clusters):
        mask = occupied & (cluster == c)
        name = spec.name_zh if lang == "zh" else spec.name_en
        ax.scatter(x[mask], y[mask], s=sizes[mask], color=palette(c), marker="s", linewidths=0, label=name)
    for status, (key, colour) in STATUS_COLOURS.items():
        mask = parcels.status == status
        ax.scatter(
            x[mask], y[mask], s=sizes[mask], color=colour, marker="s", linewidths=0, label=text(key, lang)
        )
    ax.set_title(f"{text('parcels', lang)}, {model.year} Q{model.quarter}", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6, markerscale=2, frameon=False)
    return fig
