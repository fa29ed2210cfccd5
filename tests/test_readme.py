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
