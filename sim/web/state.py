"""A browser session's state without the browser: the settings, the runs to compare, and the odds.

Each session holds its own `Settings` (the raw scenario data the levers edit) in component
state, never in a module-level variable, so sessions do not see each other's settings.
What is the same for every session is computed once per server and shared: the baseline's
one run for a seed, and the baseline's odds for a number of replications and a root seed
(the very numbers a session would compute, since the runs are seeded). Settings are
checked with the project's own validator, and download as a TOML file that
`load_scenario` reads back.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from sim.analysis.odds import Cancelled, Odds, TargetOdds, estimate_odds
from sim.analysis.probability import paired_difference
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.errors import InputError, parse_toml
from sim.inputs.scenario import (
    Scenario,
    load_scenario,
    read_scenario_tree,
    resolve_extends,
    scenario_from_raw,
    value_at,
    with_values,
)
from sim.model.model import IndustryModel
from sim.paths import DATA_DIR, SCENARIOS_DIR
from sim.run.results import annual_frame
from sim.web.problems import PageError, check_drawable, check_settings

BASELINE = "baseline"
FIRST_SEED = 1  # the seed a page opens with
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


def has_targets(name: str) -> bool:
    """Whether a file of scenarios/ has targets (with the files it extends): only those can be estimated."""
    raw, _ = read_scenario_tree(SCENARIOS_DIR / f"{name}.toml")
    return bool(raw.get("targets"))


def scenario_names() -> list[str]:
    """The scenario files the picker offers, baseline first; none without targets (the hindcast)."""
    names = sorted(path.stem for path in SCENARIOS_DIR.glob("*.toml") if has_targets(path.stem))
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


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_upload(filename: str, data: bytes) -> str:
    """An uploaded file's text as the user's editor saved it.

    UTF-8 with or without a byte-order mark (Notepad and Excel write one), UTF-16 with one,
    or GB18030, the superset of GBK that Chinese Windows calls "ANSI". UTF-8 is tried first:
    a GB18030 reading of UTF-8 bytes rarely fails, so the order matters.
    """
    encodings = ["utf-16"] if data.startswith(UTF16_BOMS) else ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PageError(
        zh=f"{filename}：无法读取文本：既不是 UTF-8，也不是 GBK/GB18030 编码。"
        "请用记事本“另存为”UTF-8 后再上传",
        en=f"{filename}: cannot be read as text: neither UTF-8 nor GBK/GB18030. "
        "Save it as UTF-8 and upload it again",
    )


def from_upload(filename: str, data: bytes) -> Settings:
    """Settings from an uploaded scenario file, or a PageError in both languages.

    An upload may `extends` a file of scenarios/, as if it lay there, and name a base-year
    file of sim/data or scenarios/: nothing else of the server's disk. An empty file, or
    one that sets no targets, is refused here: it could be run but never estimated.
    """
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise PageError(zh=f"{filename}：文件是空的", en=f"{filename}: the file is empty")
    try:  # the project's reader: bounded nesting and size, as for files on disk
        raw = parse_toml(decode_upload(filename, data), filename)
    except InputError as exc:
        raise PageError(zh=f"{filename}：不是有效的 TOML 格式（{exc}）", en=str(exc)) from None
    parent = raw.get("extends")
    if parent is not None and (not isinstance(parent, str) or parent not in _names_in(SCENARIOS_DIR)):
        raise PageError(
            zh=f"{filename}：字段 'extends' = {parent!r}：只能引用 scenarios/ 中的文件，例如 'baseline.toml'",
            en=f"{filename}: field 'extends' = {parent!r}: must name a file of scenarios/, "
            "e.g. 'baseline.toml'",
        )
    world = raw.get("world")
    base_year_file = world.get("base_year_file") if isinstance(world, dict) else None
    allowed = _names_in(DATA_DIR, SCENARIOS_DIR)
    if base_year_file is not None and (not isinstance(base_year_file, str) or base_year_file not in allowed):
        raise PageError(
            zh=f"{filename}：字段 'world.base_year_file' = {base_year_file!r}：只能是 sim/data 或 scenarios/ "
            "中的文件，例如 'base_year_2024.toml'",
            en=f"{filename}: field 'world.base_year_file' = {base_year_file!r}: must name a file of sim/data "
            "or scenarios/, e.g. 'base_year_2024.toml'",
        )
    stem = Path(filename).stem
    try:
        raw, _ = resolve_extends(raw, SCENARIOS_DIR, stem, filename)
    except InputError as exc:
        raise PageError(zh=str(exc), en=str(exc)) from None
    name = str(raw.get("name", stem))
    edited = name.endswith(EDITED)  # a downloaded edit, uploaded again: marked once, not twice
    while name.endswith(EDITED):
        name = name.removesuffix(EDITED)
    raw = {**raw, "name": name}
    check_drawable(filename, "name", name)
    check_settings(filename, raw)
    if not raw.get("targets"):
        raise PageError(
            zh=f'{filename}：没有设定目标（[[targets]]），无法估计实现概率；可加上 extends = "baseline.toml"',
            en=f"{filename}: sets no targets ([[targets]]), so its odds cannot be estimated; "
            'add extends = "baseline.toml"',
        )
    settings = Settings(name, raw, edited)
    try:
        scenario_of(settings, filename)
    except InputError as exc:  # what the schema allows but the base-year file does not fit
        raise PageError(zh=str(exc), en=str(exc)) from None
    return settings


def _same_settings(scenario: Scenario, other: Scenario) -> bool:
    """Whether two scenarios differ in their name only (then their runs are the same)."""
    return scenario.data.model_dump(exclude={"name"}) == other.data.model_dump(exclude={"name"})


ANNUAL_COMPARED = ["year", "output_yi", "fiscal_net_cost_yi"]


def completed_years(model: IndustryModel) -> pd.DataFrame:
    """Year, output and fiscal cost of the run's simulated years that are complete."""
    annual = annual_frame(model).iloc[1:]
    last = model.year if model.quarter == 4 else model.year - 1
    return annual.loc[annual["year"] <= last, ANNUAL_COMPARED].reset_index(drop=True)


