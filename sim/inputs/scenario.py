"""Scenario files: the horizon, the targets, the levers and every mechanism parameter, validated.

A scenario is the mechanism parameters of sim/inputs/parameters.py (one section per
phase of the quarter) plus the plans' levers, `[levers.<plan>]`, of sim/inputs/levers.py;
fitted values of the calibration file fill what a scenario leaves unset.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.inputs.base_year import FigureOverrides
from sim.inputs.calibration_file import DEFAULT_CALIBRATION_FILE, Calibration, Scope
from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.levers import Levers
from sim.inputs.parameters import (
    Accounts,
    Attraction,
    Commerce,
    Demography,
    Digital,
    Environment,
    Finance,
    Fiscal,
    Green,
    Innovation,
    Investment,
    Labour,
    Land,
    Market,
    Quality,
    Revenue,
    TaskForces,
)
from sim.inputs.sections import Section


class Target(Section):
    """A target of the plan: gross industrial output of at least `threshold_yi` in `year`."""

    year: int = Field(ge=2025, le=2050, description="calendar year of the target")
    threshold_yi: float = Field(gt=0, description="gross industrial output to reach, 亿元")

    @property
    def met_column(self) -> str:
        """Column of a run's outcomes: whether the target was met."""
        return f"met_{self.year}"

    @property
    def output_column(self) -> str:
        """Column of a run's outcomes: output in the target's year, 亿元."""
        return f"output_{self.year}"


class RunSettings(Section):
    first_year: int = Field(2025, ge=2015, le=2040, description="first simulated year (base year + 1)")
    last_year: int = Field(2030, ge=2015, le=2050, description="last simulated year")

    @model_validator(mode="after")
    def _ordered(self) -> RunSettings:
        if self.last_year < self.first_year:
            raise ValueError(f"last_year {self.last_year} is before first_year {self.first_year}")
        return self


class WorldSettings(Section):
    base_year_file: str = Field(
        "base_year_2024.toml",
        description="base-year data file: absolute, relative to the scenario file, or a name in sim/data/",
    )
    gross_output_yi: float | None = Field(
        None, gt=0, description="override of the base-year gross output (must lie in the file's range)"
    )
    figures: FigureOverrides = Field(
        default_factory=FigureOverrides,
        description="overrides of the base-year file's ranged figures, [world.figures.<section>]",
    )


class ScenarioData(Section):
    """A whole scenario file."""

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    run: RunSettings = RunSettings()
    world: WorldSettings = WorldSettings()
    targets: list[Target] = Field(default_factory=list)
    environment: Environment = Environment()
    attraction: Attraction = Attraction()
    labour: Labour = Labour()
    investment: Investment = Investment()
    digital: Digital = Digital()
    innovation: Innovation = Innovation()
    quality: Quality = Quality()
    green: Green = Green()
    finance: Finance = Finance()
    land: Land = Land()
    market: Market = Market()
    task_forces: TaskForces = TaskForces()
    commerce: Commerce = Commerce()
    demography: Demography = Demography()
    accounts: Accounts = Accounts()
    fiscal: Fiscal = Fiscal()
    revenue: Revenue = Revenue()
    levers: Levers = Levers()

    @model_validator(mode="after")
    def _targets_in_horizon(self) -> ScenarioData:
        for target in self.targets:
            if not self.run.first_year <= target.year <= self.run.last_year:
                raise ValueError(
                    f"target year {target.year} lies outside the run "
                    f"{self.run.first_year}-{self.run.last_year}"
                )
        return self

    @model_validator(mode="after")
    def _quota_settings_need_ceiling(self) -> ScenarioData:
        green = self.levers.green
        for name in ("tariff_surcharge", "cap_tightening"):
            value = getattr(green, name)
            if value > 0 and green.intensity_cap == 0:
                raise ValueError(
                    f"levers.green.{name} = {value} needs an energy-intensity ceiling: set "
                    "levers.green.intensity_cap above 0 (tce per 万元 of value added)"
                )
        return self


