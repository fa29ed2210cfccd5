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


def _locate(entry: Path, shipped: Path, folder: str) -> Path:
    """The file a user names on the command line: the path itself, or a named file.

    A path that exists always wins. Otherwise a bare name (`baseline`, `baseline.toml`) or
    the checkout's spelling (`scenarios/baseline.toml`) is looked up in the working
    folder's own `scenarios/` (a project of one's own), then among the shipped files, so
    the README's commands work from any folder and after a normal install. Anything else
    is returned as given, for the loader to report as missing.
    """
    if entry.exists() or entry.parent not in (Path("."), Path(folder)):
        return entry
    return find_named(entry.name, (Path(folder), shipped)) or entry


def find_named(name: str, folders: tuple[Path, ...]) -> Path | None:
    """`name` (with or without .toml) in the first of `folders` that has it."""
    file_name = name if name.endswith(".toml") else f"{name}.toml"
    return next((folder / file_name for folder in folders if (folder / file_name).is_file()), None)


def locate_scenario(entry: Path) -> Path:
    """A scenario file named on the command line (see `_locate`)."""
    return _locate(entry, SCENARIOS_DIR, "scenarios")


def locate_experiment(entry: Path) -> Path:
    """An experiment file named on the command line (see `_locate`)."""
    return _locate(entry, EXPERIMENTS_DIR, "experiments")
