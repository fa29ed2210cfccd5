"""Running a search: the same candidates and numbers with 1 or 2 workers; a kill then --resume ends alike."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.results_folder import read_shards, shard_paths
from sim.search.optimiser import candidates, open_study
from sim.search.search_file import load_search
from sim.search.search_folder import SEARCH_RUNS, VERIFICATION_RUNS
from tests.conftest import ROOT, run_cli

TINY = f"""
name = "tiny"
references = ["{ROOT}/scenarios/baseline.toml"]
levers = ["levers.attraction.extra_leads_per_year", "levers.land.extra_supply_mu_per_year"]
objectives = ["net_fiscal_cost", "probability_2027"]
futures = 3
verification_futures = 3
candidates = 6
population = 2
root_seed = 9
"""


def tiny_file(folder: Path) -> Path:
    path = folder / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


def outcome(folder: Path) -> dict:
    """Everything a search decided and measured: candidates, frontier and every run's rows."""
    search = load_search(Path(json.loads((folder / "manifest.json").read_text())["search_file"]))
    trials = [(t.number, t.state.name, t.params, t.values) for t in candidates(open_study(folder, search))]
    manifest = json.loads((folder / "manifest.json").read_text())
    return {
        "trials": trials,
        "frontier": manifest["frontier"],
        "search": read_shards(folder / SEARCH_RUNS),
        "verification": read_shards(folder / VERIFICATION_RUNS),
    }


def assert_same(found: dict, expected: dict) -> None:
    assert found["trials"] == expected["trials"]
    assert found["frontier"] == expected["frontier"]
    for runs in ("search", "verification"):
        pd.testing.assert_frame_equal(found[runs], expected[runs])


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict]:
    """The tiny search run uninterrupted with one worker: what the others must match."""
    folder = tmp_path_factory.mktemp("reference")
    path = tiny_file(folder)
    result = run_cli("search", str(path), "--out", str(folder / "results"), "--workers", "1", "--quiet")
    assert result.code == 0, result.err
    assert "frontier of" in result.out and "next: python -m sim report" in result.out
    return path, outcome(folder / "results")


def test_a_search_stores_every_candidate_on_every_future_and_verifies_its_frontier(reference):
    path, found = reference
    search = load_search(path)
    assert [state for _, state, _, _ in found["trials"]] == ["COMPLETE"] * search.candidates
    runs = found["search"].groupby("run_id").first()
    assert len(runs) == (1 + search.candidates) * 3
    assert set(runs["seed"]) == set(search.futures.seeds)  # every candidate on the same futures
    for _, futures in runs.groupby("scenario"):
        assert sorted(futures["seed"]) == sorted(search.futures.seeds)
    verified = found["verification"].groupby("run_id").first()
    assert set(verified["seed"]) == set(search.verification.seeds)
    assert set(verified["scenario"]) == {"baseline"} | {f"candidate_{n:04d}" for n in found["frontier"]}


def test_two_workers_give_the_same_candidates_and_numbers(reference, tmp_path):
    path, expected = reference
    result = run_cli("search", str(path), "--out", str(tmp_path / "results"), "--workers", "2", "--quiet")
    assert result.code == 0, result.err
    assert_same(outcome(tmp_path / "results"), expected)


def test_existing_results_are_kept_without_resume_and_a_changed_search_is_not_resumed(reference, tmp_path):
    path, _ = reference
    out = tmp_path / "results"
    assert run_cli("search", str(path), "--out", str(out), "--workers", "2", "--quiet").code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    refused = run_cli("search", str(path), "--out", str(out), "--quiet")
    assert refused.code == 2 and "--resume" in refused.err
    changed = tmp_path / "tiny.toml"
    changed.write_text(TINY.replace("root_seed = 9", "root_seed = 10"), encoding="utf-8")
    refused = run_cli("search", str(changed), "--out", str(out), "--resume", "--quiet")
    assert refused.code == 2 and "cannot resume" in refused.err and "search_hash" in refused.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.slow
def test_a_search_killed_part_way_and_resumed_ends_with_the_same_frontier(reference, tmp_path):
    path, expected = reference
    out = tmp_path / "results"
    command = [sys.executable, "-m", "sim", "search", str(path), "--out", str(out), "--workers", "1"]
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 180
    # The reference (3 runs), the first generation (6) and part of the second: mid-generation.
    while len(shard_paths(out / SEARCH_RUNS)) < 11 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the search and its worker
    process.wait()
    study = open_study(out, load_search(path))
    states = [t.state.name for t in candidates(study)]
    assert "COMPLETE" in states and "RUNNING" in states, f"the kill must land mid-generation: {states}"

    result = run_cli("search", str(path), "--out", str(out), "--workers", "2", "--resume", "--quiet")
    assert result.code == 0, result.err
    assert_same(outcome(out), expected)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_candidates_and_numbers(reference, tmp_path):
    from distributed import LocalCluster

    path, expected = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = run_cli(
            "search", str(path), "--out", str(tmp_path / "results"), "--scheduler", cluster.scheduler_address
        )
    assert result.code == 0, result.err
    assert_same(outcome(tmp_path / "results"), expected)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("raised", "code", "said"), [(KeyboardInterrupt, 130, "interrupted:"), (RuntimeError, 1, "error:")]
)
def test_an_interrupted_or_failed_search_stops_its_workers_at_once(tmp_path, monkeypatch, raised, code, said):
    """Its handlers sat inside the workers' pool, which then shut down as after a finished
    search, waiting for the batches already handed out (4.1 s after a SIGTERM, measured),
    where an experiment's stops at once (0.4 s)."""
    import sim.experiments.executors as executors
    import sim.search.run_search as search_module

    stopped = []
    stop = executors._stop_at_once
    monkeypatch.setattr(executors, "_stop_at_once", lambda pool: (stopped.append(pool), stop(pool)))

    def fail(*args, **kwargs):
        raise raised("stop")

    monkeypatch.setattr(search_module, "run_search", fail)
    result = run_cli("search", str(tiny_file(tmp_path)), "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.code == code
    assert said in result.out + result.err and "--resume" in result.out + result.err
    assert len(stopped) == 1
