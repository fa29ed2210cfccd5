"""The frontier chart: net fiscal cost against the final target's probability.

Every candidate in-sample (grey), the frontier in-sample (hollow) and verified on fresh
futures (filled, coloured by the first target's verified probability, with the final
target's 95% interval), and the references verified (stars). Labels are in English: the
fonts available to matplotlib on most machines lack CJK glyphs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

if TYPE_CHECKING:
    from sim.analysis.search_report import SearchReport

FRONTIER_CHART = "frontier.png"
COST_LABEL = "mean net fiscal cost 2025-2030, 100 million yuan a year"


def frontier_figure(report: SearchReport) -> Figure:
    """The chart as a matplotlib figure (the web page draws the same one)."""
    final, first = report.targets[-1], report.targets[0]
    figure, axis = plt.subplots(figsize=(8, 5.2), layout="constrained")
    everyone = report.candidates
    axis.scatter(
        everyone["in_sample_cost_yi"],
        100 * everyone[f"in_sample_p_{final.year}"],
        s=10,
        color="0.75",
        label=f"candidates, on the {report.header.futures} search futures",
    )
    frontier = report.frontier
    if not frontier.empty:
        axis.scatter(
            frontier["in_sample_cost_yi"],
            100 * frontier[f"in_sample_p_{final.year}"],
            s=36,
            facecolors="none",
            edgecolors="C0",
            label="frontier, in-sample (biased upward)",
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
            label=f"frontier, verified on {report.header.verification_futures} fresh futures",
        )
        if first.year != final.year:
            figure.colorbar(
                colours, ax=axis, label=f"verified P({first.year} >= {first.threshold_yi:,.0f}), %"
            )
    references = report.references
    shown = references[references["futures_set"] == ("verified" if report.header.verified else "in_sample")]
    for index, (_, row) in enumerate(shown.iterrows()):
        label = f"references, {'verified' if report.header.verified else 'in-sample'}" if index == 0 else None
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
    axis.set_xlabel(COST_LABEL)
    axis.set_ylabel(f"P({final.year} output >= {final.threshold_yi:,.0f}), %")
    axis.set_ylim(-3, 103)
    axis.set_title(f"What it takes: {report.header.name}")
    axis.legend(loc="lower right", fontsize=8)
    axis.grid(alpha=0.3)
    return figure


def write_frontier_chart(report: SearchReport, folder: Path) -> Path:
    path = Path(folder) / FRONTIER_CHART
    figure = frontier_figure(report)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
