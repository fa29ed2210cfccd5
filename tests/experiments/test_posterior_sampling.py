"""Experiments sample the calibrated posterior as whole particles, one design dimension."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tomli_w

from sim.experiments.design import check_sampled_paths_are_free
from sim.experiments.posterior_sampling import POSTERIOR, PosteriorDraw, posterior_draw
from sim.experiments.sampled_parameters import STANDARD_FILE, scenario_values, standard_uncertainties
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.errors import InputError
from sim.inputs.posterior_file import DEFAULT_POSTERIOR_FILE, load_posterior
from sim.inputs.scenario import load_scenario
from tests.conftest import BASELINE

CERTIFICATION = "innovation.certification_rate"
LAPSE = "innovation.lapse_rate"
SHIFT = "environment.demand_growth_shift"


def posterior_file(folder: Path, structural: dict[str, list[float]], weights: list[float]) -> Path:
    """A posterior of hand-made particles, with the demand shift as its period parameter."""
    count = len(weights)

    def entry(role: str, values: list[float]) -> dict:
        return {
            "role": role,
            "prior": [-1.0, 1.0],
            "why": "test",
            "median": 0.0,
            "p5": 0.0,
            "p95": 0.0,
            "values": values,
        }

    document = {
        "provenance": {
            "method": "test",
            "command": "test",
            "date": "2026-12-01",
            "history_file": "history.toml",
            "moments": [],
            "distance": "test",
            "population": count,
            "generations": 1,
            "simulations": count,
            "epsilons": [1.0],
            "seed": 1,
        },
        "weights": weights,
        "parameters": {path: entry("structural", values) for path, values in structural.items()}
        | {SHIFT: entry("period", [0.0] * count)},
    }
    path = folder / "posterior.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def draw_of(folder: Path) -> PosteriorDraw:
    path = posterior_file(
        folder, {CERTIFICATION: [0.03, 0.01, 0.02], LAPSE: [0.3, 0.1, 0.2]}, [0.1, 0.2, 0.7]
    )
    posterior = load_posterior(path)
    assert posterior is not None
    return posterior_draw(posterior, str(path))


def test_a_uniform_draw_picks_each_particle_as_often_as_its_weight_and_keeps_it_whole(tmp_path):
    draw = draw_of(tmp_path)
    picks = [draw.assignments(u) for u in (np.arange(10_000) + 0.5) / 10_000]
    rates = [np.mean([p[CERTIFICATION] == value for p in picks]) for value in (0.03, 0.01, 0.02)]
    np.testing.assert_allclose(rates, [0.1, 0.2, 0.7], atol=1e-3)
    assert all(p[LAPSE] == pytest.approx(10 * p[CERTIFICATION]) for p in picks)  # particles stay whole
    assert SHIFT not in picks[0]  # the period parameter is not carried forward


def test_the_dimension_reads_as_the_first_structural_parameters_posterior_quantile(tmp_path):
    draw = draw_of(tmp_path)
    assert draw.assignments(0.0)[CERTIFICATION] == 0.01 and draw.assignments(1.0)[CERTIFICATION] == 0.03
    values = [draw.assignments(u)[CERTIFICATION] for u in np.linspace(0, 1, 101)]
    assert values == sorted(values)


def test_an_explicit_range_after_the_posterior_wins(tmp_path):
    draw = draw_of(tmp_path)
    explicit = standard_uncertainties(load_scenario_base_year(load_scenario(BASELINE)))[1]
    values = scenario_values([draw, explicit], [0.5, explicit.low])
    assert values[CERTIFICATION] == 0.02 and values[explicit.name] == explicit.low


def test_the_standard_uncertainties_draw_the_shipped_posterior_first():
    parameters = standard_uncertainties(load_scenario_base_year(load_scenario(BASELINE)))
    first = parameters[0]
    assert isinstance(first, PosteriorDraw) and first.name == POSTERIOR
    posterior = load_posterior()
    assert posterior is not None
    assert set(first.paths) == set(posterior.paths("structural"))
    ranged = {p.name: p for p in parameters[1:]}
    assert not set(first.paths) & set(ranged)
    for path in posterior.paths("period"):  # replaced by a forward prior centred on 0
        assert ranged[path].low == -ranged[path].high


def test_a_structural_parameter_with_its_own_range_is_refused(tmp_path):
    text = STANDARD_FILE.read_text(encoding="utf-8")
    own_range = f'[parameters."{CERTIFICATION}"]\nrange = [0.01, 0.05]\nnote = "test"\n'
    standard = tmp_path / "uncertainties.toml"
    standard.write_text(text + "\n" + own_range, encoding="utf-8")
    with pytest.raises(InputError, match="the posterior .* samples it; remove its range"):
        standard_uncertainties(
            load_scenario_base_year(load_scenario(BASELINE)), standard, DEFAULT_POSTERIOR_FILE
        )


def test_a_period_parameter_without_a_forward_range_is_refused(tmp_path):
    text = STANDARD_FILE.read_text(encoding="utf-8")
    cut = text.index(f'[parameters."{SHIFT}"]')
    end = text.index("[parameters.", cut + 1)
    standard = tmp_path / "uncertainties.toml"
    standard.write_text(text[:cut] + text[end:], encoding="utf-8")
    with pytest.raises(InputError, match="period-specific .* give it a forward range"):
        standard_uncertainties(
            load_scenario_base_year(load_scenario(BASELINE)), standard, DEFAULT_POSTERIOR_FILE
        )


def test_a_missing_posterior_file_says_how_to_make_it(tmp_path):
    with pytest.raises(InputError, match="does not exist: run python -m sim calibrate"):
        standard_uncertainties(
            load_scenario_base_year(load_scenario(BASELINE)), STANDARD_FILE, tmp_path / "posterior.toml"
        )


def test_a_scenario_setting_a_posterior_parameter_is_refused(tmp_path):
    draw = draw_of(tmp_path)
    scenario = load_scenario(BASELINE, [f"{CERTIFICATION}=0.2"])
    with pytest.raises(InputError, match=f"sets '{CERTIFICATION}' = 0.2, which the experiment samples"):
        check_sampled_paths_are_free("test", {"baseline": scenario}, [draw])
