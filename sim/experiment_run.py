"""Run an experiment into its results folder, streaming shards; resume completes only what is missing.

The shards on disk say which runs are done. A resumed experiment must be the same one
(same experiment file, scenarios, base-year data and model code): otherwise old and new
runs would not belong together, and the resume is refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import threading
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

import sim
from sim.batch_runner import run_batches
from sim.experiment import Experiment
from sim.input_errors import InputError
from sim.lever_docs import lever_rows
from sim.progress import ProgressBar
from sim.result_store import MANIFEST, SHARDS, finished_run_ids, read_manifest, write_manifest, write_shard
from sim.run_spec import Batch, batches, derive_seeds

# Manifest fields that must match for a resume to continue the same experiment.
IDENTITY = ("experiment_hash", "scenario_hashes", "model_hash", "design", "replications", "root_seed")


def model_hash() -> str:
    """Hash of the package's code and data: runs from different model versions don't mix."""
    root = Path(sim.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".toml"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_manifest(experiment: Experiment) -> dict[str, Any]:
    """Everything needed to tell what was run, and to reproduce it."""
    defaults = {row["lever"]: row["default"] for row in lever_rows()}
    scenarios = []
    for entry, spec in experiment.scenarios.items():
        levers = {path: spec.data["levers"][path.split(".")[1]][path.split(".")[2]] for path in defaults}
        scenarios.append(
            {"name": entry, "file": experiment.scenario_files[entry], "hash": spec.digest(), "levers": levers}
        )
    salib = None
    if experiment.design == "saltelli":
        salib = {"calc_second_order": False, "N": experiment.replications}
    elif experiment.design == "morris":
        salib = {"num_levels": experiment.morris_levels, "trajectories": experiment.replications}
    return {
        "experiment": experiment.name,
        "description": experiment.description,
        "experiment_file": str(experiment.path),
        "experiment_hash": experiment.file_hash,
        "scenario_hashes": {s["name"]: s["hash"] for s in scenarios},
        "model_hash": model_hash(),
        "package_version": version("dazu-sim"),
        "design": experiment.design,
        "replications": experiment.runs_per_scenario,
        "root_seed": experiment.root_seed,
        "seed_derivation": "SeedSequence(root_seed).spawn(2): [0] seeds the sample design, "
        "[1].spawn(replications)[i].generate_state(1)[0] seeds replication i of every scenario",
        "seeds": derive_seeds(experiment.root_seed, experiment.runs_per_scenario)[1],
        "scenarios": scenarios,
        "reference": experiment.reference,
        "parameters": [dataclasses.asdict(p) for p in experiment.parameters],
        "salib": salib,
        "targets": [{"year": year, "threshold_yi": threshold} for year, threshold in experiment.targets],
        "runs_total": experiment.runs_total,
        "runs_done": 0,
        "created": _now(),
        "updated": _now(),
    }


def _check_resumable(folder: Path, fresh: dict[str, Any]) -> dict[str, Any]:
    old = read_manifest(folder)
    changed = [key for key in IDENTITY if old.get(key) != fresh[key]]
    if changed:
        raise InputError(
            f"{folder / MANIFEST}: cannot resume: {', '.join(changed)} differ from the runs already "
            "there (the experiment, its scenarios or the model changed); use another --out folder "
            "or remove this one to start over"
        )
    return old


def prepare_folder(folder: Path, experiment: Experiment, resume: bool) -> tuple[dict[str, Any], set[int]]:
    """The manifest to keep updating and the runs already done; refuses to overwrite results."""
    fresh = new_manifest(experiment)
    has_results = (folder / MANIFEST).exists() or (folder / SHARDS).exists()
    if has_results and not resume:
        raise InputError(
            f"{folder}: already holds results of an experiment; add --resume to complete it, "
            "or choose another --out folder (nothing was changed)"
        )
    if not has_results:
        write_manifest(folder, fresh)
        return fresh, set()
    manifest = _check_resumable(folder, fresh)
    for stale in (folder / SHARDS).glob(".part-*.tmp"):
        stale.unlink()  # a shard a killed run was writing: its runs are not done, so redo them
    return manifest, finished_run_ids(folder)


def batch_size(remaining: int, workers: int) -> int:
    """Runs per task: enough tasks to keep every worker busy to the end, few enough to be cheap."""
    return max(1, min(25, math.ceil(remaining / (workers * 8))))


def run_experiment(
    experiment: Experiment,
    folder: Path,
    executor: Any,
    workers: int,
    *,
    resume: bool = False,
    show_progress: bool = True,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Run every missing run of the experiment into `folder`; returns the final manifest."""
    manifest, done = prepare_folder(folder, experiment, resume)
    missing = (run for run in experiment.runs() if run.run_id not in done)
    remaining = experiment.runs_total - len(done)
    progress = ProgressBar(experiment.runs_total, len(done)) if show_progress else None
    count = len(done)

    def store(batch: Batch, rows: pd.DataFrame) -> None:
        nonlocal count
        write_shard(folder, rows)
        count += len(batch.runs)
        manifest.update(runs_done=count, updated=_now())
        write_manifest(folder, manifest)
        if progress:
            progress.update(count)

    tasks = batches(missing, batch_size(remaining, workers), experiment.scenarios, experiment.parameters)
    try:
        run_batches(tasks, executor, store, in_flight=2 * workers, cancel=cancel)
    finally:
        if progress:
            progress.close()
    return manifest
