"""A browser session's state without the browser: the settings, and the odds to estimate.

Each session holds its own `Settings` (the raw scenario data the levers edit) in component
state, never in a module-level variable, so sessions do not see each other's settings.
Settings are checked with the project's own validator, so the page shows the schema's
messages, and they download as a TOML file that `load_scenario` reads back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomli_w

from sim.analysis.odds import Odds, TargetOdds, estimate_odds
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.errors import InputError, decode_text, parse_toml
from sim.inputs.scenario import (
    Scenario,
    load_scenario,
    read_scenario_tree,
    resolve_extends,
    scenario_from_raw,
    value_at,
    with_values,
)
from sim.paths import DATA_DIR, SCENARIOS_DIR

BASELINE = "baseline"
DEFAULT_REPLICATIONS = 200
MAX_REPLICATIONS = 2000  # a session's batch should end within minutes, not hours
EDITED = " (edited)"


@dataclass(frozen=True)
class Settings:
    """Scenario data as edited on the page (no `extends`: the files it extends are merged in).

    `edited` once a lever has moved, so the settings no longer claim to be the named file.
    """

    name: str
    raw: dict[str, Any]
    edited: bool = False

    @property
    def label(self) -> str:
        """The name the settings go by in the odds and in a download: marked once edited."""
        return self.name + EDITED if self.edited else self.name

    @property
    def file_name(self) -> str:
        """The download's file name: not the named file's once edited."""
        return f"{self.name}_edited.toml" if self.edited else f"{self.name}.toml"


def scenario_names() -> list[str]:
    """The scenario files the picker offers, baseline first."""
    names = sorted(path.stem for path in SCENARIOS_DIR.glob("*.toml"))
    return sorted(names, key=lambda name: name != BASELINE)


def load_named(name: str) -> Settings:
    """The settings of a file of scenarios/, with the files it extends merged in."""
    raw, _ = read_scenario_tree(SCENARIOS_DIR / f"{name}.toml")
    return Settings(str(raw.get("name", name)), raw)


def lever_value(settings: Settings, lever: str, default: float) -> float:
    """The value a lever path `levers.<plan>.<name>` has in the settings (its default if unset)."""
    value = value_at(settings.raw, lever)
    return default if value is None else value


def with_lever(settings: Settings, lever: str, value: float) -> Settings:
    """A copy of the settings with one lever set, marked as edited."""
    return Settings(settings.name, with_values(settings.raw, {lever: value}, "lever"), edited=True)


def scenario_of(settings: Settings, source: str | None = None) -> Scenario:
    """The validated scenario, its base-year file checked too; an InputError names `source`.

    `source` defaults to the settings' name. Checking the base year here refuses a
    scenario whose base-year file is missing or does not fit before any run starts.
    """
    raw = {**settings.raw, "name": settings.label}
    scenario = scenario_from_raw(raw, source or f"settings '{settings.label}'", SCENARIOS_DIR)
    load_scenario_base_year(scenario)
    return scenario


def to_toml(settings: Settings) -> str:
    """The settings as a scenario file: every table spelled out, nothing extended."""
    return tomli_w.dumps({**settings.raw, "name": settings.label})


def _names_in(*folders: Path) -> set[str]:
    return {path.name for folder in folders for path in folder.glob("*.toml")}


def from_upload(filename: str, data: bytes) -> Settings:
    """Settings from an uploaded scenario file, or an InputError with the loader's message.

    An upload may `extends` a file of scenarios/, as if it lay there, and name a base-year
    file of sim/data or scenarios/: nothing else of the server's disk.
    """
    raw = parse_toml(decode_text(data, filename), filename)
    parent = raw.get("extends")
    if parent is not None and (not isinstance(parent, str) or parent not in _names_in(SCENARIOS_DIR)):
        raise InputError(
            f"{filename}: field 'extends' = {parent!r}: must name a file of scenarios/, e.g. 'baseline.toml'"
        )
    world = raw.get("world")
    base_year_file = world.get("base_year_file") if isinstance(world, dict) else None
    allowed = _names_in(DATA_DIR, SCENARIOS_DIR)
    if base_year_file is not None and (not isinstance(base_year_file, str) or base_year_file not in allowed):
        raise InputError(
            f"{filename}: field 'world.base_year_file' = {base_year_file!r}: must name a file of sim/data "
            "or scenarios/, e.g. 'base_year_2024.toml'"
        )
    stem = Path(filename).stem
    raw, _ = resolve_extends(raw, SCENARIOS_DIR, stem, filename)
    settings = Settings(str(raw.get("name", stem)), raw)
    scenario_of(settings, filename)
    return settings


def _same_settings(scenario: Scenario, other: Scenario) -> bool:
    """Whether two scenarios differ in their name only (then their runs are the same)."""
    return scenario.data.model_dump(exclude={"name"}) == other.data.model_dump(exclude={"name"})


@dataclass(frozen=True)
class OddsComparison:
    """The odds of the settings and, when asked for, of the baseline with the same seeds.

    `other_targets`: the baseline was asked for but has other targets, so it is not shown.
    """

    settings: Odds
    baseline: Odds | None
    other_targets: bool = False

    def rows(self) -> list[tuple[int, float, TargetOdds, TargetOdds | None]]:
        """(year, threshold, settings' TargetOdds, baseline's TargetOdds or None) per target."""
        baseline = {(t.year, t.threshold_yi): t for t in self.baseline.targets} if self.baseline else {}
        return [
            (t.year, t.threshold_yi, t, baseline.get((t.year, t.threshold_yi))) for t in self.settings.targets
        ]


def estimate_comparison(
    scenario: Scenario,
    replications: int,
    compare_baseline: bool,
    on_progress: Callable[[int, int], None],
    cancel: threading.Event,
    root_seed: int = 1,
) -> OddsComparison:
    """Estimate the odds of `scenario` (and of the baseline, paired), reporting joint progress.

    The baseline is compared only on the same targets; when the settings are the
    baseline's but for the name, its runs would be the same, so they are not run twice.
    Blocks until done; raises sim.analysis.odds.Cancelled when `cancel` is set.
    """
    baseline = load_scenario(SCENARIOS_DIR / f"{BASELINE}.toml") if compare_baseline else None
    other_targets = baseline is not None and baseline.target_pairs != scenario.target_pairs
    rerun = baseline is not None and not other_targets and not _same_settings(scenario, baseline)
    total = replications * (2 if rerun else 1)
    ours = estimate_odds(
        scenario, replications, root_seed, on_progress=lambda done, _: on_progress(done, total), cancel=cancel
    )
    if baseline is None or other_targets:
        return OddsComparison(ours, None, other_targets)
    if not rerun:
        return OddsComparison(ours, replace(ours, scenario=baseline.name))
    theirs = estimate_odds(
        baseline,
        replications,
        root_seed,
        on_progress=lambda done, _: on_progress(replications + done, total),
        cancel=cancel,
    )
    return OddsComparison(ours, theirs)
