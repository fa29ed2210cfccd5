"""Every number of the scenario and base-year schemas, through NaN, inf, negative, zero and wrong kinds.

A value the schema forbids (not a finite number of the right kind, outside the field's
bounds or the figure's domain) must give exit 2 with one line and write nothing; any
other value must load or be an input error, never a traceback. The fields are found by
walking the schemas, so a field added later is probed too.
"""

from __future__ import annotations

import contextlib
import copy
import math
import tomllib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
import tomli_w
from annotated_types import Ge, Gt, Le, Lt
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from sim.inputs.base_year import (
    DEFAULT_BASE_YEAR_FILE,
    BankRow,
    BaseYearData,
    Cluster,
    Domain,
    ListFigure,
    RangedFigure,
    load_scenario_base_year,
)
from sim.inputs.errors import InputError
from sim.inputs.scenario import ScenarioData, load_scenario, value_at
from sim.inputs.sections import Section
from sim.model.model import IndustryModel
from tests.conftest import BASELINE, run_cli

PROBES: tuple[Any, ...] = (math.nan, math.inf, -math.inf, "1", True, -1, 0)


def _core(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under Optional and Annotated, and the Annotated metadata met on the way."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata += extra
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation, metadata
            annotation = options[0]
        else:
            return annotation, metadata


def _is_number(annotation: Any) -> bool:
    return annotation in (int, float)


def _within(value: float, metadata: list[Any]) -> bool:
    for rule in metadata:
        if isinstance(rule, Ge) and not value >= rule.ge:
            return False
        if isinstance(rule, Gt) and not value > rule.gt:
            return False
        if isinstance(rule, Le) and not value <= rule.le:
            return False
        if isinstance(rule, Lt) and not value < rule.lt:
            return False
    return True


def _wrong_kind(probe: Any) -> bool:
    return isinstance(probe, str | bool) or not math.isfinite(probe)


@dataclass(frozen=True)
class Probe:
    path: str
    probe: Any
    forbidden: bool  # the schema forbids it; otherwise it may still break a rule tying fields together

    @property
    def label(self) -> str:
        return f"{self.path}={self.probe!r}"


# ---- the scenario schema: probed with --set on the baseline


def _scenario_fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    for name, field in model.model_fields.items():
        core, _ = _core(field.annotation)
        if isinstance(core, type) and issubclass(core, Section):
            yield from _scenario_fields(core, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def _toml(value: Any) -> str:
    """A value as inline TOML, as one writes it after --set."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + "}"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").strip()


def scenario_probes() -> Iterator[tuple[Probe, str]]:
    """(probe, the --set text that applies it) for every number of the scenario schema."""
    raw = load_scenario(BASELINE).data.model_dump(mode="json")
    for path, field in _scenario_fields(ScenarioData):
        core, metadata = _core(field.annotation)
        metadata += field.metadata
        origin = get_origin(core)
        for probe in PROBES:
            forbidden = _wrong_kind(probe)
            if _is_number(core):
                yield Probe(path, probe, forbidden or not _within(probe, metadata)), f"{path}={_toml(probe)}"
            elif origin is tuple and _is_number(_core(get_args(core)[0])[0]):
                item, item_metadata = _core(get_args(core)[0])
                values = list(value_at(raw, path))
                values[0] = probe
                bad = forbidden or not _within(probe, item_metadata)
                yield Probe(f"{path}[0]", probe, bad), f"{path}={_toml(values)}"
            elif origin is dict and _is_number(_core(get_args(core)[1])[0]):
                item_metadata = _core(get_args(core)[1])[1] + metadata
                bad = forbidden or not _within(probe, item_metadata)
                yield Probe(f"{path}.hardware", probe, bad), f"{path}={{hardware = {_toml(probe)}}}"
            elif origin is list and issubclass(_core(get_args(core)[0])[0], Section):
                item_model = _core(get_args(core)[0])[0]
                for name, item_field in item_model.model_fields.items():
                    items = copy.deepcopy(value_at(raw, path))
                    items[0][name] = probe
                    item_core, item_metadata = _core(item_field.annotation)
                    bad = forbidden or not _within(probe, item_metadata + item_field.metadata)
                    yield Probe(f"{path}[0].{name}", probe, bad), f"{path}={_toml(items)}"


# ---- the base-year schema: probed in a copy of the shipped file


def _domain(field: FieldInfo) -> Domain:
    return next(
        m.func for m in field.metadata if isinstance(m, AfterValidator) and isinstance(m.func, Domain)
    )


def base_year_probes() -> Iterator[tuple[Probe, dict[str, Any]]]:
    """(probe, the base-year data with it) for every number of the base-year schema."""
    shipped = tomllib.loads(DEFAULT_BASE_YEAR_FILE.read_text(encoding="utf-8"))

    def changed(keys: list[Any], value: Any) -> dict[str, Any]:
        data = copy.deepcopy(shipped)
        node: Any = data
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
        return data

    for probe in PROBES:
        wrong = _wrong_kind(probe)
        year = BaseYearData.model_fields["year"].metadata
        yield Probe("year", probe, wrong or not _within(probe, year)), changed(["year"], probe)
        for section, block in BaseYearData.model_fields.items():
            model = block.annotation
            if not (isinstance(model, type) and issubclass(model, Section)):
                continue
            for name, field in model.model_fields.items():
                figure_type = field.annotation
                if not (isinstance(figure_type, type) and issubclass(figure_type, BaseModel)):
                    continue
                domain = _domain(field)
                figure = shipped[section][name]
                if figure_type is ListFigure:
                    values = [probe, *figure["value"][1:]]
                    yield (
                        Probe(f"{section}.{name}.value[0]", probe, True),
                        changed([section, name, "value"], values),
                    )
                    continue
                for end in ("value", "low", "high") if figure_type is RangedFigure else ("value",):
                    bad = wrong or not domain.holds(probe)
                    if not bad and figure_type is RangedFigure:
                        low, value, high = (
                            probe if e == end else figure[e] for e in ("low", "value", "high")
                        )
                        bad = not low <= value <= high
                    yield Probe(f"{section}.{name}.{end}", probe, bad), changed([section, name, end], probe)
        for table, row_model in (("clusters", Cluster), ("banks", BankRow)):
            for name, field in row_model.model_fields.items():
                if _is_number(_core(field.annotation)[0]):
                    bad = wrong or not _within(probe, field.metadata)
                    yield Probe(f"{table}[0].{name}", probe, bad), changed([table, 0, name], probe)


SCENARIO_PROBES = list(scenario_probes())
BASE_YEAR_PROBES = list(base_year_probes())


def test_every_section_of_both_schemas_is_probed():
    probed = {p.path.split(".")[0].split("[")[0] for p, _ in SCENARIO_PROBES}
    assert {"run", "targets", "environment", "levers", "world", "fiscal"} <= probed
    assert len({p.path for p, _ in SCENARIO_PROBES}) > 150
    assert len({p.path for p, _ in BASE_YEAR_PROBES}) > 60


def _check(probe: Probe, args: list[str], tmp_path, load) -> None:
    out = tmp_path / "out"
    if probe.forbidden:
        result = run_cli("run", *args, "--out", str(out))
        assert result.code == 2, f"{probe.label} was accepted"
        assert result.err.count("\n") == 1 and result.err.startswith("error: "), (
            f"{probe.label}: {result.err}"
        )
        assert not out.exists(), f"{probe.label} wrote {out}"
    else:
        with contextlib.suppress(InputError):  # a rule tying fields together, e.g. the first year
            load()


@pytest.mark.parametrize("path", sorted({p.path for p, _ in SCENARIO_PROBES}))
def test_a_scenario_number_out_of_its_schema_is_one_line_and_writes_nothing(path, tmp_path):
    for probe, override in (item for item in SCENARIO_PROBES if item[0].path == path):
        args = ["baseline", "--set", override]
        _check(probe, args, tmp_path, lambda override=override: load_scenario(BASELINE, [override]))


@pytest.mark.parametrize("path", sorted({p.path for p, _ in BASE_YEAR_PROBES}))
def test_a_base_year_number_out_of_its_domain_is_one_line_and_writes_nothing(path, tmp_path):
    file = tmp_path / "base.toml"
    for probe, data in (item for item in BASE_YEAR_PROBES if item[0].path == path):
        file.write_text(tomli_w.dumps(data), encoding="utf-8")
        override = f"world.base_year_file={_toml(str(file))}"
        args = ["baseline", "--set", override]

        def load(override: str = override) -> None:
            load_scenario_base_year(load_scenario(BASELINE, [override]))

        _check(probe, args, tmp_path, load)


@pytest.mark.slow
@pytest.mark.parametrize("label", sorted(p.label for p, _ in BASE_YEAR_PROBES if not p.forbidden))
def test_a_base_year_number_the_schema_accepts_builds_a_world_that_steps(label, tmp_path):
    """An accepted edge value (a zero share, no vacant land) must build the world, not crash or hang."""
    probe, data = next(item for item in BASE_YEAR_PROBES if item[0].label == label)
    file = tmp_path / "base.toml"
    file.write_text(tomli_w.dumps(data), encoding="utf-8")
    try:
        scenario = load_scenario(BASELINE, [f"world.base_year_file={_toml(str(file))}"])
        base_year = load_scenario_base_year(scenario)
    except InputError:
        return  # a rule tying two fields together refused it, with a message
    IndustryModel(scenario, rng=1, base_year=base_year).step()
