"""Shared fixtures: finished runs are reused across tests to keep the suite fast."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import NamedTuple

import pytest

from sim.cli import main
from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


class CliResult(NamedTuple):
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path = ROOT) -> CliResult:
    """`python -m sim ARGS` run in this process from `cwd`: the exit code and what it printed.

    argparse's own exits (usage errors: 2, --help: 0) come back as the code, as from a process.
    A plain function rather than a fixture so module-scoped fixtures can share one run."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = 0 if exit_.code is None else exit_.code if isinstance(exit_.code, int) else 1
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def baseline_scenario():
    return load_scenario(BASELINE)


@pytest.fixture(scope="session")
def baseline_run(baseline_scenario) -> IndustryModel:
    return IndustryModel(baseline_scenario, rng=11).run()
