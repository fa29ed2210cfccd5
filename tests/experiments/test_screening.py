"""The audit's walk over every parameter and its screening ranges."""

from __future__ import annotations

import pytest

from sim.experiments.experiment_file import load_experiment
from sim.experiments.screening import scenario_paths, scenario_value, screened_parameters, screening_range
from sim.inputs.base_year import load_scenario_base_year, ranged_figures
from sim.inputs.errors import InputError
from sim.inputs.levers import lever_paths
from sim.paths import EXPERIMENTS_DIR
from sim.reference.parameter_docs import mechanism_sections


@pytest.fixture(scope="module")
def walked(baseline_scenario):
    base_year = load_scenario_base_year(baseline_scenario)
    return baseline_scenario, base_year, screened_parameters(baseline_scenario.data, base_year)


def test_the_walk_finds_every_mechanism_field_lever_and_ranged_figure(walked):
    scenario, base_year, screened = walked
    paths = set(screened)
    for section_name, section in mechanism_sections().items():
        for name in section.model_fields:
            path = f"{section_name}.{name}"
            assert path in paths or any(p.startswith(path + ".") for p in paths), path
    # Levers whose status-quo value is an assumption are screened; those off at the status quo
    # (0, the plan's absence) are not.
    assumed = {p for p in lever_paths() if scenario_value(scenario.data, p) != 0}
    assert assumed == {"levers.land.reclaim_rate", "levers.task_forces.capacity_per_quarter"}
    assert {p for p in lever_paths() if p.startswith("levers.")} & paths == assumed
    assert set(ranged_figures().values()) <= paths
    assert {f"environment.cluster_demand_shift.{c.key}" for c in base_year.clusters} <= paths
    assert {f"labour.required_skilled_share.{i}" for i in range(4)} <= paths
    assert not any(p.startswith("run.") for p in paths)  # the horizon is the question, not a parameter
    assert scenario_paths(scenario.data, base_year) == list(screened)


@pytest.mark.parametrize(
    ("default", "low", "high", "integer", "expected"),
    [
        (0.25, 0, 1, False, (0.125, 0.375)),  # +-50%
        (1.05, 1, 1.5, False, (1.0, 1.5)),  # clipped to narrow schema bounds
        (0.0, -0.1, 0.1, False, (-0.02, 0.02)),  # a zero default: +-10% of the span
        (0.0, 0, 0.5, False, (0.0, 0.05)),  # a zero default at its lower bound: up to a tenth of the span
        (5, 1, 16, True, (2.0, 8.0)),  # whole numbers, outwards
        (1, 0, 2, True, (0.0, 2.0)),  # at least one step either way
        (-0.15, -2, 0, False, (-0.225, -0.075)),
    ],
)
def test_screening_ranges_follow_the_stated_rule(default, low, high, integer, expected):
    assert screening_range(default, low, high, integer) == pytest.approx(expected)


def test_every_screened_range_contains_its_default_and_is_marked_as_an_assumption(walked):
    scenario, base_year, screened = walked
    figures = set(ranged_figures().values())
    for path, parameter in screened.items():
        assert parameter.low < parameter.high, path
        assert parameter.kind == "screened"
        if path in figures:
            assert parameter.note.startswith("range documented in the base-year file"), path
        else:
            assert parameter.note.startswith("assumption (screening rule"), path


def test_the_audit_samples_the_main_experiment_s_parameters_over_the_same_ranges():
    main = {
        p.name: (p.low, p.high)
        for p in load_experiment(EXPERIMENTS_DIR / "target_probability.toml").parameters
    }
    audit = load_experiment(EXPERIMENTS_DIR / "audit.toml").parameters
    sampled = {p.name: (p.low, p.high) for p in audit if p.kind != "screened"}
    assert sampled == main, "copy the [sample] settings of target_probability.toml into audit.toml"
    assert len(audit) == len({p.name for p in audit})


def test_a_screen_list_naming_no_parameter_is_refused(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad"\nscenarios = ["baseline"]\ndesign = "morris"\nreplications = 2\nroot_seed = 1\n'
        '[sample]\nuncertainties = "none"\neffect_sizes = false\nscreen = ["market.no_such_field"]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"field 'sample.screen' names \['market.no_such_field'\]"):
        load_experiment(path)
