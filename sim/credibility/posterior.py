"""Posterior calibration by ABC-SMC (pyabc): the free parameters given the reported 2021-24 moments.

Each candidate parameter vector runs the hindcast once (one realisation, as the reported
history is one) and adds to each simulated moment a draw of that figure's reporting
error (its `data_sd`): "noisy ABC" (Wilkinson 2013), whose posterior as the tolerance
shrinks is that of the model plus the stated error model. Candidates are accepted when
the distance of their moments to the reported ones, each gap over a fixed scale (data
error and the run-to-run spread of a pilot at the prior's centre), is below a tolerance
that falls generation by generation (pyabc's median rule).

pyabc saves every finished generation to its database; `resume` continues from the last
one, and the candidates' own seeds (sim/credibility/abc_sampler.py) make the resumed fit
equal to an uninterrupted one, whatever the number of workers.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc

from sim.credibility.abc_sampler import SeededExecutorSampler
from sim.credibility.fit_budget import Budget
from sim.credibility.free_parameters import FREE_PARAMETERS, FreeParameter, scenario_at
from sim.credibility.hindcast import run_rows
from sim.credibility.history import History
from sim.credibility.moments import MOMENTS, Moment, data_moments, moment_sd, simulated_moments
from sim.inputs.base_year import BaseYearData, load_scenario_base_year
from sim.inputs.errors import InputError
from sim.inputs.scenario import Scenario
from sim.model.model import IndustryModel

WORLD_ATTEMPTS = 20
PILOT_SEEDS = list(range(1, 21))  # runs at the prior's centre that fix the distance's scales
BAND = (0.05, 0.95)  # the posterior-predictive band the fit is judged by


@dataclass(frozen=True)
class HindcastSimulator:
    """pyabc's model: one hindcast run at a parameter vector, its moments plus reporting error.

    Picklable, so workers (local or on a Dask cluster) rebuild nothing but the world.
    """

    scenario: Scenario
    base_year: BaseYearData
    history: History
    parameters: tuple[FreeParameter, ...]
    moments: tuple[Moment, ...]

    def moments_at(self, values: dict[str, float], draw_seed: Callable[[], int]) -> np.ndarray:
        """The model's moments of one run (no reporting error), from the first buildable drawn seed.

        About 7 seeds in 10,000 cannot build the 2020 world: the hydrogen cluster's 0.1%
        output share can fall below what its few small firms make (a ValueError of the world
        build). Which seeds fail depends on the seed alone, not on the parameters, so
        drawing the next one biases no parameter's posterior.
        """
        scenario = scenario_at(self.scenario, values)
        for _ in range(WORLD_ATTEMPTS):
            seed = draw_seed()
            try:
                model = IndustryModel(scenario, rng=seed, base_year=self.base_year)
            except ValueError:
                continue
            rows = run_rows(model.run(), self.history)
            model.release()
            return simulated_moments(pd.DataFrame([{"seed": seed, **row} for row in rows]), self.moments)[0]
        raise RuntimeError(f"{WORLD_ATTEMPTS} seeds in a row could not build the hindcast's world")

    def __call__(self, parameter: dict[str, float]) -> dict[str, float]:
        """Draws the run's seed and the reporting error from numpy's generator (seeded per candidate)."""
        values = {p.path: float(parameter[p.path]) for p in self.parameters}
        simulated = self.moments_at(values, lambda: int(np.random.randint(1, 2**31 - 1)))  # noqa: NPY002
        error = np.random.normal(0.0, [m.data_sd for m in self.moments])  # noqa: NPY002 (seeded per candidate)
        return {m.name: float(v) for m, v in zip(self.moments, simulated + error, strict=True)}


class SuccessiveSeeds:
    """Seeds for one run, picklable: `first`, then (if its world cannot be built) the next ones."""

    def __init__(self, first: int) -> None:
        self.upcoming = first

    def __call__(self) -> int:
        self.upcoming += 1
        return self.upcoming - 1


@dataclass(frozen=True)
class StandardisedDistance:
    """Euclidean distance of the moments, each gap over its fixed scale."""

    scales: dict[str, float]

    def __call__(self, x: dict[str, float], x_0: dict[str, float]) -> float:
        return float(np.sqrt(sum(((x[k] - x_0[k]) / s) ** 2 for k, s in self.scales.items())))


DISTANCE_NAME = (
    "Euclidean distance of the moments, each gap over sqrt(data_sd^2 + run spread^2) "
    "(spread of 20 runs at the prior's centre)"
)


def prior(parameters: tuple[FreeParameter, ...]) -> pyabc.Distribution:
    return pyabc.Distribution(**{p.path: pyabc.RV("uniform", p.low, p.high - p.low) for p in parameters})


def pilot_scales(simulator: HindcastSimulator) -> dict[str, float]:
    """The distance's scales, from fixed seeds at the prior's centre: the same on every resume."""
    centre = {p.path: (p.low + p.high) / 2 for p in simulator.parameters}
    per_seed = np.vstack([simulator.moments_at(centre, SuccessiveSeeds(seed)) for seed in PILOT_SEEDS])
    sd = moment_sd(per_seed, simulator.moments)
    return {m.name: float(s) for m, s in zip(simulator.moments, sd, strict=True)}


@dataclass(frozen=True)
class FitSignature:
    """What a saved fit is: a resume must continue the same one."""

    parameters: list[list]
    moments: list[str]
    reported: list[float]
    population: int
    seed: int

    @classmethod
    def of(
        cls,
        parameters: tuple[FreeParameter, ...],
        moments: tuple[Moment, ...],
        reported: np.ndarray,
        population: int,
        seed: int,
    ) -> FitSignature:
        return cls(
            [[p.path, p.low, p.high, p.role] for p in parameters],
            [m.name for m in moments],
            [float(v) for v in reported],
            population,
            seed,
        )


def _signature_path(database: Path) -> Path:
    return database.with_name(database.name + ".json")


def open_database(database: Path, signature: FitSignature, resume: bool) -> bool:
    """Prepare the fit's database; True if an earlier fit is continued.

    Without `resume` an earlier database is replaced; with it, it must be of the same fit.
    """
    saved_path = _signature_path(database)
    if resume and database.is_file() and saved_path.is_file():
        try:
            saved = json.loads(saved_path.read_text())
        except (json.JSONDecodeError, OSError) as error:
            raise InputError(f"{saved_path}: not a readable record of a fit ({error})") from None
        for key, value in asdict(signature).items():
            if saved.get(key) != value:
                raise InputError(
                    f"{saved_path}: field '{key}' = {saved.get(key)!r}: the saved fit is another one "
                    f"(this fit has {value!r}); start afresh without --resume"
                )
        return True
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    staging = saved_path.with_name(saved_path.name + ".tmp")
    staging.write_text(json.dumps(asdict(signature)))
    os.replace(staging, saved_path)
    return False


def finished(database: Path, budget: Budget) -> bool:
    """Whether the saved fit already ran to a stopping rule of this budget (a resume then only
    re-reads it; with a larger budget it continues)."""
    return json.loads(_signature_path(database).read_text()).get("finished") == asdict(budget)


def mark_finished(database: Path, budget: Budget) -> None:
    path = _signature_path(database)
    record = json.loads(path.read_text()) | {"finished": asdict(budget)}
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(json.dumps(record))
    os.replace(staging, path)


@dataclass(frozen=True)
class PosteriorFit:
    """The fitted posterior and how well it reproduces the reported moments."""

    parameters: tuple[FreeParameter, ...]
    moments: tuple[Moment, ...]
    particles: pd.DataFrame  # one column per parameter path
    weights: np.ndarray
    reported: np.ndarray
    predictive: np.ndarray  # posterior-predictive moments (rows: draws), model only
    predictive_with_error: np.ndarray  # the same plus the reporting error: what a report could show
    epsilons: list[float]
    simulations: int
    population: int
    seed: int

    def quantiles(self, path: str, q: tuple[float, ...]) -> np.ndarray:
        """Weighted quantiles of one parameter's posterior."""
        values = self.particles[path].to_numpy()
        order = np.argsort(values)
        cumulative = np.cumsum(self.weights[order])
        return np.interp(np.array(q) * cumulative[-1], cumulative, values[order])

    def mean(self, path: str) -> float:
        return float(np.sum(self.particles[path].to_numpy() * self.weights) / self.weights.sum())

    def sd(self, path: str) -> float:
        values = self.particles[path].to_numpy()
        return float(np.sqrt(np.sum(self.weights * (values - self.mean(path)) ** 2) / self.weights.sum()))

    def loss(self) -> float:
        """The simulated-moments loss at the posterior predictive mean, for comparison with an MSM fit."""
        sd = moment_sd(self.predictive, self.moments)
        return float(np.sum(((self.predictive.mean(axis=0) - self.reported) / sd) ** 2))


