"""Running experiments: identical numbers whatever the workers or executor; resume after a kill."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.experiment_file import load_experiment
from sim.experiments.results_folder import read_manifest, read_runs, shard_paths
from sim.experiments.run_into_folder import results_folder

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def experiment_file(folder: Path, replications: int) -> Path:
    path = folder / f"paired_{replications}.toml"
    path.write_text(
        f'name = "paired"\nscenarios = ["{SCENARIOS}/baseline.toml", "{SCENARIOS}/all_plans.toml"]\n'
        f'reference = "baseline"\nreplications = {replications}\nroot_seed = 5\n',
        encoding="utf-8",
    )
    return path


def run_experiment_cli(path: Path, out: Path, *extra: str) -> int:
    """`python -m sim experiment PATH --out OUT --quiet EXTRA` in this process (output to capsys)."""
    return main(["experiment", str(path), "--out", str(out), "--quiet", *extra])


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """A small experiment run uninterrupted with one worker: the numbers others must match."""
    folder = tmp_path_factory.mktemp("reference")
    path = experiment_file(folder, 6)
    assert run_experiment_cli(path, folder / "results", "--workers", "1") == 0
    return path, read_runs(folder / "results")


def test_results_hold_one_row_per_run_and_year_with_the_sample(reference):
    path, runs = reference
    experiment = load_experiment(path)
    assert sorted(runs["run_id"].unique()) == list(range(experiment.runs_total))
    assert len(runs) == experiment.runs_total * 7  # base year 2024 and 2025-2030
    assert set(runs["scenario"]) == {"baseline", "all_plans"}
    per_run = runs.groupby("run_id")["param:world.gross_output_yi"].nunique()
    assert (per_run == 1).all()
    base = runs[runs["year"] == 2024]
    assert (base["output_yi"] - base["param:world.gross_output_yi"]).abs().max() < 1e-6
    manifest = read_manifest(path.parent / "results")
    assert manifest["runs_done"] == manifest["runs_total"] == experiment.runs_total
    assert len(manifest["parameters"]) == len(experiment.parameters)


def test_two_workers_give_identical_numbers(reference, tmp_path):
    path, expected = reference
    assert run_experiment_cli(path, tmp_path / "results", "--workers", "2") == 0
    pd.testing.assert_frame_equal(read_runs(tmp_path / "results"), expected)


@pytest.mark.slow
def test_a_dask_cluster_gives_identical_numbers(reference, tmp_path):
    from distributed import LocalCluster

    path, expected = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert run_experiment_cli(path, tmp_path / "results", "--scheduler", cluster.scheduler_address) == 0
    pd.testing.assert_frame_equal(read_runs(tmp_path / "results"), expected)


def test_existing_results_are_not_overwritten_without_resume(reference, tmp_path, capsys):
    path, _ = reference
    out = tmp_path / "results"
    shutil.copytree(path.parent / "results", out)
    before = {p: p.read_bytes() for p in [out / "manifest.json", *shard_paths(out)]}
    assert run_experiment_cli(path, out, "--workers", "1") == 2
    assert "--resume" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in [out / "manifest.json", *shard_paths(out)]} == before
    changed = experiment_file(tmp_path, 7)
    assert run_experiment_cli(changed, out, "--workers", "1", "--resume") == 2
    assert "cannot resume" in capsys.readouterr().err


@pytest.mark.slow
def test_resume_after_a_kill_completes_exactly_the_missing_runs(tmp_path):
    path = experiment_file(tmp_path, 12)
    out = tmp_path / "results"
    command = [sys.executable, "-m", "sim", "experiment", str(path), "--out", str(out), "--workers", "1"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(shard_paths(out)) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the runner and its worker, mid-experiment
    process.wait()
    killed_at = read_runs(out)["run_id"].nunique()
    total = load_experiment(path).runs_total
    assert 0 < killed_at < total, "the kill must land part-way"

    assert run_experiment_cli(path, out, "--workers", "2", "--resume") == 0
    runs = read_runs(out)
    per_run = runs.groupby("run_id").size()
    assert sorted(per_run.index) == list(range(total)) and (per_run == 7).all()  # none lost, none twice
    assert json.loads((out / "manifest.json").read_text())["runs_done"] == total

    uninterrupted = tmp_path / "uninterrupted"
    assert run_experiment_cli(path, uninterrupted, "--workers", "2") == 0
    pd.testing.assert_frame_equal(runs, read_runs(uninterrupted))


def test_a_folder_another_experiment_is_writing_is_refused(reference, tmp_path, capsys):
    path, _ = reference
    out = tmp_path / "results"
    with results_folder(out, load_experiment(path), resume=False):
        assert run_experiment_cli(path, out, "--workers", "1", "--resume") == 2
    assert "another experiment is writing to this folder" in capsys.readouterr().err


def test_an_unreadable_shard_is_named_with_the_way_out(reference, tmp_path, capsys):
    path, _ = reference
    out = tmp_path / "results"
    shutil.copytree(path.parent / "results", out)
    broken = shard_paths(out)[0]
    broken.write_bytes(b"not parquet")
    assert main(["report", str(out)]) == 2
    assert run_experiment_cli(path, out, "--workers", "1", "--resume") == 2
    err = capsys.readouterr().err
    assert str(broken) in err and "delete it" in err


def test_scenario_hashes_do_not_depend_on_where_the_checkout_lies(reference):
    path, _ = reference
    spec = load_experiment(path).scenarios["baseline"]
    moved = dataclasses.replace(
        spec, data=spec.data | {"world": spec.data["world"] | {"base_year_file": "/elsewhere/base.toml"}}
    )
    assert moved.digest() == spec.digest()


def test_report_prints_and_writes_the_report(reference, tmp_path, capsys):
    path, _ = reference
    out = tmp_path / "results"
    shutil.copytree(path.parent / "results", out)
    assert main(["report", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| baseline | 6 |" in printed and "| all_plans | 6 |" in printed
    assert (out / "report.md").read_text(encoding="utf-8") in printed
    assert (out / "output_fan.png").stat().st_size > 0
    assert "## 实现目标的概率" in printed  # Chinese by default
    assert main(["report", str(out), "--lang", "en", "--format", "html"]) == 0
    assert "report_en.html" in capsys.readouterr().out
    assert "Probability of reaching the targets" in (out / "report_en.html").read_text(encoding="utf-8")
    assert main(["report", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {row["scenario"] for row in data["probabilities"]} == {"baseline", "all_plans"}
    assert data["header"]["runs_done"] == 12
