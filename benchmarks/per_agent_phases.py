"""Where the time goes: ours against the per-agent reference, full runs and firm-level phases.

    python -m benchmarks.per_agent_phases [--repetitions 3] [--seed 11]

Times full default runs (world build included, 24 quarters) of `IndustryModel` and of
`PerAgentIndustryModel`, alternating, and prints the medians and their ratio, and the
medians of the phases' times: the reference times itself (`phase_seconds`:
per-agent phases, shared phases, and the sync between agents and arrays that only the
hybrid needs); ours is timed in separate runs with the same phases' functions wrapped.
All times are CPU time (`time.process_time`), which other processes on a shared machine
move less than the wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sim.model.mechanisms.attraction as attraction_module
import sim.model.model as model_module
from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from tests.model.per_agent_reference import PerAgentIndustryModel

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"

# Our functions for the phases the reference runs per agent, and for those it shares.
FIRM_LEVEL = (
    (model_module, "draw_environment"),
    (attraction_module, "advance_projects"),
    (model_module, "hire"),
    (model_module, "plan_capacity_investment"),
    (model_module, "plan_digital_upgrades"),
    (model_module, "innovate"),
    (model_module, "build_quality"),
    (model_module, "plan_retrofits"),
    (model_module, "start_projects"),
    (model_module, "match_suppliers"),
    (model_module, "open_channels"),
    (model_module, "produce"),
    (model_module, "settle_accounts"),
    (model_module, "close_firms"),
)
SHARED = (
    (model_module, "evaluate_task_forces"),
    (model_module, "allocate_task_forces"),
    (attraction_module, "convert_leads"),
    (attraction_module, "give_birth_to_small_firms"),
    (model_module, "answer_loan_requests"),
    (model_module, "manage_land"),
    (model_module, "allocate_expansion_land"),
    (IndustryModel, "_end_quarter"),  # fiscal running costs, banks, indicators, data collection
)


@contextmanager
def timed_phases(seconds: dict[str, float]) -> Iterator[None]:
    """Wrap our phase functions so each call adds its time to `seconds[kind]`."""
    originals = []

    def wrap(function: Callable[..., Any], kind: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[kind] += time.process_time() - start

        return timed

    for kind, phases in (("firm_level", FIRM_LEVEL), ("shared", SHARED)):
        for module, name in phases:
            original = getattr(module, name)
            originals.append((module, name, original))
            setattr(module, name, wrap(original, kind))
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    scenario = load_scenario(BASELINE)
    IndustryModel(scenario, rng=args.seed).run()  # warm caches and lazy imports

    times: dict[str, list[float]] = {"ours": [], "reference": []}
    ours_phases: list[dict[str, float]] = []
    reference_phases: list[dict[str, float]] = []
    for _ in range(args.repetitions):
        start = time.process_time()
        IndustryModel(scenario, rng=args.seed).run()
        times["ours"].append(time.process_time() - start)
        start = time.process_time()
        reference_phases.append(PerAgentIndustryModel(scenario, rng=args.seed).run().phase_seconds)
        times["reference"].append(time.process_time() - start)
        ours_phases.append({"firm_level": 0.0, "shared": 0.0})
        with timed_phases(ours_phases[-1]):
            IndustryModel(scenario, rng=args.seed).run()

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    ours, reference = statistics.median(times["ours"]), statistics.median(times["reference"])
    print(f"full default run (24 quarters, build included), median of {args.repetitions}:")
    print(f"  ours       {ours:8.3f} s   {[round(t, 3) for t in times['ours']]}")
    print(f"  reference  {reference:8.3f} s   {[round(t, 3) for t in times['reference']]}")
    print(f"  reference / ours  {reference / ours:6.1f}x")
    sync = median(reference_phases, "sync")
    print(f"  reference without its sync / ours  {(reference - sync) / ours:6.1f}x")
    firm_ours, firm_reference = median(ours_phases, "firm_level"), median(reference_phases, "per_agent")
    print(f"phases, median of {args.repetitions} runs (s):  ours   reference")
    print(f"  firm-level (per agent)      {firm_ours:7.3f}   {firm_reference:7.3f}")
    shared_ours, shared_reference = median(ours_phases, "shared"), median(reference_phases, "shared")
    print(f"  shared (same functions)     {shared_ours:7.3f}   {shared_reference:7.3f}")
    print(f"  agent <-> array sync        {0.0:7.3f}   {sync:7.3f}")
    print(f"  firm-level ratio  {firm_reference / firm_ours:6.1f}x")


if __name__ == "__main__":
    main()
