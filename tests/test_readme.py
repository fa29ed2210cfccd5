"""The README's worked example is real output: it must match what the command prints now."""

from __future__ import annotations

import os

from sim.cli import main

from .conftest import ROOT

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
    text = (ROOT / "README.md").read_text(encoding="utf-8")
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
    assert printed.startswith(excerpt), "README.md's compare excerpt is stale: paste the new first rows"
