"""Run an experiment into its results folder, streaming shards; resume completes only what is missing.

The shards on disk say which runs are done. A resumed experiment must be the same one
(same experiment file, scenarios, base-year data and model code): otherwise old and new
runs would not belong together, and the resume is refused.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import math
import threading
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.experiment_file import Experiment
from sim.experiments.progress import ProgressBar
from sim.experiments.results_folder import (
    LOCK,
    MANIFEST,
    SHARDS,
    finished_run_ids,
    read_manifest,
    shard_paths,
    write_manifest,
    write_shard,
)
from sim.experiments.run_spec import Batch, batches
from sim.experiments.runner import run_batches
from sim.inputs.errors import InputError
from sim.inputs.levers import lever_paths
from sim.inputs.scenario import value_at
from sim.paths import PACKAGE_DIR

# Manifest fields that must match for a resume to continue the same experiment.
IDENTITY = (
    "experiment_hash",
    "scenario_hashes",
    "model_hash",
    "library_versions",
    "sample_hash",
    "design",
    "replications",
    "root_seed",
)
# The parts of sim/ whose code and data compute runs (a test checks that a worker imports
# nothing else); the rest (analysis, credibility, reference, web, cli) only reads or shows
# results, so changing it does not change any run's numbers.
MODEL_PARTS = ("paths.py", "inputs", "model", "run", "experiments", "data")
# Libraries whose upgrade can change the sample or the runs.
LIBRARIES = ("numpy", "scipy", "SALib", "mesa", "pandas", "pydantic", "numba")


def model_hash() -> str:
    """Hash of the code and data that compute runs: runs from different models don't mix."""
    digest = hashlib.sha256()
    for part in MODEL_PARTS:
        root = PACKAGE_DIR / part
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.suffix not in {".py", ".toml"} or "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def sample_hash(experiment: Experiment) -> str:
    """Hash of the sampled values and seeds: catches any change in how the design is drawn."""
    digest = hashlib.sha256(np.ascontiguousarray(experiment.samples()).tobytes())
    digest.update(json.dumps(experiment.seeds()).encode())
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_manifest(experiment: Experiment) -> dict[str, Any]:
    """Everything needed to tell what was run, and to reproduce it."""
    scenarios = []
    for entry, spec in experiment.scenarios.items():
        levers = {path: value_at(spec.data, path) for path in lever_paths()}
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
        "library_versions": {name: version(name) for name in LIBRARIES},
        "sample_hash": sample_hash(experiment),
        "package_version": version("dazu-sim"),
        "design": experiment.design,
        "replications": experiment.runs_per_scenario,
        "root_seed": experiment.root_seed,
        "seed_derivation": "SeedSequence(root_seed).spawn(2): [0] seeds the sample design, "
        "[1].spawn(replications)[i].generate_state(1)[0] seeds replication i of every scenario "
        "(saltelli and morris: every row takes the seed of replication 0)",
        "seeds": experiment.seeds(),
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
            "there (the experiment, its scenarios, the model or its libraries changed); use another "
            "--out folder or remove this one to start over"
        )
    return old


@contextmanager
def results_folder(
    folder: Path, experiment: Experiment, resume: bool
) -> Iterator[tuple[dict[str, Any], set[int]]]:
    """Hold the folder for this process, check it, and give the manifest and the runs already done.

    Two processes writing one folder would compute runs twice and could overwrite each
    other's shards, so a second one is refused while the first runs. An experiment that
    stops before finishing any run (e.g. its Dask scheduler cannot be reached) leaves no
    results folder behind, so running it again needs no --resume.
    """
    _check_destination(folder)
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the results folder ({exc.strerror})") from None
    with (folder / LOCK).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"{folder}: another experiment is writing to this folder right now; wait for it to end "
                "or choose another --out folder"
            ) from None
        fresh = not _has_results(folder)
        prepared = _prepare(folder, experiment, resume)
        try:
            yield prepared
        except BaseException:
            if fresh and not shard_paths(folder):
                (folder / MANIFEST).unlink(missing_ok=True)
                if created:
                    (folder / LOCK).unlink(missing_ok=True)
                    folder.rmdir()
            raise


def _has_results(folder: Path) -> bool:
    return (folder / MANIFEST).exists() or (folder / SHARDS).exists()


def _check_destination(folder: Path) -> None:
    """A results folder is new, empty, or one an experiment wrote: never a folder of other files.

    An experiment named `..` or an `--out .` would otherwise write its manifest, shards
    and lock among the project's own files.
    """
    if not folder.exists():
        return
    if not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder; choose another --out folder")
    others = [p.name for p in folder.iterdir() if p.name not in (MANIFEST, SHARDS, LOCK)]
    if others and not _has_results(folder):
        raise InputError(
            f"{folder}: holds other files ({', '.join(sorted(others)[:3])}) and no experiment results; "
            "choose a new or empty --out folder (nothing was written)"
        )


def _prepare(folder: Path, experiment: Experiment, resume: bool) -> tuple[dict[str, Any], set[int]]:
    fresh = new_manifest(experiment)
    has_results = _has_results(folder)
    if has_results and not (folder / MANIFEST).exists():
        read_manifest(folder)  # shards without a manifest: says how to get out
    if has_results and not resume:
        raise InputError(
            f"{folder}: already holds results of an experiment; add --resume to complete it, "
            "or choose another --out folder (nothing was changed)"
        )
    if not has_results:
        write_manifest(folder, fresh)
        return fresh, set()
    manifest = _check_resumable(folder, fresh)
    for stale in [*folder.glob(f".{MANIFEST}.*.tmp"), *(folder / SHARDS).glob(".part-*.tmp")]:
        stale.unlink()  # left by a killed run: a shard's runs are not done, so they are redone
    return manifest, finished_run_ids(folder)


def batch_size(remaining: int, workers: int) -> int:
    """Runs per task: enough tasks to keep every worker busy to the end, few enough to be cheap."""
    return max(1, min(25, math.ceil(remaining / (workers * 8))))


def run_missing(
    experiment: Experiment,
    folder: Path,
    prepared: tuple[dict[str, Any], set[int]],
    executor: Executor,
    workers: int,
    *,
    show_progress: bool = True,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Run the runs not yet done into the (held, checked) folder; returns the final manifest."""
    manifest, done = prepared
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


def run_experiment(
    experiment: Experiment,
    folder: Path,
    executor: Executor,
    workers: int,
    *,
    resume: bool = False,
    show_progress: bool = True,
) -> dict[str, Any]:
    """Run every missing run of the experiment into `folder`; returns the final manifest."""
    with results_folder(folder, experiment, resume) as prepared:
        return run_missing(experiment, folder, prepared, executor, workers, show_progress=show_progress)
