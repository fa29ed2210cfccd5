"""The planners' own command, timed whole: `python -m sim experiment` with this code and with
the code at a pinned git ref, alternately, on the same experiment file.

`run.py`'s throughput rows time started, warmed pools and project the 1,000 replications
from them. This times what a planner waits for instead: the command from its start (its
imports, the workers' start-up, the sampling, the results folder) to its end. Each side
draws its own sample from the same file (the pinned code samples fewer parameters), so
the ratio compares the two codes doing the same job, not bit-identical runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.previous_code import ROOT, extract


def write_baseline_experiment(
    folder: Path, replications: int, name: str = "replications", root_seed: int = 20250401
) -> Path:
    """An experiment file of `replications` baseline runs, the standard uncertainties sampled,
    in the format both codes read (each resolves "baseline" to its own shipped scenario)."""
    path = folder / f"{name}.toml"
    path.write_text(
        f'name = "{name}"\nscenarios = ["baseline"]\nreference = "baseline"\ndesign = "lhs"\n'
        f'replications = {replications}\nroot_seed = {root_seed}\n\n[sample]\nuncertainties = "standard"\n',
        encoding="utf-8",
    )
    return path


def time_command(code: Path, experiment: Path, out: Path, workers: int) -> float:
    """Wall-clock seconds of `python -m sim experiment` run with the `sim` package under `code`."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "sim", "experiment", str(experiment), "--out", str(out)]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--workers", str(workers), "--quiet"], cwd=code, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} in {code} failed:\n{done.stderr.strip()}")
    return seconds


def time_both(ref: str, replications: int, workers: int, rounds: int) -> tuple[float, float]:
    """Median seconds of the command over `rounds` alternations: the code at `ref`, then this code."""
    theirs, ours = [], []
    with tempfile.TemporaryDirectory(prefix="dazu-command-") as scratch:
        folder = Path(scratch)
        previous = folder / "previous"
        extract(ref, previous)
        experiment = write_baseline_experiment(folder, replications)
        for round_ in range(rounds):
            theirs.append(time_command(previous, experiment, folder / f"theirs_{round_}", workers))
            ours.append(time_command(ROOT, experiment, folder / f"ours_{round_}", workers))
    return statistics.median(theirs), statistics.median(ours)
