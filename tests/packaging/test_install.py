"""A normal, non-editable install works away from the checkout: the shipped files travel with it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The python of a fresh venv into which the package was installed from its wheel."""
    where = tmp_path_factory.mktemp("install")
    source = where / "source"  # the tracked files only: no stale build/ folder can slip into the wheel
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, tracked.stdout.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", where / "dist", source, cwd=where
    )
    assert built.returncode == 0, built.stderr
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    wheel = next((where / "dist").glob("dazu_sim-*.whl"))
    done = _run(python, "-m", "pip", "install", "-q", wheel, cwd=where)
    assert done.returncode == 0, done.stderr
    return python


@pytest.mark.slow
def test_an_installed_package_runs_shipped_scenarios_and_experiments_from_another_folder(installed, tmp_path):
    where = _run(installed, "-c", "import sim; print(sim.__file__)", cwd=tmp_path)
    assert "site-packages" in where.stdout, "the checkout, not the installed package, was imported"

    run = _run(installed, "-m", "sim", "run", "baseline", "--json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["scenario"] == "baseline"

    experiment = _run(
        installed, "-m", "sim", "experiment", "smoke", "--workers", "1", "--quiet", cwd=tmp_path
    )
    assert experiment.returncode == 0, experiment.stderr
    assert (tmp_path / "results" / "smoke" / "manifest.json").is_file()

    listed = _run(
        installed, "-c", "from sim.web.state import scenario_names; print(scenario_names())", cwd=tmp_path
    )
    assert listed.returncode == 0, listed.stderr
    assert "baseline" in listed.stdout and "all_plans" in listed.stdout

    report = _run(installed, "-m", "sim", "report", "results/smoke", "--format", "html", cwd=tmp_path)
    assert report.returncode == 0, report.stderr  # the charts need the font shipped as package data
    assert "data:font/otf;base64," in (tmp_path / "results" / "smoke" / "report.html").read_text(
        encoding="utf-8"
    )
