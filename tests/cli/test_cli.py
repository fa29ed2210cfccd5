"""The command line end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import BASELINE, ROOT


def sim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def json_run() -> dict:
    result = sim("run", str(BASELINE), "--seed", "1", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_run_prints_the_annual_table_and_targets():
    result = sim("run", "scenarios/baseline.toml", "--seed", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "output 亿元" in lines[1] and "above-scale" in lines[1] and "万元/mu" in lines[1]
    years = [line.split()[0] for line in lines[2:9]]
    assert years == [str(y) for y in range(2024, 2031)]
    assert any(line.startswith("target 2027: output >= 700 亿元") for line in lines)
    assert any(line.startswith("target 2030: output >= 1,000 亿元") for line in lines)


def test_json_has_the_documented_keys(json_run):
    assert json_run["scenario"] == "baseline" and json_run["seed"] == 1
    years = [row["year"] for row in json_run["annual"]]
    assert years == list(range(2024, 2031))
    assert all(row["output_yi"] > 0 for row in json_run["annual"])
    assert json_run["annual"][0]["output_yi"] == pytest.approx(575.0)
    targets = {t["year"]: t for t in json_run["targets"]}
    assert targets[2027]["threshold_yi"] == 700 and targets[2030]["threshold_yi"] == 1000
    for target in targets.values():
        output = next(r["output_yi"] for r in json_run["annual"] if r["year"] == target["year"])
        assert target["met"] == (output >= target["threshold_yi"])


def test_json_matches_the_table_run(json_run):
    table = sim("run", str(BASELINE), "--seed", "1")
    row_2030 = next(line for line in table.stdout.splitlines() if line.startswith("2030"))
    printed = float(row_2030.split()[1].replace(",", ""))
    assert printed == pytest.approx(json_run["annual"][-1]["output_yi"], abs=0.05)


def test_set_overrides_a_value(json_run):
    result = sim("run", str(BASELINE), "--seed", "1", "--json", "--set", "world.gross_output_yi=520")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["annual"][0]["output_yi"] == pytest.approx(520.0)


def test_out_writes_series_and_chart(tmp_path):
    out = tmp_path / "run1"
    result = sim("run", str(BASELINE), "--seed", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    quarterly = pd.read_parquet(out / "quarterly.parquet")
    assert len(quarterly) == 25 and {"year", "quarter", "output_yi", "credit_yi"} <= set(quarterly.columns)
    clusters = pd.read_parquet(out / "clusters.parquet")
    assert len(clusters) == 25 * 13 and set(clusters["cluster"]) >= {"nev_moto", "hardware"}
    assert (out / "output.png").read_bytes()[:4] == b"\x89PNG"
    assert len(pd.read_csv(out / "annual.csv")) == 7
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sim-run-")]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--set", "levers.land.reclaim_rate=7"], "'levers.land.reclaim_rate' = 7"),
        (["--set", "lnad.reclaim_rate=0.1"], "unknown field 'lnad'"),
        (["--set", "noequals"], "expected section.field=value"),
    ],
)
def test_bad_input_exits_2_without_traceback_or_output(tmp_path, args, fragment):
    out = tmp_path / "never"
    result = sim("run", str(BASELINE), "--out", str(out), *args)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_bad_scenario_file_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[levers.finance]\ninterest_subsidy = "lots"\n', encoding="utf-8")
    result = sim("run", str(bad))
    assert result.returncode == 2
    assert "bad.toml: field 'levers.finance.interest_subsidy' = 'lots'" in result.stderr
    missing = sim("run", str(tmp_path / "missing.toml"))
    assert missing.returncode == 2 and "file not found" in missing.stderr


def test_out_pointing_at_a_file_is_refused(tmp_path):
    existing = tmp_path / "file.txt"
    existing.write_text("keep me")
    result = sim("run", str(BASELINE), "--out", str(existing))
    assert result.returncode == 2 and existing.read_text() == "keep me"


def test_hindcast_prints_reported_against_simulated_and_writes_files(tmp_path):
    out = tmp_path / "hc"
    result = sim("hindcast", "--replications", "4", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "reported" in result.stdout and "90% band" in result.stdout
    assert "mean value added growth" in result.stdout and "2021-2024" in result.stdout
    table = pd.read_csv(out / "hindcast.csv")
    columns = {"indicator", "years", "reported", "median", "p5", "p95", "error", "tolerance"}
    assert columns <= set(table.columns)
    assert (out / "hindcast.png").read_bytes()[:4] == b"\x89PNG"


def test_facts_prints_each_fact_with_reference():
    result = sim("facts", "--replications", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("reference:") == 6 and "Cooper & Haltiwanger" in result.stdout


def test_calibrate_writes_a_file_and_resumes(tmp_path):
    checkpoint, output = tmp_path / "ck.json", tmp_path / "calibration.toml"
    args = ["--replications", "2", "--max-evaluations", "2", "--checkpoint", str(checkpoint)]
    first = sim("calibrate", *args, "--output", str(output))
    assert first.returncode == 0, first.stderr
    assert "innovation.certification_rate" in first.stdout and output.is_file()
    again = sim("calibrate", *args, "--output", str(output), "--resume")
    assert again.returncode == 0, again.stderr
    assert "answered from the checkpoint" in again.stdout
    answered = again.stdout.split("evaluations (")[1].split(" answered")[0]
    ran = again.stdout.split(" evaluations (")[0].split()[-1]
    assert answered == ran  # nothing ran twice


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["hindcast", "--replications", "1"], "--replications 1: need at least 2"),
        (["hindcast", "--set", "run.last_year=2019"], "last_year 2019 is before first_year 2021"),
        (["hindcast", "scenarios/baseline.toml"], "a hindcast must run 2021-2024 from a base year 2020"),
        (["facts", "--set", "innovation.lapse_rate=3"], "'innovation.lapse_rate' = 3"),
    ],
)
def test_credibility_commands_refuse_bad_input_with_exit_2(args, fragment):
    result = sim(*args)
    assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr
