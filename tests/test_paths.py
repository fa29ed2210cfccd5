"""Files named on the command line: the user's own path wins, shipped names work from anywhere."""

from __future__ import annotations

from pathlib import Path

from sim.paths import EXPERIMENTS_DIR, SCENARIOS_DIR, locate_experiment, locate_scenario


def test_a_bare_name_or_the_checkout_spelling_finds_the_shipped_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert locate_scenario(Path("baseline")) == SCENARIOS_DIR / "baseline.toml"
    assert locate_scenario(Path("scenarios/all_plans.toml")) == SCENARIOS_DIR / "all_plans.toml"
    assert locate_experiment(Path("smoke")) == EXPERIMENTS_DIR / "smoke.toml"


def test_an_existing_path_wins_and_other_paths_are_left_for_the_loader(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline.toml").write_text('name = "mine"\n')
    assert locate_scenario(Path("baseline.toml")) == Path("baseline.toml")
    assert locate_scenario(Path("elsewhere/baseline.toml")) == Path("elsewhere/baseline.toml")
    assert locate_scenario(Path("no_such_scenario")) == Path("no_such_scenario")


def test_a_name_prefers_the_working_folder_s_own_scenarios(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "baseline.toml").write_text('name = "mine"\n')
    assert locate_scenario(Path("baseline")) == Path("scenarios/baseline.toml")
    assert locate_scenario(Path("all_plans")) == SCENARIOS_DIR / "all_plans.toml"
