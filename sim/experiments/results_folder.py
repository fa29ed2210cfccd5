"""An experiment's results folder: Parquet shards of finished runs plus a manifest.

Layout of `results/<experiment>/`:
- `shards/part-NNNNNN.parquet`: one row per run and year (run id, scenario, replication,
  seed, year, the indicators, and one `param:<path>` column per sampled parameter). A
  shard appears only complete (written beside, then renamed), so the shards on disk are
  the truth about which runs are done: a killed experiment loses at most the batches in
  flight, and a resumed one never writes a run twice.
- `manifest.json`: what was run (experiment and scenario hashes, design, seeds, package
  version) and how far it got; rewritten atomically after every shard.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.inputs.errors import InputError

MANIFEST = "manifest.json"
SHARDS = "shards"
LOCK = ".lock"
PARAM_PREFIX = "param:"


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


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no experiment results here (run `python -m sim experiment`)") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a valid manifest ({exc.msg} at line {exc.lineno})") from None


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


def _read_shard(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    try:
        return pq.read_table(path, columns=columns).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise InputError(
            f"{path}: unreadable shard ({exc}); delete it and run the experiment again with --resume "
            "to redo its runs"
        ) from None


def finished_run_ids(folder: Path) -> set[int]:
    """Run ids present in the shards (read from the run-id column only)."""
    done: set[int] = set()
    for path in shard_paths(folder):
        done.update(_read_shard(path, ["run_id"])["run_id"].tolist())
    return done


def read_runs(folder: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Every finished run's rows, ordered by run id and year."""
    paths = shard_paths(folder)
    if not paths:
        raise InputError(f"{Path(folder) / SHARDS}: no finished runs yet")
    frame = pd.concat([_read_shard(path, columns) for path in paths], ignore_index=True)
    order = [column for column in ("run_id", "year") if column in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def read_results(folder: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """The manifest and every finished run of a results folder."""
    return read_manifest(folder), read_runs(folder)