class Scenario(BaseModel):
    """A validated scenario plus where it came from (for resolving relative paths)."""

    model_config = ConfigDict(frozen=True)

    data: ScenarioData
    source: str
    directory: Path | None = None

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def target_pairs(self) -> tuple[tuple[int, float], ...]:
        """(year, threshold) of each target, in order: what two scenarios must share to compare odds."""
        return tuple(sorted((t.year, t.threshold_yi) for t in self.data.targets))


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split 'section.field=value' into a key path and a TOML-typed value."""
    if "=" not in text:
        raise InputError(f"--set {text!r}: expected section.field=value")
    key, raw = text.split("=", 1)
    path = [part for part in key.strip().split(".") if part]
    if not path:
        raise InputError(f"--set {text!r}: empty field name")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # bare words are strings, as a user would expect
    return path, value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return a copy of raw scenario data with each --set override applied."""
    values = {}
    for text in overrides:
        path, value = parse_override(text)
        values[".".join(path)] = value
    return with_values(data, values, "--set")


def with_values(data: dict[str, Any], values: dict[str, Any], origin: str) -> dict[str, Any]:
    """A copy of raw scenario data with each 'section.field' path set to its value.

    Only the tables on the paths are copied (the rest is shared with `data`, and never
    changed): a batch checks and runs one copy per sampled row.
    """
    merged = dict(data)
    for key, value in values.items():
        *parents, last = key.split(".")
        node: Any = merged
        for part in parents:
            child = node.get(part, {})
            if not isinstance(child, dict | list):
                raise InputError(f"{origin} {key!r}: '{part}' is a value, not a section")
            node[part] = child = (
                dict(child) if isinstance(child, dict) else list(child)
            )  # copy before changing
            node = child
        if isinstance(node, list):  # 'section.field.N': item N of a per-tier tuple
            if not (last.isdigit() and int(last) < len(node)):
                raise InputError(f"{origin} {key!r}: '{last}' is not an item (0..{len(node) - 1})")
            node[int(last)] = value
        else:
            node[last] = value
    return merged


def value_at(data: dict[str, Any], path: str) -> Any:
    """The value at a 'section.field' (or 'section.field.N' item) path of raw scenario data
    (None where there is none)."""
    node: Any = data
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def read_scenario_tree(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], list[Path]]:
    """A scenario file's raw data on top of the file it `extends`, and the chain of files.

    A plan scenario states only what differs from the baseline; tables merge key by key.
    The parent is found next to the child; a base-year file the parent names next to
    itself stays the parent's. A child without its own `name` is named after its file.
    """
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in (*seen, resolved))
        raise InputError(f"{seen[0]}: field 'extends' makes a cycle: {chain}")
    raw, parents = resolve_extends(read_toml(path), path.parent, path.stem, str(path), (*seen, resolved))
    return raw, [path, *parents]


def resolve_extends(
    raw: dict[str, Any], folder: Path, stem: str, origin: str, seen: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], list[Path]]:
    """Raw data on top of the file its `extends` names in `folder`, and that file's chain.

    Shared by scenario files and the web page's uploads, which extend files of scenarios/.
    Without `extends`, the data is returned as it is, with no parents.
    """
    parent = raw.pop("extends", None)
    if parent is None:
        return raw, []
    if not isinstance(parent, str) or not (folder / parent).is_file():
        raise InputError(
            f"{origin}: field 'extends' = {parent!r}: must name a scenario file, relative to "
            f"{folder}, e.g. 'baseline.toml'"
        )
    parent_path = folder / parent
    inherited, chain = read_scenario_tree(parent_path, seen)
    _anchor_base_year_file(inherited, parent_path.parent)
    raw.setdefault("name", stem)
    return merge_tables(inherited, raw), chain


