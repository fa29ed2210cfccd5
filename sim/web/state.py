"""A browser session's state without the browser: the settings, and the odds to estimate.

Each session holds its own `Settings` (the raw scenario data the levers edit) in component
state, never in a module-level variable, so sessions do not see each other's settings.
Settings are checked with the project's own validator, so the page shows the schema's
messages, and they download as a TOML file that `load_scenario` reads back.
"""

from __future__ import annotations

import copy
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from sim.input_errors import InputError
from sim.odds import Odds, TargetOdds, estimate_odds
from sim.scenario import Scenario, load_scenario, merge_tables, read_scenario_tree, scenario_from_raw

# The repository's scenario files (the README installs the package editable, in place).
SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
BASELINE = "baseline"
DEFAULT_REPLICATIONS = 200


@dataclass(frozen=True)
class Settings:
    """Scenario data as edited on the page (no `extends`: the files it extends are merged in)."""

    name: str
    raw: dict[str, Any]


def scenario_names() -> list[str]:
    """The scenario files the picker offers, baseline first."""
    names = sorted(path.stem for path in SCENARIO_DIR.glob("*.toml"))
    return sorted(names, key=lambda name: name != BASELINE)


def load_named(name: str) -> Settings:
    raw, _ = read_scenario_tree(SCENARIO_DIR / f"{name}.toml")
    return Settings(str(raw.get("name", name)), raw)


def lever_value(settings: Settings, lever: str, default: float) -> float:
    """The value a lever path `levers.<plan>.<name>` has in the settings (its default if unset)."""
    node: Any = settings.raw
    for part in lever.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def with_lever(settings: Settings, lever: str, value: float) -> Settings:
    raw = copy.deepcopy(settings.raw)
    *sections, name = lever.split(".")
    node = raw
    for part in sections:
        node = node.setdefault(part, {})
    node[name] = value
    return Settings(settings.name, raw)


def scenario_of(settings: Settings, source: str | None = None) -> Scenario:
    """The validated scenario; an InputError names `source` (default: the settings' name)."""
    return scenario_from_raw(settings.raw, source or f"settings '{settings.name}'", SCENARIO_DIR)


def to_toml(settings: Settings) -> str:
    """The settings as a scenario file: every table spelled out, nothing extended."""
    return tomli_w.dumps(settings.raw)


def from_upload(filename: str, data: bytes) -> Settings:
    """Settings from an uploaded scenario file, or an InputError with the schema's message.

    An upload may `extends` a file of scenarios/, as if it lay there.
    """
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{filename}: not valid TOML: {exc}") from None
    stem = Path(filename).stem
    parent = raw.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str) or not (SCENARIO_DIR / parent).is_file():
            raise InputError(
                f"{filename}: field 'extends' = {parent!r}: must name a file of scenarios/, "
                "e.g. 'baseline.toml'"
            )
        inherited, _ = read_scenario_tree(SCENARIO_DIR / parent)
        raw = merge_tables(inherited, {"name": stem, **raw})
    settings = Settings(str(raw.get("name", stem)), raw)
    scenario_of(settings, filename)
    return settings


@dataclass(frozen=True)
class OddsComparison:
    """The odds of the settings and, when asked for, of the baseline with the same seeds."""

    settings: Odds
    baseline: Odds | None

    def rows(self) -> list[tuple[int, float, TargetOdds, TargetOdds | None]]:
        """(year, threshold, settings' TargetOdds, baseline's TargetOdds or None) per target."""
        baseline = {t.year: t for t in self.baseline.targets} if self.baseline else {}
        return [(t.year, t.threshold_yi, t, baseline.get(t.year)) for t in self.settings.targets]


def estimate_comparison(
    scenario: Scenario,
    replications: int,
    compare_baseline: bool,
    on_progress: Callable[[int, int], None],
    cancel: threading.Event,
    root_seed: int = 1,
) -> OddsComparison:
    """Estimate the odds of `scenario` (and of the baseline, paired), reporting joint progress.

    Blocks until done; raises sim.odds.Cancelled when `cancel` is set.
    """
    scenarios = [scenario]
    if compare_baseline:
        scenarios.append(load_scenario(SCENARIO_DIR / f"{BASELINE}.toml"))
    total = replications * len(scenarios)
    results = []
    for k, item in enumerate(scenarios):
        done_before = k * replications
        results.append(
            estimate_odds(
                item,
                replications,
                root_seed,
                on_progress=lambda done, _total, before=done_before: on_progress(before + done, total),
                cancel=cancel,
            )
        )
    return OddsComparison(results[0], results[1] if compare_baseline else None)
