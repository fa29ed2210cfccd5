"""The documented examples are real output: they must match what the commands print now.

The README holds the worked example and the one-run example; the compare excerpt lives in
docs/scenarios_and_levers.md."""

from __future__ import annotations

import os

import pytest

from sim.analysis.report import build_report
from sim.analysis.report_text import report_markdown
from sim.cli import main
from tests.conftest import ROOT

COMMAND = "$ .venv/bin/python -m sim run scenarios/baseline.toml --seed 1\n"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(COMMAND) + len(COMMAND)
    return text[start : text.index("```", start)]


def test_worked_example_matches_the_current_model(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["run", os.path.join("scenarios", "baseline.toml"), "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.strip() == readme_example().strip(), (
        "README.md's worked example is stale: paste the new output of the command"
    )


COMPARE = "$ .venv/bin/python -m sim compare scenarios/baseline.toml scenarios/all_plans.toml --seed 1\n"


def test_compare_excerpt_matches_the_current_model(capsys, monkeypatch):
    text = (ROOT / "docs" / "scenarios_and_levers.md").read_text(encoding="utf-8")
    start = text.index(COMPARE) + len(COMPARE)
    excerpt = text[start : text.index("\n...\n", start)]
    monkeypatch.chdir(ROOT)
    args = [
        "compare",
        os.path.join("scenarios", "baseline.toml"),
        os.path.join("scenarios", "all_plans.toml"),
    ]
    assert main([*args, "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(excerpt), (
        "docs/scenarios_and_levers.md's compare excerpt is stale: paste the new first rows"
    )


@pytest.mark.slow
def test_worked_example_probabilities_match_a_rerun_of_two_of_its_scenarios(tmp_path):
    """Runs are paired and independent across scenarios, so re-running baseline and
    all_plans with the experiment's design, replications and root seed must reproduce
    their rows of the README's tables exactly."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = text[text.index("## Worked example") : text.index("## One run")]
    experiment = (ROOT / "experiments" / "target_probability.toml").read_text(encoding="utf-8")
    start, end = experiment.index("scenarios = ["), experiment.index("]\n", experiment.index("scenarios = ["))
    scenarios = f'scenarios = ["{ROOT}/scenarios/baseline.toml", "{ROOT}/scenarios/all_plans.toml"'
    path = tmp_path / "target_probability.toml"
    path.write_text(experiment[:start] + scenarios + experiment[end:], encoding="utf-8")
    assert main(["experiment", str(path), "--out", str(tmp_path / "results"), "--quiet"]) == 0
    rerun = report_markdown(build_report(tmp_path / "results"), "en").splitlines()
    for scenario, tables in (("baseline", 2), ("all_plans", 3)):  # the reference has no effect row
        rows = [line for line in example.splitlines() if line.startswith(f"| {scenario} |")]
        assert len(rows) == tables, scenario
        for row in rows:
            assert row in rerun, f"README.md's worked example is stale for {scenario}: {row}"
