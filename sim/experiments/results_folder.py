"""An experiment's results folder: Parquet shards of finished runs plus a manifest.

Layout of `results/<experiment>/`:
- `shards/part-NNNNNN.parquet`: one row per run and year (run id, scenario, replication,
  seed, year, the indicators, and one `param:<path>` column per sampled parameter). A
  shard appears only complete (written beside, then renamed), so the shards on disk are
  the truth about which runs are done: a killed experiment loses at most the batches in
  flight, and a resumed one never writes a run twice.
- `manifest.json`: what was run (experiment and scenario hashes, design, seeds, package
  version) and how far it got; rewritten atomically after every shard.

A damaged folder (a manifest that is not one, a copied shard, a shard of another
experiment, shards without their manifest) is refused with what to do, never read into
wrong numbers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict

from sim.experiments.sampled_parameters import SampledParameter
from sim.inputs.errors import InputError, read_json, validate

MANIFEST = "manifest.json"
SHARDS = "shards"
LOCK = ".lock"
PARAM_PREFIX = "param:"
RUN_IDENTITY = ("run_id", "scenario", "replication", "seed")
# What each run reports, per year (base year included): output and the main indicators.
RESULT_INDICATORS = (
    "output_yi",
    "value_added_yi",
    "above_scale_output_yi",
    "firms",
    "above_scale_firms",
    "tech_enterprises",
    "employment",
    "credit_yi",
    "defaults",
    "entries",
    "exits",
    "energy_intensity",
    "output_per_mu_wan",
    "land_in_use_mu",
    "local_input_share",
    "tier2_share",
    "tier3_share",
    "quality_index",
    "fiscal_gross_cost_yi",
    "fiscal_revenue_yi",
    "fiscal_net_cost_yi",
)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _ManifestScenario(_Open):
    name: str
    levers: dict[str, Any]


class _ManifestTarget(_Open):
    year: int
    threshold_yi: float


class _ManifestShape(_Open):
    """What reading a manifest relies on (the rest is kept as written, for the record)."""

    experiment: str
    design: str
    replications: int
    root_seed: int
    runs_total: int
    runs_done: int
    scenarios: list[_ManifestScenario]
    targets: list[_ManifestTarget]
    parameters: list[SampledParameter]


def parameter_column(path: str) -> str:
    """The results column holding a sampled parameter's value."""
    return PARAM_PREFIX + path


def _replace_atomically(target: Path, write: Any) -> None:
    """Write beside the target, flush it to disk, then rename: the target is old or complete."""
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    write(staging)
    with staging.open("rb") as written:
        os.fsync(written.fileno())
    staging.replace(target)


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=2)
    _replace_atomically(folder / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a results folder (give the folder an experiment wrote)")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The folder's experiment manifest, checked to be one; an InputError saying what to do otherwise."""
    manifest = read_manifest_object(folder)
    path = Path(folder) / MANIFEST
    try:
        validate(_ManifestShape, manifest, str(path))
    except InputError as error:
        problems = str(error).splitlines()
        more = f"; {len(problems) - 1} more problems" if len(problems) > 1 else ""
        raise InputError(
            f"{path}: not a manifest this program wrote ({problems[0].removeprefix(f'{path}: ')}{more})"
        ) from None
    return manifest


def read_manifest_object(folder: Path) -> dict[str, Any]:
    """The folder's manifest as a JSON object, of whatever kind (an experiment's or a search's)."""
    folder = Path(folder)
    _check_folder(folder)
    path = folder / MANIFEST
    if not path.exists():
        if shard_paths(folder):
            raise InputError(
                f"{folder}: holds finished runs (shards/) but no {MANIFEST}, so they cannot be checked "
                f"against any experiment; restore the manifest, or delete {folder / SHARDS} to start over"
            )
        raise InputError(f"{path}: no experiment results here (run `python -m sim experiment`)")
    manifest = read_json(path, "manifest")
    if not isinstance(manifest, dict):
        raise InputError(f"{path}: not a manifest (a JSON object was expected, not {_json_kind(manifest)})")
    return manifest


def _json_kind(value: object) -> str:
    kinds = {list: "an array", str: "a string", bool: "true or false", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def shard_paths(folder: Path) -> list[Path]:
    return sorted((Path(folder) / SHARDS).glob("part-*.parquet"))


def write_shard(folder: Path, rows: pd.DataFrame) -> Path:
    """Write finished runs as the next shard; it appears on disk only once complete."""
    shards = Path(folder) / SHARDS
    shards.mkdir(parents=True, exist_ok=True)
    existing = shard_paths(folder)
    number = int(existing[-1].stem.removeprefix("part-")) + 1 if existing else 0
    target = shards / f"part-{number:06d}.parquet"
    _replace_atomically(target, lambda path: rows.to_parquet(path, index=False))
    return target


def shard_columns(manifest: dict[str, Any]) -> list[str]:
    """The columns of every shard of an experiment: run identity, sampled values, year, indicators."""
    params = [parameter_column(p["name"]) for p in manifest["parameters"]]
    return [*RUN_IDENTITY, *params, "year", *RESULT_INDICATORS]


def _unreadable(path: Path, problem: object) -> InputError:
    return InputError(
        f"{path}: unreadable shard ({problem}); delete it and run the experiment again with --resume "
        "to redo its runs"
    )


def _read_shard(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    try:
        return pq.read_table(path, columns=columns).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(path, exc) from None


def _check_shards(folder: Path, manifest: dict[str, Any]) -> set[int]:
    """Every shard is of this experiment (its columns) and holds runs no other shard holds."""
    expected = set(shard_columns(manifest))
    owner: dict[int, Path] = {}
    for path in shard_paths(folder):
        try:
            names = set(pq.read_schema(path).names)
        except (pa.ArrowException, OSError) as exc:
            raise _unreadable(path, exc) from None
        if names != expected:
            differ = sorted(names ^ expected)[:5]
            raise InputError(
                f"{path}: not a shard of this experiment (columns {differ} differ from its manifest); "
                "move it out of the folder"
            )
        for run_id in _read_shard(path, ["run_id"])["run_id"].unique().tolist():
            if not 0 <= run_id < manifest["runs_total"]:
                raise InputError(f"{path}: run {run_id} is not a run of this experiment; move the shard out")
            if run_id in owner:
                raise InputError(
                    f"{path}: run {run_id} is also in {owner[run_id].name} (a copied shard?); "
                    "delete one of the two"
                )
            owner[run_id] = path
    return set(owner)


def finished_run_ids(folder: Path) -> set[int]:
    """Run ids present in the shards (read from the run-id column only), checked against the manifest."""
    return _check_shards(Path(folder), read_manifest(folder))


def read_runs(folder: Path, manifest: dict[str, Any] | None = None) -> pd.DataFrame:
    """Every finished run's rows, ordered by run id and year, after checking each shard
    belongs to the experiment of the folder's manifest."""
    manifest = manifest if manifest is not None else read_manifest(folder)
    _check_shards(Path(folder), manifest)
    return read_shards(folder)


def read_shards(folder: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The shards' rows (or only `columns` of them), ordered by run id and year; for folders
    whose own manifest checks them (a search's)."""
    paths = shard_paths(folder)
    if not paths:
        raise InputError(f"{Path(folder) / SHARDS}: no finished runs yet")
    frame = pd.concat([_read_shard(path, columns) for path in paths], ignore_index=True)
    order = [column for column in ("run_id", "year") if column in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def read_results(folder: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """The manifest and every finished run of a results folder."""
    manifest = read_manifest(folder)
    return manifest, read_runs(folder, manifest)