def fit_posterior(
    base: Scenario,
    history: History,
    executor: Executor,
    in_flight: int,
    database: Path,
    budget: Budget,
    seed: int = 1,
    resume: bool = False,
    parameters: tuple[FreeParameter, ...] = FREE_PARAMETERS,
    moments: tuple[Moment, ...] = MOMENTS,
    progress: Callable[[str], None] | None = None,
) -> PosteriorFit:
    """Run (or continue) the ABC-SMC fit of `parameters` to the history's moments."""
    reported = data_moments(history, moments)
    say = progress or (lambda line: None)
    simulator = HindcastSimulator(base, load_scenario_base_year(base), history, parameters, moments)
    continued = open_database(
        database, FitSignature.of(parameters, moments, reported, budget.population, seed), resume
    )
    logging.getLogger("ABC").setLevel(logging.WARNING)  # the command prints its own progress
    sampler = SeededExecutorSampler(
        executor,
        in_flight,
        seed,
        on_generation=lambda t, runs, accepted: say(
            f"  {'prior sample' if t < 0 else f'generation {t}'}: {accepted} accepted of {runs:,} runs\n"
        ),
    )
    abc = pyabc.ABCSMC(
        simulator,
        prior(parameters),
        StandardisedDistance(pilot_scales(simulator)),
        population_size=budget.population,
        sampler=sampler,
        eps=pyabc.QuantileEpsilon(alpha=0.5),
    )
    url = f"sqlite:///{database}"
    observed = {m.name: float(v) for m, v in zip(moments, reported, strict=True)}
    if continued:
        abc.load(url, 1)
        done = abc.history.max_t + 1
        say(f"resuming: {done} generations saved in {database}\n")
    else:
        abc.new(url, observed)
        done = 0
    if not finished(database, budget) and done < budget.generations:
        abc.run(
            max_nr_populations=budget.generations - done,
            max_total_nr_simulations=budget.max_simulations,
            min_acceptance_rate=budget.min_acceptance_rate,
        )
    mark_finished(database, budget)
    history_db = abc.history
    frame, weights = history_db.get_distribution()
    populations = history_db.get_all_populations()
    epsilons = [float(e) for e in populations.loc[populations["t"] >= 0, "epsilon"]]
    draws = predictive_draws(frame, weights, budget.predictive_draws, seed)
    say(f"posterior predictive: {len(draws)} runs\n")
    predictive, with_error = posterior_predictive(simulator, draws, seed, executor)
    return PosteriorFit(
        parameters=parameters,
        moments=moments,
        particles=frame[[p.path for p in parameters]].reset_index(drop=True),
        weights=np.asarray(weights, float),
        reported=reported,
        predictive=predictive,
        predictive_with_error=with_error,
        epsilons=epsilons,
        simulations=int(history_db.total_nr_simulations),
        population=budget.population,
        seed=seed,
    )


def predictive_draws(
    frame: pd.DataFrame, weights: np.ndarray, draws: int, seed: int
) -> list[dict[str, float]]:
    """Particles drawn by weight for the posterior-predictive runs (seeded)."""
    rng = np.random.default_rng([seed, 2])
    picks = rng.choice(len(frame), size=draws, p=np.asarray(weights) / np.sum(weights))
    records = frame.reset_index(drop=True).to_dict("records")
    return [{str(k): float(v) for k, v in records[i].items()} for i in picks]


def posterior_predictive(
    simulator: HindcastSimulator, draws: list[dict[str, float]], seed: int, executor: Executor
) -> tuple[np.ndarray, np.ndarray]:
    """Moments of one fresh run per draw, without and with the reporting error."""
    seeds = np.random.SeedSequence([seed, 3]).generate_state(len(draws))
    futures = [
        executor.submit(simulator.moments_at, d, SuccessiveSeeds(int(s)))
        for d, s in zip(draws, seeds, strict=True)
    ]
    predictive = np.vstack([f.result() for f in futures])
    error = np.random.default_rng([seed, 4]).normal(
        0.0, [m.data_sd for m in simulator.moments], size=predictive.shape
    )
    return predictive, predictive + error