def _anchor_base_year_file(raw: dict[str, Any], folder: Path) -> None:
    """Make a relative base-year file found in `folder` absolute, so a child elsewhere finds it."""
    world = raw.get("world")
    if not isinstance(world, dict):
        return
    name = world.get("base_year_file")
    if isinstance(name, str) and not Path(name).is_absolute() and (folder / name).is_file():
        world["base_year_file"] = str((folder / name).resolve())


def merge_tables(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """`top` over `base`: nested tables merge, anything else in `top` replaces."""
    merged = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_tables(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def load_scenario(
    path: str | Path, overrides: list[str] | None = None, calibration_scopes: tuple[Scope, ...] = ("model",)
) -> Scenario:
    """Read, override and validate a scenario file; errors name the file and the field.

    Fitted values of the calibration scopes fill every field the file (with the files it
    extends) leaves unset; `--set` overrides come last.
    """
    path = Path(path)
    raw, chain = read_scenario_tree(path)
    source = str(path) if len(chain) == 1 else f"{path} (extends {' -> '.join(str(p) for p in chain[1:])})"
    if overrides:
        raw = apply_overrides(raw, overrides)
        source += f" (with --set {' '.join(overrides)})"
    return scenario_from_raw(raw, source, path.parent, calibration_scopes, str(path))


def scenario_from_raw(
    raw: dict[str, Any],
    source: str,
    directory: Path | None,
    calibration_scopes: tuple[Scope, ...] = ("model",),
    origin: str | None = None,
) -> Scenario:
    """Validate raw scenario data (a file's, or settings edited in the web page).

    Fitted values of the calibration scopes fill every field the data leaves unset; errors
    name `source` and the field; `origin` is the Scenario's `source` (default: `source`).
    """
    for scope in calibration_scopes:
        raw = with_calibrated_defaults(raw, scope)
    data = validate(ScenarioData, raw, source)
    return Scenario(data=data, source=origin or source, directory=directory)


def default_scenario(name: str = "default") -> Scenario:
    """The status-quo scenario with no file, for tests and the library API."""
    data = validate(ScenarioData, with_calibrated_defaults({"name": name}), "(defaults)")
    return Scenario(data=data, source="(defaults)")


def load_calibration(path: Path = DEFAULT_CALIBRATION_FILE) -> Calibration | None:
    """The calibration file, or None when there is none (schema defaults apply)."""
    if not path.is_file():
        return None
    calibration = validate(Calibration, read_toml(path), str(path))
    for field_path in calibration.fitted:
        _check_field(field_path, path)
    return calibration


def _check_field(field_path: str, path: Path) -> None:
    """A fitted parameter must be a field of the scenario schema (it may have been renamed)."""
    section, _, name = field_path.partition(".")
    block = ScenarioData.model_fields.get(section)
    fields = getattr(block.annotation, "model_fields", {}) if block is not None else {}
    if name not in fields:
        raise InputError(
            f"{path}: field 'fitted.\"{field_path}\"': not a scenario parameter (section.field of "
            f"sim/inputs/scenario.py); re-run python -m sim calibrate or delete the file"
        )


def calibrated_values(scope: Scope = "model", path: Path = DEFAULT_CALIBRATION_FILE) -> dict[str, float]:
    """Fitted values of one scope; empty without a calibration file."""
    calibration = load_calibration(path)
    return {} if calibration is None else calibration.in_scope(scope)


def with_calibrated_defaults(
    raw: dict[str, Any], scope: Scope = "model", path: Path = DEFAULT_CALIBRATION_FILE
) -> dict[str, Any]:
    """Raw scenario data with fitted values filled in wherever the scenario is silent."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in raw.items()}
    for field_path, value in calibrated_values(scope, path).items():
        section, name = field_path.split(".")
        block = merged.setdefault(section, {})
        if isinstance(block, dict):
            block.setdefault(name, value)
    return merged
