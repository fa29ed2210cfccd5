"""Damaged or misplaced results folders are refused with one line saying what to do, never read wrongly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.experiment_file import load_experiment
from sim.experiments.results_folder import MANIFEST, SHARDS, shard_paths
from sim.experiments.run_into_folder import results_folder
from tests.conftest import ROOT, run_cli
from tests.experiments.test_experiment_run import experiment_file


def one_line_error(*args: str) -> str:
    result = run_cli(*args)
    assert result.code == 2, (result.out, result.err)
    assert result.err.count("\n") == 1, result.err
    return result.err


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> tuple[Path, Path]:
    """A small finished experiment: its file and its results folder (copy before damaging it)."""
    folder = tmp_path_factory.mktemp("finished")
    path = experiment_file(folder, 2)
    assert (
        run_cli("experiment", str(path), "--out", str(folder / "results"), "--workers", "1", "--quiet").code
        == 0
    )
    return path, folder / "results"


@pytest.fixture
def copy(finished, tmp_path) -> Path:
    out = tmp_path / "results"
    shutil.copytree(finished[1], out)
    return out


def test_a_copied_shard_is_refused_by_report_and_resume(finished, copy):
    first = shard_paths(copy)[0]
    shutil.copy(first, copy / SHARDS / "part-000099.parquet")
    for args in (("report", str(copy)), ("experiment", str(finished[0]), "--out", str(copy), "--resume")):
        error = one_line_error(*args)
        assert "part-000099.parquet" in error and first.name in error and "delete one of the two" in error


def test_a_shard_of_another_experiment_is_refused(copy):
    pd.DataFrame({"a": [1]}).to_parquet(copy / SHARDS / "part-000050.parquet")
    assert "not a shard of this experiment" in one_line_error("report", str(copy))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"[]", "a JSON object was expected, not an array"),
        (b"null", "a JSON object was expected, not null"),
        (b"{}", "not a manifest this program wrote"),
        (b'{"experiment": 1}', "not a manifest this program wrote"),
        (bytes(range(256)), "not valid JSON"),
        (b"[" * 10_000, "nested deeper than"),
    ],
)
def test_a_damaged_manifest_is_refused(copy, content, fragment):
    (copy / MANIFEST).write_bytes(content)
    assert fragment in one_line_error("report", str(copy))


def test_report_given_a_file_says_it_wants_the_folder(copy):
    assert "not a results folder" in one_line_error("report", str(copy / MANIFEST))


def test_shards_without_their_manifest_have_a_way_out(finished, copy):
    (copy / MANIFEST).unlink()
    for args in (
        ("report", str(copy)),
        ("experiment", str(finished[0]), "--out", str(copy)),
        ("experiment", str(finished[0]), "--out", str(copy), "--resume"),
    ):
        assert f"delete {copy / SHARDS} to start over" in one_line_error(*args)
    shutil.rmtree(copy / SHARDS)
    assert run_cli("experiment", str(finished[0]), "--out", str(copy), "--workers", "1", "--quiet").code == 0


def test_an_experiment_named_dot_dot_is_refused(tmp_path):
    path = tmp_path / "experiments" / "up.toml"
    path.parent.mkdir()
    path.write_text((ROOT / "experiments" / "smoke.toml").read_text().replace('"smoke"', '".."'))
    error = one_line_error("experiment", str(path))
    assert "field 'name' = '..'" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiments"]


def test_a_folder_of_other_files_is_not_made_a_results_folder(finished, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    error = one_line_error("experiment", str(finished[0]), "--out", str(tmp_path))
    assert "holds other files (notes.txt)" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("command", ["run", "experiment"])
def test_an_out_folder_that_cannot_be_created_is_an_input_error(finished, command):
    target = "baseline" if command == "run" else str(finished[0])
    assert "cannot" in one_line_error(command, target, "--out", "/proc/dazu-sim-results")


def test_an_experiment_that_stops_before_any_run_leaves_no_folder(finished, tmp_path):
    """As when its Dask scheduler cannot be reached: a rerun must not need --resume."""
    out = tmp_path / "results"
    with pytest.raises(ConnectionError), results_folder(out, load_experiment(finished[0]), resume=False):
        assert (out / MANIFEST).is_file()
        raise ConnectionError("scheduler unreachable")
    assert not out.exists()


@pytest.mark.slow
def test_an_unreachable_scheduler_leaves_no_folder(finished, tmp_path):
    out = tmp_path / "results"
    error = one_line_error(
        "experiment", str(finished[0]), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert "cannot connect to a Dask scheduler" in error and not out.exists()
