"""Where the package's own files are: its data, the shipped scenarios and experiment files.

In a checkout the scenarios and experiment files sit beside the package (`scenarios/`,
`experiments/`); an installed wheel carries them inside it (`sim/scenarios/`,
`sim/experiment_files/`), so both work without the working folder mattering.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
CHECKOUT_DIR = PACKAGE_DIR.parent


def _shipped(installed: str, checkout: str) -> Path:
    inside = PACKAGE_DIR / installed
    return inside if inside.is_dir() else CHECKOUT_DIR / checkout


SCENARIOS_DIR = _shipped("scenarios", "scenarios")
EXPERIMENTS_DIR = _shipped("experiment_files", "experiments")
DOCS_DIR = CHECKOUT_DIR / "docs"  # generated references are written in a checkout only
