"""The report's charts: output fans per scenario against the targets, and sensitivity bars.

Labels are in English: the fonts available to matplotlib on most machines lack CJK glyphs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

if TYPE_CHECKING:
    from sim.analysis.report_data import Report, Sensitivity
    from sim.inputs.scenario import Target

FAN_CHART = "output_fan.png"
SENSITIVITY_CHART = "sensitivity.png"
MOST_IMPORTANT = 20  # parameters drawn per outcome; the report's tables list them all
OUTPUT_LABEL = "gross industrial output, 100 million yuan"
METHOD_TITLES = {"sobol": "Sobol indices", "morris": "Morris screening (mu*)"}
SENSITIVITY_BARS = {  # method -> (index, its 95% half-width, legend) drawn side by side
    "sobol": (("S1", "S1_conf", "S1 (alone)"), ("ST", "ST_conf", "ST (with interactions)")),
    "morris": (("mu_star", "mu_star_conf", "mu*"),),
}


def plot_fan(fan: pd.DataFrame, targets: list[Target], path: Path) -> None:
    """One panel per scenario: median output, 50% and 90% bands, and the targets."""
    scenarios = list(dict.fromkeys(fan["scenario"]))
    columns = min(3, len(scenarios))
    rows = math.ceil(len(scenarios) / columns)
    size = (4.2 * columns, 3.4 * rows)
    figure, axes = plt.subplots(rows, columns, figsize=size, sharey=True, squeeze=False, layout="constrained")
    for axis, scenario in zip(axes.flat, scenarios, strict=False):
        band = fan[fan["scenario"] == scenario]
        axis.fill_between(band["year"], band["p5"], band["p95"], alpha=0.2, color="C0", label="90% of runs")
        axis.fill_between(band["year"], band["p25"], band["p75"], alpha=0.35, color="C0", label="50% of runs")
        axis.plot(band["year"], band["p50"], color="C0", marker="o", markersize=3, label="median")
        for target in targets:
            axis.axhline(target.threshold_yi, color="C3", linestyle="--", linewidth=0.8)
            axis.plot([target.year], [target.threshold_yi], marker="*", color="C3", markersize=10)
        axis.set_title(scenario)
        axis.set_xticks(band["year"])
        axis.tick_params(axis="x", labelrotation=45)
        axis.grid(alpha=0.3)
    for axis in axes.flat[len(scenarios) :]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_ylabel(OUTPUT_LABEL)
    axes.flat[0].plot([], [], color="C3", linestyle="--", marker="*", label="target")
    axes.flat[0].legend(fontsize=8, loc="upper left")
    figure.suptitle("Annual gross industrial output by scenario, against the plan's targets")
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _outcome_title(outcome: str) -> str:
    """'output_2030' and 'met_2030' (the report's outcome columns) in words."""
    kind, year = outcome.split("_")
    return f"gross industrial output {year}" if kind == "output" else f"{year} target met (0/1)"


def plot_sensitivity(sensitivity: Sensitivity, path: Path) -> None:
    """One panel per outcome: horizontal bars of the most important parameters' indices, 95% error bars."""
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
        for number, (index, half_width, legend) in enumerate(bars):
            axis.barh(
                [p + (number - (len(bars) - 1) / 2) * height for p in positions],
                table[index],
                height=height,
                xerr=table[half_width],
                capsize=3,
                label=legend,
            )
        axis.set_yticks(list(positions), table["parameter"], fontsize=8)
        axis.set_title(_outcome_title(outcome))
        axis.grid(axis="x", alpha=0.3)
        axis.legend(fontsize=8)
    figure.suptitle(f"Global sensitivity: {METHOD_TITLES[sensitivity.method]}, error bars 95% confidence")
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_charts(report: Report, folder: Path) -> list[Path]:
    """The report's charts as PNG files in the folder; the sensitivity chart only when computed."""
    written = [folder / FAN_CHART]
    plot_fan(report.fan, report.targets, written[0])
    if report.sensitivity is not None and not report.sensitivity.table.empty:
        written.append(folder / SENSITIVITY_CHART)
        plot_sensitivity(report.sensitivity, written[-1])
    return written
