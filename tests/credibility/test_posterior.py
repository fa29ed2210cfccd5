"""Posterior calibration (ABC-SMC): it runs end to end on the hindcast, resumes to the same
posterior, writes a file experiments can read, and refuses a resume of another fit."""

from __future__ import annotations

import numpy as np
import pytest

from sim.credibility.fit_budget import Budget
from sim.credibility.free_parameters import FREE_PARAMETERS
from sim.credibility.hindcast import load_hindcast_scenario
from sim.credibility.history import load_history
from sim.credibility.moments import MOMENTS, data_moments
from sim.credibility.posterior import FitSignature, fit_posterior, open_database
from sim.credibility.posterior_report import (
    HEADER,
    format_posterior,
    moment_bands,
    point_values_document,
    posterior_document,
    write_toml,
)
from sim.inputs.calibration_file import Calibration
from sim.inputs.errors import InputError, validate
from sim.inputs.posterior_file import load_posterior
from tests.conftest import run_cli
from tests.credibility.shuffled_executor import ShuffledExecutor

HISTORY = load_history()
TINY = Budget(population=5, generations=3, max_simulations=120, predictive_draws=8)


def tiny_fit(database, resume=False, progress=None, budget=TINY):
    with ShuffledExecutor(5) as executor:
        return fit_posterior(
            load_hindcast_scenario(),
            HISTORY,
            executor,
            3,
            database,
            budget,
            seed=3,
            resume=resume,
            progress=progress,
        )


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    return tiny_fit(tmp_path_factory.mktemp("abc") / "fit.db")


def test_a_fit_narrows_the_prior_and_checks_every_moment(uninterrupted):
    fit = uninterrupted
    assert list(fit.particles.columns) == [p.path for p in FREE_PARAMETERS]
    assert len(fit.particles) == TINY.population and fit.weights.min() > 0
    assert 1 <= len(fit.epsilons) <= TINY.generations
    assert all(later < earlier for earlier, later in zip(fit.epsilons, fit.epsilons[1:], strict=False))
    for p in FREE_PARAMETERS:
        assert p.low <= fit.particles[p.path].min() and fit.particles[p.path].max() <= p.high
    rows = moment_bands(fit)
    assert [r["name"] for r in rows] == [m.name for m in fit.moments]
    for row in rows:
        assert row["p5"] <= row["median"] <= row["p95"]
        inside = row["p5"] <= row["reported"] <= row["p95"]
        assert (row["miss"] == 0) == inside
    text = format_posterior(fit)
    assert "prior (uniform)" in text and "in band" in text and "tolerance by generation" in text


def test_a_killed_fit_resumes_to_the_same_posterior(uninterrupted, tmp_path):
    database = tmp_path / "fit.db"

    def killed_at_the_second_generation(line: str) -> None:
        if "generation 1:" in line:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tiny_fit(database, progress=killed_at_the_second_generation)
    resumed = tiny_fit(database, resume=True)
    np.testing.assert_allclose(resumed.particles.to_numpy(), uninterrupted.particles.to_numpy())
    np.testing.assert_allclose(resumed.weights, uninterrupted.weights)
    assert resumed.simulations == uninterrupted.simulations
    np.testing.assert_allclose(resumed.predictive, uninterrupted.predictive)


def test_a_resume_of_another_fit_is_refused(tmp_path):
    database = tmp_path / "fit.db"
    reported = data_moments(HISTORY, MOMENTS)
    open_database(database, FitSignature.of(FREE_PARAMETERS, MOMENTS, reported, 3, seed=3), resume=False)
    database.touch()  # as if a fit of 3 particles had saved a generation
    with pytest.raises(InputError, match="'population' = 3.*another one"):
        tiny_fit(database, resume=True)


def test_the_posterior_file_is_written_and_read_back(uninterrupted, tmp_path):
    path = tmp_path / "posterior.toml"
    write_toml(
        posterior_document(uninterrupted, "python -m sim calibrate (test)", "history.toml"), path, HEADER
    )
    posterior = load_posterior(path)
    assert posterior is not None
    assert posterior.paths("structural") == ["innovation.certification_rate"]
    assert posterior.paths("period") == ["environment.demand_growth_shift"]
    assert sum(posterior.weights) == pytest.approx(1.0)
    values = posterior.parameters["innovation.certification_rate"].values
    np.testing.assert_allclose(values, uninterrupted.particles["innovation.certification_rate"])
    points = validate(Calibration, point_values_document(uninterrupted, "test", "history.toml"), "points")
    assert points.in_scope("model").keys() == {"innovation.certification_rate"}
    assert points.in_scope("hindcast").keys() == {"environment.demand_growth_shift"}


def test_a_posterior_file_naming_an_unknown_parameter_is_an_input_error(uninterrupted, tmp_path):
    path = tmp_path / "posterior.toml"
    write_toml(posterior_document(uninterrupted, "test", "history.toml"), path, HEADER)
    path.write_text(path.read_text().replace("innovation.certification_rate", "innovation.certificaton_rate"))
    with pytest.raises(InputError, match="certificaton_rate.*not a scenario parameter"):
        load_posterior(path)


def test_a_bad_budget_is_one_line_and_exit_code_2():
    result = run_cli("calibrate", "--population", "0")
    assert result.code == 2
    assert result.err.strip() == "error: --population 0: must be at least 1"