def warm_up() -> threading.Thread:
    """Start the baseline's run for the page's first seed in the background, as the server
    starts: the first visitor's comparison is then ready, and the model's compiled loops are
    loaded (or, on a fresh checkout, compiled: about 11 s once) before anyone clicks Run."""
    thread = threading.Thread(target=baseline_run, args=(FIRST_SEED,), name="warm-up", daemon=True)
    thread.start()
    return thread


@lru_cache(maxsize=64)
def baseline_run(seed: int) -> pd.DataFrame:
    """The baseline's one run for a seed, whole horizon; computed once per server and seed."""
    model = IndustryModel(load_scenario(SCENARIOS_DIR / f"{BASELINE}.toml"), rng=seed)
    while model.running:
        model.step()
    return completed_years(model)


@dataclass(frozen=True)
class Difference:
    """P(settings) - P(baseline) on paired runs, with Newcombe's 95% interval."""

    value: float
    low: float
    high: float


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

    def difference(self, year: int, threshold_yi: float) -> Difference | None:
        """The paired difference in P(output >= threshold): run i of each shares its sample and seed."""
        if self.baseline is None:
            return None

        def met(odds: Odds) -> pd.Series:
            outputs = odds.annual.loc[odds.annual["year"] == year].set_index("replication")["output_yi"]
            return outputs.sort_index() >= threshold_yi

        ours, theirs = met(self.settings), met(self.baseline)
        if not ours.index.equals(theirs.index):
            return None
        return Difference(*paired_difference(ours.to_numpy(), theirs.to_numpy()))


class SharedOdds:
    """Odds computed once per server and handed to every session that asks for the same ones.

    Keyed by the scenario's data (its name aside), replications and root seed, which fix
    every run. The first session to ask computes; others asking meanwhile wait for it (a
    cancel still stops their wait), and compute themselves only if it was cancelled.
    """

    def __init__(self) -> None:
        self._odds: dict[str, Odds] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @staticmethod
    def key(scenario: Scenario, replications: int, root_seed: int) -> str:
        data = scenario.data.model_dump(mode="json", exclude={"name"})
        return json.dumps([data, replications, root_seed], sort_keys=True)

    def cached(self, scenario: Scenario, replications: int, root_seed: int) -> Odds | None:
        return self._odds.get(self.key(scenario, replications, root_seed))

    def get(
        self,
        scenario: Scenario,
        replications: int,
        root_seed: int,
        on_progress: Callable[[int, int], None],
        cancel: threading.Event,
    ) -> Odds:
        key = self.key(scenario, replications, root_seed)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        while not lock.acquire(timeout=0.2):
            if cancel.is_set():
                raise Cancelled()
        try:
            if key not in self._odds:
                self._odds[key] = estimate_odds(
                    scenario, replications, root_seed, on_progress=on_progress, cancel=cancel
                )
            return self._odds[key]
        finally:
            lock.release()


SHARED_BASELINE_ODDS = SharedOdds()


def estimate_comparison(
    scenario: Scenario,
    replications: int,
    compare_baseline: bool,
    on_progress: Callable[[int, int], None],
    cancel: threading.Event,
    root_seed: int = 1,
    shared: SharedOdds = SHARED_BASELINE_ODDS,
) -> OddsComparison:
    """Estimate the odds of `scenario` (and of the baseline, paired), reporting joint progress.

    The baseline is compared only on the same targets; its odds come from the server's
    shared estimate. Settings that are the baseline's but for the name share it too.
    Blocks until done; raises sim.analysis.odds.Cancelled when `cancel` is set.
    """
    baseline = load_scenario(SCENARIOS_DIR / f"{BASELINE}.toml") if compare_baseline else None
    other_targets = baseline is not None and baseline.target_pairs != scenario.target_pairs
    if baseline is not None and not other_targets and _same_settings(scenario, baseline):
        theirs = shared.get(baseline, replications, root_seed, on_progress, cancel)
        return OddsComparison(replace(theirs, scenario=scenario.name), theirs)
    need_baseline = baseline is not None and not other_targets
    pending = need_baseline and shared.cached(baseline, replications, root_seed) is None  # type: ignore[arg-type]
    total = replications * (2 if pending else 1)
    ours = estimate_odds(
        scenario, replications, root_seed, on_progress=lambda done, _: on_progress(done, total), cancel=cancel
    )
    if not need_baseline:
        return OddsComparison(ours, None, other_targets)
    theirs = shared.get(
        baseline,  # type: ignore[arg-type]
        replications,
        root_seed,
        lambda done, _: on_progress(replications + done, total),
        cancel,
    )
    return OddsComparison(ours, theirs)
