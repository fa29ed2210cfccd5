"""On a planted problem, a stand-in model whose cheapest feasible mix is known, the search finds it.

The stand-in replaces the simulation behind the executor (each batch is answered by a
formula instead of the model); everything else is the real search: the file, the futures,
optuna's proposals, the shards, the constraint and the frontier.
"""

from __future__ import annotations

import itertools
from concurrent.futures import Executor, Future
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.results_folder import parameter_column
from sim.experiments.run_spec import Batch
from sim.search.optimiser import candidates, feasible, frontier, open_study
from sim.search.run_search import run_search
from sim.search.search_file import load_search

PLATFORMS = "levers.innovation.platforms"  # integer, 0..30
BRAINS = "levers.ai.industry_brain_clusters"  # integer, 0..13
BASE = "world.gross_output_yi"
FILE = """
name = "planted"
references = ["baseline"]
levers = ["{platforms}", "{brains}"]
objectives = ["net_fiscal_cost", "probability_2030"]
futures = 20
verification_futures = 20
candidates = {candidates}
population = 16
optimiser = "{optimiser}"
root_seed = 3

[constraints]
{budget}
[constraints.min_probability]
2030 = 0.5

[sample]
uncertainties = "none"
effect_sizes = false
[sample.ranges]
"{base}" = [500, 650]
"""


def planted_output_2030(base: float, platforms: int, brains: int) -> float:
    """Platforms add 25 亿元 for 1 亿元 a year; brains 5 亿元 for 0.5: platforms are the cheaper way."""
    return base + 25 * platforms + 5 * brains


def planted_cost(platforms: int, brains: int) -> float:
    return 1.0 * platforms + 0.5 * brains


def planted_batch(batch: Batch) -> pd.DataFrame:
    rows = []
    for run in batch.runs:
        levers = batch.scenarios[run.scenario].data["levers"]
        platforms, brains = levers["innovation"]["platforms"], levers["ai"]["industry_brain_clusters"]
        base = run.values[[p.name for p in batch.parameters].index(BASE)]
        final = planted_output_2030(base, platforms, brains)
        for year in range(2024, 2031):
            rows.append(
                {
                    "run_id": run.run_id,
                    "scenario": run.scenario,
                    "replication": run.replication,
                    "seed": run.seed,
                    parameter_column(BASE): base,
                    "year": year,
                    "output_yi": base + (final - base) * (year - 2024) / 6,
                    "fiscal_net_cost_yi": 0.0 if year == 2024 else planted_cost(platforms, brains),
                }
            )
    return pd.DataFrame(rows)


class PlantedModel(Executor):
    """An executor that answers every batch with the planted formula, at once."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        future: Future = Future()
        future.set_result(planted_batch(args[0]))
        return future


def planted_search(folder: Path, optimiser: str = "tpe", candidates: int = 96, budget: str = ""):
    path = folder / "planted.toml"
    text = FILE.format(
        platforms=PLATFORMS,
        brains=BRAINS,
        base=BASE,
        optimiser=optimiser,
        candidates=candidates,
        budget=budget,
    )
    path.write_text(text, encoding="utf-8")
    return load_search(path)


def known_cheapest(search) -> tuple[int, int]:
    """The cheapest mix meeting P(2030) >= 50% on the search futures, by trying every mix."""
    bases = search.futures.samples[:, [p.name for p in search.parameters].index(BASE)]

    def share_met(platforms: int, brains: int) -> float:
        return sum(planted_output_2030(b, platforms, brains) >= 1000 for b in bases) / len(bases)

    feasible_mixes = [m for m in itertools.product(range(31), range(14)) if share_met(*m) >= 0.5]
    return min(feasible_mixes, key=lambda m: planted_cost(*m))


@pytest.mark.parametrize(
    ("optimiser", "budget"),
    [("tpe", 96), pytest.param("nsga2", 320, marks=pytest.mark.slow)],
)
def test_the_search_finds_the_known_cheapest_feasible_mix(tmp_path, optimiser, budget):
    search = planted_search(tmp_path, optimiser=optimiser, candidates=budget)
    cheapest = known_cheapest(search)
    assert cheapest == (17, 0)  # platforms, the cheaper way, just enough; no brains

    run_search(search, tmp_path / "results", PlantedModel(), workers=2, show_progress=False)
    study = open_study(tmp_path / "results", search)
    found = min((t for t in candidates(study) if feasible(t)), key=lambda t: t.values[0])
    assert (found.params[PLATFORMS], found.params[BRAINS]) == cheapest
    assert found.values[0] == planted_cost(*cheapest)
    assert found.number in frontier(study).numbers


def test_when_no_mix_meets_the_constraints_the_frontier_says_so(tmp_path):
    # 5 亿元 a year buys at most 5 platforms (+125 亿元): no future gets near 1000 亿元.
    search = planted_search(tmp_path, candidates=32, budget="yearly_budget_yi = 5.0")
    manifest = run_search(search, tmp_path / "results", PlantedModel(), workers=1, show_progress=False)
    assert manifest["complete"] and manifest["any_feasible"] is False
    assert manifest["frontier"], "the best infeasible mixes are still verified, to say how close they get"
