"""Experiment files: what they sample, how seeds derive, and bad files refused before any run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.experiments.experiment_file import load_experiment
from sim.experiments.run_spec import derive_seeds
from sim.experiments.sampled_parameters import effect_size_parameters, lever_parameters
from sim.experiments.sampling import DESIGNS, sample_matrix
from sim.inputs.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = ROOT / "experiments"
SCENARIOS = ROOT / "scenarios"


def write_experiment(folder: Path, body: str) -> Path:
    path = folder / "experiment.toml"
    path.write_text(f'name = "t"\nroot_seed = 3\n{body}\n', encoding="utf-8")
    return path


def scenario_line(*names: str) -> str:
    return "scenarios = [" + ", ".join(f'"{SCENARIOS / n}.toml"' for n in names) + "]"


def test_target_probability_samples_the_issue_uncertainties_and_every_effect_size():
    experiment = load_experiment(EXPERIMENTS / "target_probability.toml")
    names = {p.name for p in experiment.parameters}
    assert "world.gross_output_yi" in names  # the 2024 output base
    assert "environment.demand_growth_shift" in names
    assert sum(name.startswith("environment.cluster_demand_shift.") for name in names) == 13
    assert {"environment.macro_volatility", "environment.cluster_volatility"} <= names
    assert {p.name for p in effect_size_parameters()} <= names
    assert experiment.reference == "baseline" and len(experiment.scenarios) == 13
    base = next(p for p in experiment.parameters if p.name == "world.gross_output_yi")
    assert (base.low, base.high) == (500.0, 650.0)  # the base-year file's documented range


def test_sensitivity_experiments_sample_every_lever_too_with_the_randomness_held_fixed():
    for name in ("sensitivity", "screen"):
        experiment = load_experiment(EXPERIMENTS / f"{name}.toml")
        names = {p.name for p in experiment.parameters}
        assert {p.name for p in lever_parameters()} <= names, name
        seeds = experiment.seeds()
        assert len(seeds) == experiment.runs_per_scenario and len(set(seeds)) == 1, name


def test_seeds_and_samples_derive_from_the_root_seed_only():
    experiment = load_experiment(EXPERIMENTS / "smoke.toml")
    first, second = list(experiment.runs()), list(experiment.runs())
    assert first == second
    sampling, seeds = derive_seeds(experiment.root_seed, experiment.replications)
    assert [run.seed for run in first[: len(seeds)]] == seeds
    assert len(set(seeds)) == len(seeds)
    # replication i of every scenario shares its sample and its seed (common random numbers)
    by_replication = {}
    for run in first:
        by_replication.setdefault(run.replication, set()).add((run.seed, run.values))
    assert all(len(pairs) == 1 for pairs in by_replication.values())
    assert sorted(run.run_id for run in first) == list(range(experiment.runs_total))
    assert derive_seeds(experiment.root_seed + 1, 4)[1] != seeds


@pytest.mark.parametrize("design", DESIGNS)
def test_designs_stay_within_the_ranges(design):
    parameters = effect_size_parameters()[:5]
    matrix = sample_matrix(design, parameters, 8, seed=11)
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    assert matrix.shape[1] == 5 and np.all(matrix >= low) and np.all(matrix <= high)
    assert np.array_equal(matrix, sample_matrix(design, parameters, 8, seed=11))


def test_latin_hypercube_puts_one_sample_in_each_stratum():
    parameters = effect_size_parameters()[:3]
    matrix = sample_matrix("lhs", parameters, 10, seed=1)
    for column, parameter in enumerate(parameters):
        strata = np.floor((matrix[:, column] - parameter.low) / (parameter.high - parameter.low) * 10)
        assert sorted(strata) == list(range(10))


def test_integer_levers_run_at_whole_values_each_as_likely():
    rounds = next(p for p in lever_parameters() if p.name == "levers.four_chain.matchmaking_rounds_per_year")
    assert rounds.integer and rounds.value(3.6) == 4
    sampled = sample_matrix("monte_carlo", [rounds], 25_000, seed=2)[:, 0]
    counts = np.bincount([rounds.value(v) for v in sampled], minlength=25)
    assert counts.min() > 0.8 * counts.max()  # the ends (0 and 24) too, not half as often


def test_sampled_values_never_leave_the_range_by_a_rounding_error():
    rate = next(p for p in effect_size_parameters() if p.name == "attraction.conversion_rate")
    assert rate.value(rate.high + 7e-17) == rate.high and rate.value(rate.low - 1e-17) == rate.low


VALID = f"{scenario_line('baseline')}\nreplications = 2"


def ranges(line: str) -> str:
    return f"{VALID}\n[sample.ranges]\n{line}"


BAD_FILES = {
    "unknown scenario": (VALID.replace('.toml"]', '.toml", "no_such_plan"]'), "no_such_plan"),
    "zero replications": (f"{scenario_line('baseline')}\nreplications = 0", "replications"),
    "unknown parameter": (ranges('"environment.no_such" = [0, 1]'), "environment.no_such"),
    "inverted range": (ranges('"environment.inflation" = [0.02, 0.01]'), "must be below high"),
    "range outside the schema": (ranges('"environment.inflation" = [0.0, 0.5]'), "environment.inflation"),
    "unknown cluster": (ranges('"environment.cluster_demand_shift.shipyards" = [-0.01, 0.01]'), "shipyards"),
    "output base outside the base-year range": (
        ranges('"world.gross_output_yi" = [400, 600]'),
        "world.gross_output_yi",
    ),
    "unknown design": (f"{VALID}\ndesign = 'grid'", "design"),
    "sobol size": (f"{scenario_line('baseline')}\nreplications = 10\ndesign = 'sobol'", "power of 2"),
    "reference not listed": (f"{VALID}\nreference = 'x'", "reference"),
    "unknown key": (f"{VALID}\nworkers = 4", "workers"),
    "saltelli size": (f"{scenario_line('baseline')}\nreplications = 10\ndesign = 'saltelli'", "power of 2"),
    "sensitivity design with two scenarios": (
        f"{scenario_line('baseline', 'all_plans')}\nreplications = 2\ndesign = 'morris'",
        "analyses one scenario",
    ),
    # both ends of the two ranges are valid; rows with a tariff but no ceiling are not
    "sampled rows that break a rule between two levers": (
        f"{scenario_line('baseline')}\nreplications = 10\ndesign = 'morris'\n"
        '[sample]\nuncertainties = "none"\neffect_sizes = false\n[sample.ranges]\n'
        '"levers.green.intensity_cap" = [0.0, 0.9]\n"levers.green.tariff_surcharge" = [0.0, 0.2]',
        "needs an energy-intensity ceiling",
    ),
    "a scenario's own setting of a sampled parameter": (
        f"{scenario_line('all_plans')}\nreplications = 2\n[sample]\nall_levers = true",
        "the scenario's value would be ignored",
    ),
    "scenarios with other targets": (
        f'scenarios = ["{SCENARIOS}/baseline.toml", "{SCENARIOS}/hindcast_2020.toml"]\nreplications = 2',
        "other [[targets]]",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_experiment_files_are_refused_before_any_run(case, tmp_path, capsys):
    body, expected = BAD_FILES[case]
    path = write_experiment(tmp_path, body)
    with pytest.raises(InputError, match=None) as error:
        load_experiment(path)
    assert expected in str(error.value) and str(path) in str(error.value)
    out = tmp_path / "results"
    assert main(["experiment", str(path), "--out", str(out)]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()  # nothing ran, nothing was written
