"""A search's results folder: the study, the runs of every candidate and of the verification, a manifest.

Layout of `results/<search>/`:
- `manifest.json`: what was searched (file, scenario, model and search-code hashes, the
  futures' seeds, levers, objectives, constraints) and how far it got; `kind = "search"`.
- `study.journal`: optuna's study: every candidate's levers and in-sample objectives.
- `search/shards/`: the runs of the reference scenarios and of every candidate on the
  search futures, as an experiment's shards (one row per run and year).
- `verification/shards/`: the runs of the references and of the frontier on fresh futures.

A resumed search must be the same one (same file, scenarios, model, search code, libraries
and futures): otherwise the runs and candidates already there would not belong together.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiments.results_folder import LOCK, MANIFEST, SHARDS, read_manifest_object, write_manifest
from sim.experiments.run_into_folder import LIBRARIES, model_hash
from sim.inputs.errors import InputError
from sim.inputs.levers import lever_paths
from sim.inputs.scenario import value_at
from sim.paths import PACKAGE_DIR
from sim.search.futures import SEED_DERIVATION
from sim.search.optimiser import STUDY_FILE
from sim.search.search_file import Search

KIND = "search"
SEARCH_RUNS = "search"  # sub-folder of the runs on the search futures
VERIFICATION_RUNS = "verification"  # sub-folder of the runs on the verification futures
IDENTITY = (
    "search_hash",
    "scenario_hashes",
    "model_hash",
    "search_code_hash",
    "library_versions",
    "futures_hash",
    "root_seed",
)


def is_search_folder(folder: Path) -> bool:
    """Whether a results folder holds a search (rather than an experiment)."""
    try:
        return read_manifest_object(folder).get("kind") == KIND
    except InputError:
        return False


def search_code_hash() -> str:
    """Hash of the search's own code: it decides which candidates are proposed and run."""
    digest = hashlib.sha256()
    for path in sorted((PACKAGE_DIR / "search").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def futures_hash(search: Search) -> str:
    digest = hashlib.sha256()
    for futures in (search.futures, search.verification):
        digest.update(np.ascontiguousarray(futures.samples).tobytes())
        digest.update(repr(futures.seeds).encode())
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_manifest(search: Search) -> dict[str, Any]:
    """Everything needed to tell what was searched, and to reproduce it."""
    scenarios = {"base": search.base, **search.references}
    return {
        "kind": KIND,
        "search": search.name,
        "description": search.description,
        "search_file": str(search.path),
        "search_hash": search.file_hash,
        "scenario_hashes": {name: spec.digest() for name, spec in scenarios.items()},
        "model_hash": model_hash(),
        "search_code_hash": search_code_hash(),
        "library_versions": {name: version(name) for name in (*LIBRARIES, "optuna")},
        "futures_hash": futures_hash(search),
        "package_version": version("dazu-sim"),
        "root_seed": search.root_seed,
        "seed_derivation": SEED_DERIVATION,
        "search_seeds": list(search.futures.seeds),
        "verification_seeds": list(search.verification.seeds),
        "base": search.base.name,
        "base_scenario": search.base_raw,
        "references": [
            {"name": name, "levers": {path: value_at(spec.data, path) for path in lever_paths()}}
            for name, spec in search.references.items()
        ],
        "status_quo": search.status_quo,
        "levers": [dataclasses.asdict(lever) for lever in search.levers],
        "objectives": [dataclasses.asdict(objective) for objective in search.objectives],
        "constraints": {
            "yearly_budget_yi": search.yearly_budget_yi,
            "min_probability": {str(year): p for year, p in search.min_probability.items()},
        },
        "optimiser": search.optimiser,
        "population": search.population,
        "candidates": search.candidates,
        "futures": len(search.futures),
        "verification_futures": len(search.verification),
        "parameters": [dataclasses.asdict(p) for p in search.parameters],
        "targets": [{"year": year, "threshold_yi": threshold} for year, threshold in search.targets],
        "stated_probabilities": list(search.stated_probabilities),
        "candidates_done": 0,
        "frontier": None,
        "any_feasible": None,
        "complete": False,
        "created": _now(),
        "updated": _now(),
    }


def _check_resumable(folder: Path, fresh: dict[str, Any]) -> dict[str, Any]:
    old = read_manifest_object(folder)
    if old.get("kind") != KIND:
        raise InputError(f"{folder / MANIFEST}: holds an experiment, not a search; use another folder")
    changed = [key for key in IDENTITY if old.get(key) != fresh[key]]
    if changed:
        raise InputError(
            f"{folder / MANIFEST}: cannot resume: {', '.join(changed)} differ from the search already "
            "there (the search file, its scenarios, the model, the search code or the libraries changed); "
            "use another --out folder or remove this one to start over"
        )
    return old


def _remove_leftovers(folder: Path) -> None:
    """Files a killed search leaves: half-written shards and manifests, optuna's lock, a cut log line.

    Only this process holds the folder (see `search_folder`), so none of them is in use.
    """
    for runs in (SEARCH_RUNS, VERIFICATION_RUNS):
        for stale in (folder / runs / SHARDS).glob(".part-*.tmp"):
            stale.unlink()
    for stale in folder.glob(f".{MANIFEST}.*.tmp"):
        stale.unlink()
    (folder / f"{STUDY_FILE}.lock").unlink(missing_ok=True)
    journal = folder / STUDY_FILE
    if journal.is_file():
        text = journal.read_bytes()
        if text and not text.endswith(b"\n"):  # the kill cut a record: it was never written
            journal.write_bytes(text[: text.rfind(b"\n") + 1])


@contextmanager
def search_folder(folder: Path, search: Search, resume: bool) -> Iterator[dict[str, Any]]:
    """Hold the folder for this process, check it, and give the manifest (fresh or resumed)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"{folder}: another search or experiment is writing to this folder right now; wait for it "
                "to end or choose another --out folder"
            ) from None
        fresh = new_manifest(search)
        has_results = (folder / MANIFEST).exists() or (folder / STUDY_FILE).exists()
        if has_results and not resume:
            raise InputError(
                f"{folder}: already holds results; add --resume to continue the search, or choose "
                "another --out folder (nothing was changed)"
            )
        if has_results:
            manifest = _check_resumable(folder, fresh)
            _remove_leftovers(folder)
        else:
            manifest = fresh
            write_manifest(folder, manifest)
        yield manifest


def touch(manifest: dict[str, Any], folder: Path, **changes: Any) -> None:
    """Record progress in the manifest (written atomically)."""
    manifest.update(changes, updated=_now())
    write_manifest(folder, manifest)
