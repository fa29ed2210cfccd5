"""Fixed-seed runs stored as golden files: speed work must leave results unchanged, and
levers at the status quo must reproduce the stored baseline.

Regenerate after a deliberate model change (and say so in the commit message):

    .venv/bin/python -m tests.model.golden_run --write
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from sim.run.results import quarterly_frame

ROOT = Path(__file__).resolve().parents[2]
FOLDER = Path(__file__).resolve().parent / "golden"
# name -> (scenario file, seed)
GOLDEN_RUNS = {"baseline_seed3": ("baseline.toml", 3), "all_plans_seed7": ("all_plans.toml", 7)}


def golden_path(name: str) -> Path:
    return FOLDER / f"{name}.csv"


def series(scenario_path: Path, seed: int) -> pd.DataFrame:
    """Every district indicator per quarter of one run."""
    return quarterly_frame(IndustryModel(load_scenario(scenario_path), rng=seed).run())


def golden_series(name: str) -> pd.DataFrame:
    scenario_file, seed = GOLDEN_RUNS[name]
    return series(ROOT / "scenarios" / scenario_file, seed)


def read_golden(name: str) -> pd.DataFrame:
    return pd.read_csv(golden_path(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", required=True, help=f"rewrite the files in {FOLDER.relative_to(ROOT)}"
    )
    parser.parse_args()
    FOLDER.mkdir(exist_ok=True)
    for name in GOLDEN_RUNS:
        golden_series(name).to_csv(golden_path(name), index=False, float_format="%.17g")
        print(f"wrote {golden_path(name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
