"""The assumption audit: its table in docs is generated, current, and finds no influential fixed parameter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.analysis.audit import audit_summary, category, influential
from sim.analysis.audit_page import assumptions_page
from sim.experiments.experiment_file import load_experiment
from sim.paths import DOCS_DIR, EXPERIMENTS_DIR
from tests.conftest import run_cli

PAGE = DOCS_DIR / "assumptions.md"
SUMMARY = DOCS_DIR / "assumptions.json"
RERUN = (
    "python -m sim experiment experiments/audit.toml && "
    "python -m sim audit results/audit --write docs/assumptions.md"
)
THRESHOLDS = {"output_yi": 10.0, "probability_points": 2.0}


@pytest.fixture(scope="module")
def summary() -> dict:
    return json.loads(SUMMARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> tuple[Path, dict]:
    """The tiny audit (experiments/audit_smoke.toml) run and read like the real one."""
    folder = tmp_path_factory.mktemp("audit_smoke") / "results"
    file = str(EXPERIMENTS_DIR / "audit_smoke.toml")
    assert run_cli("experiment", file, "--out", str(folder), "--workers", "1", "--quiet").code == 0
    return folder, audit_summary(folder, "test")


def test_the_assumptions_page_is_rendered_from_the_committed_summary(summary):
    assert PAGE.read_text(encoding="utf-8") == assumptions_page(summary), f"regenerate it: {RERUN}"


def test_the_committed_audit_is_of_every_parameter_as_defined_now(summary):
    """A parameter added, a default changed or a range newly sampled makes the audit stale."""
    current = {
        p.name: (p.low, p.high, p.kind == "screened")
        for p in load_experiment(EXPERIMENTS_DIR / "audit.toml").parameters
    }
    audited = {r["name"]: (r["low"], r["high"], r["kind"] == "screened") for r in summary["parameters"]}
    changed = sorted(
        name for name in current.keys() | audited.keys() if current.get(name) != audited.get(name)
    )
    assert not changed, f"the audit is stale for {changed}: re-run it: {RERUN}"


def test_every_sampled_range_names_its_source_or_the_reason_for_its_assumption():
    for parameter in load_experiment(EXPERIMENTS_DIR / "target_probability.toml").parameters:
        note = parameter.note.strip()
        assert len(note) >= 3, parameter.name
        assert note.rstrip(".").lower() != "assumption", f"{parameter.name}: 'assumption' needs its reason"


def test_no_fixed_parameter_moves_the_answer(summary):
    moving = [f"{r['name']} ({r['output_mu_star_yi']:.0f} 亿元)" for r in influential(summary)]
    assert not moving, (
        f"fixed and influential: {', '.join(moving)}; sample them, source them, or replace them"
    )


def test_the_table_shows_every_parameter_once_with_its_class_and_source(summary):
    rows = summary["parameters"]
    assert len({r["name"] for r in rows}) == len(rows)
    page = PAGE.read_text(encoding="utf-8")
    for row in rows:
        line = next(line for line in page.splitlines() if line.startswith(f"| `{row['name']}` |"))
        assert f"| {category(row, summary['thresholds'])} |" in line
        assert row["source"].strip(), row["name"]


def test_classes_follow_the_thresholds_on_the_upper_ends_of_the_intervals():
    def row(kind, output, conf, points_upper):
        points = {"2027": {"points": 0.0, "upper": points_upper}, "2030": {"points": 0.0, "upper": 0.0}}
        return {
            "kind": kind,
            "output_mu_star_yi": output,
            "output_mu_star_conf_yi": conf,
            "target_points": points,
        }

    assert category(row("uncertainty", 500, 1, 50), THRESHOLDS) == "sampled"
    assert category(row("screened", 6, 3, 1.9), THRESHOLDS) == "fixed and inert"
    assert category(row("screened", 6, 4, 0), THRESHOLDS) == "fixed and influential"  # 6 + 4 reaches 10
    assert category(row("screened", 1, 0, 2.0), THRESHOLDS) == "fixed and influential"


def test_the_smoke_audit_runs_through_the_experiment_runner_and_classifies(smoke):
    _, result = smoke
    classes = {r["name"]: category(r, result["thresholds"]) for r in result["parameters"]}
    assert classes["world.gross_output_yi"] == "sampled"
    assert classes["environment.demand_growth_shift"] == "sampled"
    # What the district pays to reclaim land changes its budget, never its output.
    assert classes["fiscal.reclaim_wan_per_mu"] == "fixed and inert"
    row = next(r for r in result["parameters"] if r["name"] == "world.gross_output_yi")
    assert row["output_mu_star_yi"] > 100  # 500 -> 650 亿元 of base moves 2030 output by far more
    assert result["trajectories"] == 2 and result["runs"] == 14


def test_the_audit_command_writes_the_page_and_its_summary(smoke, tmp_path):
    folder, _ = smoke
    page = tmp_path / "docs" / "assumptions.md"
    result = run_cli("audit", str(folder), "--write", str(page))
    assert result.code == 0, result.err
    written = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    assert page.read_text(encoding="utf-8") == assumptions_page(written)
    assert "fixed and inert" in result.out


def test_the_audit_command_refuses_an_incomplete_or_other_design(smoke, tmp_path):
    folder, _ = smoke
    result = run_cli("audit", str(folder), "--write", str(tmp_path / "page.json"))
    assert result.code == 2 and "give a Markdown page (.md)" in result.err
    result = run_cli("audit", str(tmp_path / "nothing"))
    assert result.code == 2 and "no experiment results here" in result.err
