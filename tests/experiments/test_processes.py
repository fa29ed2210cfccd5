"""No process outlives an experiment's main process; SIGTERM stops it as Ctrl-C does, at once.

A worker holds about 240 MB; an orphan also keeps multiprocessing's resource tracker
alive. These start `python -m sim experiment` as a user does and signal only its main
process, as `kill PID` or a service manager would.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.experiments.experiment_file import load_experiment
from sim.experiments.results_folder import read_runs, shard_paths
from tests.conftest import ROOT, run_cli
from tests.experiments.test_experiment_run import experiment_file


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def started_experiment(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int], Path]:
    """An experiment with two workers, caught once its first shard is written."""
    path = experiment_file(tmp_path, 12)
    out = tmp_path / "results"
    command = [sys.executable, "-m", "sim", "experiment", str(path), "--out", str(out), "--workers", "2"]
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 120
    while not shard_paths(out) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    workers = children(process.pid)
    assert process.poll() is None and len(workers) >= 3, "two workers and the resource tracker"
    return process, workers, path


def wait_gone(pids: list[int], seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


@pytest.mark.slow
def test_workers_end_when_the_main_process_is_killed(tmp_path):
    process, workers, _ = started_experiment(tmp_path)
    process.kill()
    process.wait()
    assert not wait_gone(workers), "workers or the resource tracker outlived their parent"


@pytest.mark.slow
def test_sigterm_stops_like_ctrl_c_and_the_resume_completes(tmp_path):
    process, workers, path = started_experiment(tmp_path)
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted:" in out and "--resume" in out
    assert not wait_gone(workers)
    results = tmp_path / "results"
    assert run_cli("experiment", str(path), "--out", str(results), "--resume", "--quiet").code == 0
    per_run = read_runs(results).groupby("run_id").size()
    assert sorted(per_run.index) == list(range(load_experiment(path).runs_total)) and (per_run == 7).all()


def test_more_workers_than_cores_are_capped_with_a_warning(tmp_path):
    from sim.experiments.executors import default_workers

    path = experiment_file(tmp_path, 1)
    result = run_cli("experiment", str(path), "--out", str(tmp_path / "r"), "--workers", "64", "--quiet")
    assert result.code == 0, result.err
    cores = default_workers()
    assert f"warning: --workers 64: this machine has {cores} cores; using {cores}" in result.err
    assert f"with {cores} workers" in result.out


def test_every_worker_starts_with_the_pool():
    """A process pool spawns a worker per task submitted while none is idle: started with
    one task, the second worker would wait for the first batch, seconds into the run."""
    from sim.experiments.executors import experiment_executor

    with experiment_executor(None, 2) as (executor, workers):
        assert len(executor._processes) == workers  # the pool's own table of its workers


def test_the_process_handing_out_batches_does_not_import_the_model():
    """The main process of an experiment or a search samples and writes shards; the model
    (Mesa and the compiled loops, half a second) is imported by the workers alone."""
    code = (
        "import sys, sim.cli, sim.experiments.experiment_file, sim.experiments.run_into_folder, "
        "sim.search.run_search, sim.search.search_file; "
        "print(sorted(m for m in ('mesa', 'numba', 'sim.model.model') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("command", ["experiment", "search"])
def test_a_missing_file_is_reported_before_any_worker_starts(tmp_path, monkeypatch, command):
    import sim.experiments.executors

    def no_workers(*args, **kwargs):
        raise AssertionError("workers started for a file that does not exist")

    monkeypatch.setattr(sim.experiments.executors, "experiment_executor", no_workers)
    missing = tmp_path / "missing.toml"
    assert run_cli(command, str(missing)) == (2, "", f"error: {missing}: file not found\n")
