"""A fixed-seed run stored as a golden file, so speed work can prove results unchanged.

Regenerate after a deliberate model change (and say so in the commit message):

    .venv/bin/python -m tests.golden_run --write
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.model import IndustryModel
from sim.results import quarterly_frame
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "all_plans_seed7.csv"
SCENARIO = ROOT / "scenarios" / "all_plans.toml"
SEED = 7


def golden_series() -> pd.DataFrame:
    """Every district indicator per quarter of all_plans.toml with seed 7."""
    return quarterly_frame(IndustryModel(load_scenario(SCENARIO), rng=SEED).run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {GOLDEN.relative_to(ROOT)}")
    if parser.parse_args().write:
        GOLDEN.parent.mkdir(exist_ok=True)
        golden_series().to_csv(GOLDEN, index=False, float_format="%.17g")
        print(f"wrote {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
