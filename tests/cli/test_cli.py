"""The command line end to end, as a user runs it: in this process through `sim.cli.main`
(see tests.conftest.run_cli), and twice as a real process to check the entry points."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig

import pandas as pd
import pytest

from tests.conftest import BASELINE, ROOT, run_cli


@pytest.fixture(scope="module")
def json_run() -> dict:
    code, out, err = run_cli("run", str(BASELINE), "--seed", "1", "--json")
    assert code == 0, err
    return json.loads(out)


def test_run_prints_the_annual_table_and_targets():
    code, out, err = run_cli("run", "scenarios/baseline.toml", "--seed", "1")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1] == "base-year data: sim/data/base_year_2024.toml"
    assert "output 亿元" in lines[2] and "above-scale" in lines[2] and "万元/mu" in lines[2]
    years = [line.split()[0] for line in lines[3:10]]
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
    table = run_cli("run", str(BASELINE), "--seed", "1")
    row_2030 = next(line for line in table.out.splitlines() if line.startswith("2030"))
    printed = float(row_2030.split()[1].replace(",", ""))
    assert printed == pytest.approx(json_run["annual"][-1]["output_yi"], abs=0.05)


def test_set_overrides_a_value(json_run):
    code, out, err = run_cli(
        "run", str(BASELINE), "--seed", "1", "--json", "--set", "world.gross_output_yi=520"
    )
    assert code == 0, err
    assert json.loads(out)["annual"][0]["output_yi"] == pytest.approx(520.0)


def test_out_writes_series_and_chart(tmp_path):
    out = tmp_path / "run1"
    code, _, err = run_cli("run", str(BASELINE), "--seed", "2", "--out", str(out))
    assert code == 0, err
    quarterly = pd.read_parquet(out / "quarterly.parquet")
    assert len(quarterly) == 25 and {"year", "quarter", "output_yi", "credit_yi"} <= set(quarterly.columns)
    clusters = pd.read_parquet(out / "clusters.parquet")
    assert len(clusters) == 25 * 13 and set(clusters["cluster"]) >= {"nev_moto", "hardware"}
    assert (out / "output.png").read_bytes()[:4] == b"\x89PNG"
    assert len(pd.read_csv(out / "annual.csv")) == 7
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sim-run-")]


def test_calibrate_by_abc_writes_the_posterior_to_output_and_leaves_the_shipped_files(tmp_path):
    from sim.inputs.calibration_file import DEFAULT_CALIBRATION_FILE
    from sim.inputs.posterior_file import DEFAULT_POSTERIOR_FILE, load_posterior

    shipped = DEFAULT_CALIBRATION_FILE.read_bytes(), DEFAULT_POSTERIOR_FILE.read_bytes()
    output = tmp_path / "posterior.toml"
    budget = ["--population", "3", "--generations", "1", "--max-simulations", "10", "--predictive-draws", "3"]
    args = [
        "calibrate",
        *budget,
        "--workers",
        "1",
        "--checkpoint",
        str(tmp_path / "abc.db"),
        "--output",
        str(output),
    ]
    result = run_cli(*args)
    assert result.code == 0, result.err
    assert "prior (uniform)" in result.out and "single runs' defaults" not in result.out
    posterior = load_posterior(output)
    assert posterior is not None and len(posterior.weights) == 3
    assert (DEFAULT_CALIBRATION_FILE.read_bytes(), DEFAULT_POSTERIOR_FILE.read_bytes()) == shipped


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--set", "levers.land.reclaim_rate=7"],
            f"{BASELINE} (with --set levers.land.reclaim_rate=7): "
            "field 'levers.land.reclaim_rate' = 7: Input should be less than or equal to 1",
        ),
        (
            ["--set", "lnad.reclaim_rate=0.1"],
            f"{BASELINE} (with --set lnad.reclaim_rate=0.1): "
            "unknown field 'lnad' (not in the schema; check the spelling)",
        ),
        (["--set", "noequals"], "--set 'noequals': expected section.field=value"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(tmp_path, args, message):
    out = tmp_path / "never"
    assert run_cli("run", str(BASELINE), "--out", str(out), *args) == (2, "", f"error: {message}\n")
    assert not out.exists()


def test_bad_scenario_file_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[levers.finance]\ninterest_subsidy = "lots"\n', encoding="utf-8")
    code, out, err = run_cli("run", str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {bad}: field 'levers.finance.interest_subsidy' = 'lots'")
    assert err.count("\n") == 1 and err.endswith("\n")
    missing = tmp_path / "missing.toml"
    assert run_cli("run", str(missing)) == (2, "", f"error: {missing}: file not found\n")


def test_out_pointing_at_a_file_is_refused(tmp_path):
    existing = tmp_path / "file.txt"
    existing.write_text("keep me")
    result = run_cli("run", str(BASELINE), "--out", str(existing))
    assert result == (2, "", f"error: --out {existing}: exists and is not a folder\n")
    assert existing.read_text() == "keep me"


def test_a_usage_error_exits_2_with_argparse_s_message():
    code, out, err = run_cli("run", str(BASELINE), "--seed", "-1")
    assert (code, out) == (2, "") and err.startswith("usage: python -m sim run ")
    assert err.splitlines()[-1] == (
        "python -m sim run: error: argument --seed: -1: seeds are integers >= 0 (numpy refuses negative ones)"
    )


def test_hindcast_prints_reported_against_simulated_and_writes_files(tmp_path):
    out = tmp_path / "hc"
    code, printed, err = run_cli("hindcast", "--replications", "4", "--out", str(out))
    assert code == 0, err
    assert "reported" in printed and "90% band" in printed
    assert "mean value added growth" in printed and "2021-2024" in printed
    table = pd.read_csv(out / "hindcast.csv")
    columns = {"indicator", "years", "reported", "median", "p5", "p95", "error", "tolerance"}
    assert columns <= set(table.columns)
    assert (out / "hindcast.png").read_bytes()[:4] == b"\x89PNG"


def test_facts_prints_each_fact_with_reference():
    code, out, err = run_cli("facts", "--replications", "2")
    assert code == 0, err
    assert out.count("reference:") == 6 and "Cooper & Haltiwanger" in out


def test_calibrate_writes_a_file_and_resumes(tmp_path):
    checkpoint, output = tmp_path / "ck.json", tmp_path / "calibration.toml"
    args = [
        "--method",
        "msm",
        "--replications",
        "2",
        "--max-evaluations",
        "2",
        "--checkpoint",
        str(checkpoint),
    ]
    first = run_cli("calibrate", *args, "--output", str(output))
    assert first.code == 0, first.err
    assert "innovation.certification_rate" in first.out and output.is_file()
    again = run_cli("calibrate", *args, "--output", str(output), "--resume")
    assert again.code == 0, again.err
    assert "answered from the checkpoint" in again.out
    answered = again.out.split("evaluations (")[1].split(" answered")[0]
    ran = again.out.split(" evaluations (")[0].split()[-1]
    assert answered == ran  # nothing ran twice


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hindcast", "--replications", "1"], "--replications 1: need at least 2 (for a band and a spread)"),
        (
            ["hindcast", "--set", "run.last_year=2019"],
            "scenarios/hindcast_2020.toml (with --set run.last_year=2019): "
            "field 'run' = {...}: last_year 2019 is before first_year 2021",
        ),
        (
            ["hindcast", "scenarios/baseline.toml"],
            "scenarios/baseline.toml: field 'run' = 2025-2030: "
            "a hindcast must run 2021-2024 from a base year 2020 (e.g. scenarios/hindcast_2020.toml)",
        ),
        (
            ["facts", "--set", "innovation.lapse_rate=3"],
            "scenarios/baseline.toml (with --set innovation.lapse_rate=3): "
            "field 'innovation.lapse_rate' = 3: Input should be less than or equal to 0.5",
        ),
    ],
)
def test_credibility_commands_refuse_bad_input_with_exit_2(args, message):
    assert run_cli(*args) == (2, "", f"error: {message}\n")


# As a real process: the entry points pass main's exit code on, from a fresh interpreter.


def test_python_m_sim_run_works_from_a_fresh_interpreter():
    args = ["run", "scenarios/baseline.toml", "--seed", "1"]
    process = subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (process.returncode, process.stderr) == (0, "")
    assert process.stdout == run_cli(*args).out


def test_the_console_script_exits_2_with_one_line_on_bad_input(tmp_path):
    script = shutil.which("dazu-sim", path=sysconfig.get_path("scripts"))
    if script is None:
        pytest.skip("the dazu-sim console script is not installed (pip install -e .)")
    missing = tmp_path / "missing.toml"
    process = subprocess.run([script, "run", str(missing)], capture_output=True, text=True, timeout=120)
    assert (process.returncode, process.stdout) == (2, "")
    assert process.stderr == f"error: {missing}: file not found\n"


def test_a_shipped_scenario_runs_by_name_from_any_folder(tmp_path):
    named = run_cli("run", "baseline", "--json", cwd=tmp_path)
    assert named.code == 0, named.err
    assert json.loads(named.out) == json.loads(run_cli("run", str(BASELINE), "--json").out)
