"""What it takes, from a search's results folder, as tables.

For every finished candidate its levers, net fiscal cost and odds on the search futures
(in-sample); for the frontier and the reference scenarios the same numbers on the fresh
verification futures, with Wilson 95% intervals, and the extra cost over the status quo
on the same futures; the plain answers (the cheapest verified mix reaching each stated
probability of each target); and which levers the good mixes share and which vary.

The report only reads the folder, so it works on an unfinished search: before the
verification it shows the in-sample numbers and says that they are not yet verified.
Markdown is in sim/analysis/search_report_text.py, the chart in search_report_chart.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from optuna.trial import TrialState

from sim.analysis.report import share_met
from sim.experiments.results_folder import read_manifest_object, read_shards, shard_paths
from sim.inputs.errors import InputError
from sim.inputs.scenario import Target
from sim.search.optimiser import candidate_label, feasible, frontier, read_study
from sim.search.outcomes import RUN_COLUMNS, RunOutcomes
from sim.search.search_folder import SEARCH_RUNS, VERIFICATION_RUNS

SPREAD_SHARED = 0.2  # a lever whose good mixes span at most this share of its range is "shared"
IN_SAMPLE, VERIFIED = "in_sample", "verified"


@dataclass(frozen=True)
class SearchHeader:
    name: str
    description: str
    search_file: str
    optimiser: str
    candidates_done: int
    candidates_total: int
    futures: int
    verification_futures: int
    root_seed: int
    verified: bool  # the frontier's verification runs are complete
    any_feasible: bool | None  # None before the frontier is known
    status_quo: str
    objectives: list[str]
    constraints: dict[str, Any]
    stated_probabilities: list[float]
    package_version: str


@dataclass(frozen=True)
class Answer:
    """What it takes to reach P(target in `year`) >= `stated`, on the verification futures."""

    year: int
    threshold_yi: float
    stated: float
    reached: bool
    number: int | None  # the cheapest mix reaching it, or the one with the highest probability
    probability: float
    low: float
    high: float
    cost_yi: float
    extra_cost_yi: float


@dataclass(frozen=True)
class SearchReport:
    header: SearchHeader
    targets: list[Target]
    levers: list[dict[str, Any]]  # path, low, high, integer: the searched ranges
    reference_levers: dict[str, dict[str, Any]]  # reference -> lever path -> value
    candidates: pd.DataFrame  # one row per finished candidate (index: number): levers and in-sample numbers
    references: pd.DataFrame  # one row per reference and futures set (in_sample, verified)
    frontier: pd.DataFrame  # one row per frontier mix (index: number): in-sample and verified numbers
    answers: list[Answer]
    lever_spread: pd.DataFrame  # one row per searched lever: its settings across the good mixes
    good_mixes: list[int]
    base_scenario: dict[str, Any]  # the base scenario's file tree, for writing mixes


def measure(runs: pd.DataFrame, status_quo: pd.DataFrame | None, targets: list[Target]) -> dict[str, float]:
    """A mix's numbers on a set of futures: costs, and each target's probability with its interval.

    `runs` and `status_quo` are RunOutcomes rows (one per future); the extra cost is the mean
    over the futures both ran on of the mix's annual cost less the status quo's.
    """
    yearly = runs[[column for column in runs.columns if column.startswith("cost_2")]]
    numbers = {
        "futures": float(len(runs)),
        "cost_yi": float(runs["cost_yi"].mean()),
        "peak_yearly_cost_yi": float(yearly.mean().max()),
        "extra_cost_yi": math.nan,
    }
    if status_quo is not None:
        paired = runs.set_index("replication")["cost_yi"] - status_quo.set_index("replication")["cost_yi"]
        numbers["extra_cost_yi"] = float(paired.dropna().mean())
    for target in targets:
        share = share_met(runs[target.output_column] >= target.threshold_yi)
        numbers |= {
            f"p_{target.year}": share["probability"],
            f"p_{target.year}_low": share["low"],
            f"p_{target.year}_high": share["high"],
        }
    return numbers


def _outcomes(folder: Path, targets: list[Target]) -> RunOutcomes | None:
    if not shard_paths(folder):
        return None
    return RunOutcomes.of(read_shards(folder, RUN_COLUMNS), [t.year for t in targets])


def _measured(
    outcomes: RunOutcomes | None, labels: dict[int | str, str], status_quo: str, targets: list[Target]
) -> dict[int | str, dict[str, float]]:
    """The numbers of each complete evaluation (key -> label) among the outcomes."""
    if outcomes is None:
        return {}
    base = outcomes.of_scenario(status_quo)
    return {key: measure(outcomes.of_scenario(label), base, targets) for key, label in labels.items()}


def _answers(
    frontier_table: pd.DataFrame, targets: list[Target], years: list[int], stated: list[float]
) -> list[Answer]:
    answers = []
    for target in (t for t in targets if t.year in years):
        column = f"{VERIFIED}_p_{target.year}"
        if frontier_table.empty or column not in frontier_table:
            continue
        for probability in stated:
            reaching = frontier_table[frontier_table[column] >= probability]
            reached = not reaching.empty
            if reached:
                row = reaching.sort_values(f"{VERIFIED}_cost_yi", kind="stable").iloc[0]
            else:
                row = frontier_table.sort_values(
                    [column, f"{VERIFIED}_cost_yi"], ascending=[False, True]
                ).iloc[0]
            answers.append(
                Answer(
                    year=target.year,
                    threshold_yi=target.threshold_yi,
                    stated=probability,
                    reached=reached,
                    number=int(row.name),
                    probability=float(row[column]),
                    low=float(row[f"{column}_low"]),
                    high=float(row[f"{column}_high"]),
                    cost_yi=float(row[f"{VERIFIED}_cost_yi"]),
                    extra_cost_yi=float(row[f"{VERIFIED}_extra_cost_yi"]),
                )
            )
    return answers


def good_mixes(frontier_table: pd.DataFrame, year: int, stated: float) -> list[int]:
    """The frontier mixes whose verified P(final target) reaches the lowest stated probability;
    if fewer than two do, the better half of the frontier by that probability."""
    column = f"{VERIFIED}_p_{year}"
    if frontier_table.empty or column not in frontier_table:
        return []
    reaching = frontier_table[frontier_table[column] >= stated]
    if len(reaching) >= 2:
        return sorted(int(n) for n in reaching.index)
    ranked = frontier_table.sort_values(column, ascending=False, kind="stable")
    return sorted(int(n) for n in ranked.index[: max(2, math.ceil(len(ranked) / 2))])


def lever_spread(candidates: pd.DataFrame, chosen: list[int], levers: list[dict[str, Any]]) -> pd.DataFrame:
    """Each searched lever across the chosen mixes: its least, median and largest setting, and
    the share of its searched range they span (small: every good mix shares it)."""
    rows = []
    for lever in levers:
        values = candidates.loc[chosen, lever["path"]] if chosen else pd.Series(dtype=float)
        width = lever["high"] - lever["low"]
        spread = float(values.max() - values.min()) / width if len(values) else math.nan
        rows.append(
            {
                "lever": lever["path"],
                "low": lever["low"],
                "high": lever["high"],
                "least": float(values.min()) if len(values) else math.nan,
                "median": float(values.median()) if len(values) else math.nan,
                "largest": float(values.max()) if len(values) else math.nan,
                "spread": spread,
                "shared": bool(spread <= SPREAD_SHARED) if len(values) else False,
            }
        )
    return pd.DataFrame(rows)


def build_search_report(folder: Path) -> SearchReport:
    """Read a search's folder (finished or not) and compute every section of its report."""
    folder = Path(folder)
    manifest = read_manifest_object(folder)
    targets = [Target.model_validate(t) for t in manifest["targets"]]
    study = read_study(folder, manifest["search"])
    levers = manifest["levers"]
    finished = [t for t in study.get_trials(deepcopy=False) if t.state == TrialState.COMPLETE]
    if not finished:
        raise InputError(
            f"{folder}: no finished candidates yet (the search is still on its first generation)"
        )
    status_quo = manifest["status_quo"]
    reference_names = [r["name"] for r in manifest["references"]]
    numbers = manifest.get("frontier")
    chosen = list(numbers) if numbers is not None else list(frontier(study).numbers)
    searched = _outcomes(folder / SEARCH_RUNS, targets)
    verified = _outcomes(folder / VERIFICATION_RUNS, targets)
    labels: dict[int | str, str] = {t.number: candidate_label(t.number) for t in finished}
    in_sample = _measured(searched, labels, status_quo, targets)
    rows = []
    for trial in finished:
        rows.append(
            {"number": trial.number, "label": candidate_label(trial.number)}
            | {lever["path"]: trial.params[lever["path"]] for lever in levers}
            | {f"{IN_SAMPLE}_{key}": value for key, value in in_sample[trial.number].items()}
            | {"feasible": feasible(trial), "on_frontier": trial.number in chosen}
        )
    candidates = pd.DataFrame(rows).set_index("number")
    complete = bool(manifest.get("complete"))
    verified_mixes = _measured(verified, {n: candidate_label(n) for n in chosen}, status_quo, targets)
    frontier_rows = []
    for number in chosen:
        row = {"number": number, "label": candidate_label(number)}
        row |= {f"{IN_SAMPLE}_{k}": v for k, v in in_sample[number].items()}
        if complete:
            row |= {f"{VERIFIED}_{k}": v for k, v in verified_mixes[number].items()}
        frontier_rows.append(row)
    frontier_table = pd.DataFrame(frontier_rows).set_index("number") if frontier_rows else pd.DataFrame()
    sort_by = f"{VERIFIED if complete else IN_SAMPLE}_cost_yi"
    if not frontier_table.empty:
        frontier_table = frontier_table.sort_values(sort_by, kind="stable")
    reference_rows = []
    for phase, outcomes in ((IN_SAMPLE, searched), (VERIFIED, verified if complete else None)):
        measured = _measured(outcomes, {name: name for name in reference_names}, status_quo, targets)
        reference_rows += [{"scenario": name, "futures_set": phase} | measured[name] for name in measured]
    years = [int(o["year"]) for o in manifest["objectives"] if o["year"] is not None]
    years = (
        years
        or [int(year) for year in manifest["constraints"]["min_probability"]]
        or [t.year for t in targets]
    )
    stated = list(manifest["stated_probabilities"])
    answers = _answers(frontier_table, targets, years, stated) if complete else []
    final_year = max(years)
    good = good_mixes(frontier_table, final_year, min(stated)) if complete else []
    header = SearchHeader(
        name=manifest["search"],
        description=manifest.get("description", ""),
        search_file=manifest.get("search_file", ""),
        optimiser=manifest["optimiser"],
        candidates_done=len(finished),
        candidates_total=int(manifest["candidates"]),
        futures=int(manifest["futures"]),
        verification_futures=int(manifest["verification_futures"]),
        root_seed=int(manifest["root_seed"]),
        verified=complete,
        any_feasible=manifest.get("any_feasible"),
        status_quo=status_quo,
        objectives=[o["name"] for o in manifest["objectives"]],
        constraints=manifest["constraints"],
        stated_probabilities=stated,
        package_version=manifest.get("package_version", ""),
    )
    return SearchReport(
        header=header,
        targets=targets,
        levers=levers,
        reference_levers={r["name"]: r["levers"] for r in manifest["references"]},
        candidates=candidates,
        references=pd.DataFrame(reference_rows),
        frontier=frontier_table,
        answers=answers,
        lever_spread=lever_spread(candidates, good, levers),
        good_mixes=good,
        base_scenario=manifest["base_scenario"],
    )


def optimisers_curse(report: SearchReport) -> dict[int, float]:
    """Per target year, the frontier's mean in-sample probability less its verified one (points)."""
    if not report.header.verified or report.frontier.empty:
        return {}
    return {
        t.year: 100.0
        * float(
            np.mean(report.frontier[f"{IN_SAMPLE}_p_{t.year}"] - report.frontier[f"{VERIFIED}_p_{t.year}"])
        )
        for t in report.targets
    }
