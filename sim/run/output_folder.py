"""Write a run's series to a folder: quarterly and per-cluster Parquet, annual CSV, a chart.

Files are written into a temporary folder beside the target and moved into place only
when all of them succeeded, so a failure never leaves a half-written result.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sim.inputs.errors import InputError  # noqa: E402
from sim.run.results import annual_frame, cluster_frame, quarterly_frame, target_results  # noqa: E402

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

OUTPUT_FILES = ("quarterly.parquet", "clusters.parquet", "annual.csv", "summary.json", "output.png")


def plot_output(model: IndustryModel, path: Path) -> None:
    """Annual gross output against the scenario's targets."""
    annual = annual_frame(model)
    figure, axis = plt.subplots(figsize=(7, 4))
    axis.plot(annual["year"], annual["output_yi"], marker="o", label="simulated output")
    for target in target_results(model, annual):
        colour = "tab:green" if target.met else "tab:red"
        axis.scatter(
            [target.year],
            [target.threshold_yi],
            marker="*",
            s=200,
            color=colour,
            zorder=3,
            label=f"target {target.year}: {target.threshold_yi:,.0f}",
        )
    axis.set_xlabel("year")
    axis.set_ylabel("gross industrial output (100 million CNY)")
    axis.set_title(f"Dazu industrial output, scenario '{model.scenario_name}'")
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_atomically(directory: Path, writers: dict[str, Callable[[Path], object]]) -> list[Path]:
    """Call each writer on a staging path, then move all files into `directory` together."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".sim-run-", dir=directory.parent))
    except OSError as exc:
        raise InputError(f"--out {directory}: cannot be created ({exc.strerror})") from None
    try:
        for name, writer in writers.items():
            writer(staging / name)
        directory.mkdir(exist_ok=True)
        written = []
        for name in writers:
            target = directory / name
            (staging / name).replace(target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_run(model: IndustryModel, directory: Path, summary: dict[str, Any]) -> list[Path]:
    """Write every output file of a run into `directory` (created if needed)."""
    writers: dict[str, Callable[[Path], object]] = {
        "quarterly.parquet": lambda path: quarterly_frame(model).to_parquet(path, index=False),
        "clusters.parquet": lambda path: cluster_frame(model).to_parquet(path, index=False),
        "annual.csv": lambda path: annual_frame(model).to_csv(path, index=False),
        "summary.json": lambda path: path.write_text(json.dumps(summary, ensure_ascii=False, indent=2)),
        "output.png": lambda path: plot_output(model, path),
    }
    return write_atomically(directory, writers)
