"""The optimiser: optuna's ask-and-tell study, kept in the results folder so a search resumes.

Optuna proposes mixes (ask), the search evaluates them on its futures through the
experiment runner, and tells optuna the objectives and constraint values (tell). The
study lives in a journal file (an append-only log, optuna's `JournalFileBackend`), so a
killed search loses no proposal or result it had written.

Proposals are reproducible across interruptions: optuna does not save its samplers'
random state, so each proposal gets a fresh sampler seeded from the root seed and the
candidate's number. What it proposes then depends only on the study's finished
candidates, which are the same whether or not the search was stopped on the way.
Candidates are proposed a whole generation at a time and told in number order once all
of them are evaluated, so the order in which workers finish does not matter either.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import optuna
from optuna.samplers import BaseSampler, NSGAIISampler, TPESampler
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import FrozenTrial, TrialState

from sim.search.futures import proposal_seed
from sim.search.outcomes import Evaluation
from sim.search.search_file import Search

STUDY_FILE = "study.journal"


def candidate_label(number: int) -> str:
    """How results name candidate `number` (its scenario column)."""
    return f"candidate_{number:04d}"


def _storage(folder: Path) -> JournalStorage:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return JournalStorage(JournalFileBackend(str(folder / STUDY_FILE)))


def open_study(folder: Path, search: Search) -> optuna.Study:
    """The search's study in `folder` (created on the first call, continued after)."""
    return optuna.create_study(
        storage=_storage(folder),
        study_name=search.name,
        directions=[objective.direction for objective in search.objectives],
        load_if_exists=True,
    )


def read_study(folder: Path, name: str) -> optuna.Study:
    """A search's study, to read (the report and the web page)."""
    return optuna.load_study(study_name=name, storage=_storage(folder))


def _sampler(search: Search, number: int) -> BaseSampler:
    seed = proposal_seed(search.root_seed, number)
    if search.optimiser == "nsga2":
        return NSGAIISampler(population_size=search.population, seed=seed)
    with warnings.catch_warnings():  # multivariate TPE is marked experimental; it models levers jointly
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return TPESampler(seed=seed, n_startup_trials=search.population, multivariate=True)


def propose(study: optuna.Study, search: Search, number: int) -> None:
    """Ask the optimiser for candidate `number` (the next one): its levers go into the study."""
    study.sampler = _sampler(search, number)
    trial = study.ask({lever.path: lever.distribution() for lever in search.levers})
    if trial.number != number:  # the study holds candidates the search did not propose
        raise RuntimeError(f"the study proposed candidate {trial.number}, expected {number}")


def levers_of(trial: FrozenTrial, search: Search) -> dict[str, float | int]:
    """A candidate's lever settings, by lever path."""
    return {lever.path: lever.value(trial.params[lever.path]) for lever in search.levers}


def objective_values(search: Search, evaluation: Evaluation) -> list[float]:
    return [
        evaluation.mean_annual_cost_yi if objective.year is None else evaluation.probabilities[objective.year]
        for objective in search.objectives
    ]


def constraint_values(search: Search, evaluation: Evaluation) -> dict[str, float]:
    """Each constraint as optuna reads them: feasible when <= 0."""
    values = {
        f"min_probability_{year}": minimum - evaluation.probabilities[year]
        for year, minimum in search.min_probability.items()
    }
    if search.yearly_budget_yi is not None:
        values["yearly_budget"] = evaluation.peak_yearly_cost_yi - search.yearly_budget_yi
    return values


def record(study: optuna.Study, search: Search, trial: FrozenTrial, evaluation: Evaluation) -> None:
    """Tell the optimiser how a proposed candidate did on the search futures."""
    live = optuna.trial.Trial(study, trial._trial_id)  # a proposal of this or an interrupted process
    for name, value in constraint_values(search, evaluation).items():
        live.set_constraint(name, value)
    study.tell(live, objective_values(search, evaluation))


def candidates(study: optuna.Study) -> list[FrozenTrial]:
    """Every proposed candidate, by number (finished or still to be evaluated)."""
    return sorted(study.get_trials(deepcopy=False), key=lambda trial: trial.number)


def feasible(trial: FrozenTrial) -> bool:
    return all(value <= 0 for value in trial.constraints.values())


@dataclass(frozen=True)
class Frontier:
    """The non-dominated candidates (by number) and whether any candidate met the constraints."""

    numbers: tuple[int, ...]
    any_feasible: bool


def non_dominated(values: np.ndarray) -> np.ndarray:
    """Mask of rows no other row dominates (every column minimised)."""
    better_or_equal = (values[:, None, :] <= values[None, :, :]).all(axis=2)
    strictly_better = (values[:, None, :] < values[None, :, :]).any(axis=2)
    dominated = (better_or_equal & strictly_better).any(axis=0)
    return ~dominated


def frontier(study: optuna.Study) -> Frontier:
    """The Pareto set of the finished candidates: among the feasible ones if any, else among all.

    Candidates with identical levers count once (the first proposed), so none is verified twice.
    """
    finished = [t for t in candidates(study) if t.state == TrialState.COMPLETE]
    unique: dict[tuple[Any, ...], FrozenTrial] = {}
    for trial in finished:
        unique.setdefault(tuple(sorted(trial.params.items())), trial)
    pool = list(unique.values())
    allowed = [t for t in pool if feasible(t)]
    chosen = allowed or pool
    if not chosen:
        return Frontier((), False)
    signs = np.array([1.0 if d == optuna.study.StudyDirection.MINIMIZE else -1.0 for d in study.directions])
    mask = non_dominated(np.array([t.values for t in chosen]) * signs)
    return Frontier(tuple(t.number for t, keep in zip(chosen, mask, strict=True) if keep), bool(allowed))
