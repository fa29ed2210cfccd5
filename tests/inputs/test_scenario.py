"""Scenario files: every way a file can be wrong gets one clear message naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.errors import InputError
from sim.inputs.scenario import apply_overrides, load_scenario, parse_override
from sim.model.model import IndustryModel
from tests.conftest import BASELINE, ROOT

VALID = """
name = "test"
[run]
first_year = 2025
last_year = 2030
[[targets]]
year = 2027
threshold_yi = 700
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, overrides: list[str] | None = None) -> str:
    with pytest.raises(InputError) as error:
        scenario = load_scenario(path, overrides)
        load_scenario_base_year(scenario)
    return str(error.value)


def test_valid_file_loads_with_defaults(tmp_path):
    scenario = load_scenario(write(tmp_path, VALID))
    assert scenario.name == "test"
    assert scenario.data.targets[0].threshold_yi == 700
    assert scenario.data.levers.land.reclaim_rate == pytest.approx(0.03)


@pytest.mark.parametrize(
    ("extra", "field", "fragment"),
    [
        ("[levers.land]\nreclaim_rte = 0.1", "levers.land.reclaim_rte", "unknown field"),
        ("[levers.land]\nreclaim_rate = 'fast'", "levers.land.reclaim_rate", "'fast'"),
        ("[levers.land]\nreclaim_rate = 1.5", "levers.land.reclaim_rate", "less than or equal to 1"),
        (
            "[levers.finance]\ninterest_subsidy = -0.01",
            "levers.finance.interest_subsidy",
            "greater than or equal to 0",
        ),
        ("[attraction]\nbuild_quarters = 2.5", "attraction.build_quarters", "2.5"),
        ("[digital]\nupgrade_cost = [0.1, 0.2]", "digital.upgrade_cost", "too few items"),
    ],
)
def test_schema_errors_name_file_field_value_and_rule(tmp_path, extra, field, fragment):
    message = error_of(write(tmp_path, VALID + "\n" + extra))
    assert "s.toml" in message
    assert f"'{field}'" in message
    assert fragment in message


def test_unknown_top_level_key(tmp_path):
    message = error_of(write(tmp_path, "colour = 'red'\n" + VALID))
    assert "unknown field 'colour'" in message


def test_target_outside_the_horizon(tmp_path):
    message = error_of(write(tmp_path, VALID.replace("year = 2027", "year = 2035")))
    assert "target year 2035 lies outside the run 2025-2030" in message


def test_last_year_before_first_year(tmp_path):
    message = error_of(write(tmp_path, VALID.replace("last_year = 2030", "last_year = 2020")))
    assert "last_year 2020 is before first_year 2025" in message


def test_missing_name(tmp_path):
    message = error_of(write(tmp_path, VALID.replace('name = "test"', "")))
    assert "field 'name' is required but missing" in message


def test_toml_syntax_error(tmp_path):
    message = error_of(write(tmp_path, VALID + "\n[land\n"))
    assert "s.toml: not valid TOML" in message


def test_missing_file(tmp_path):
    assert "file not found" in error_of(tmp_path / "nope.toml")


def test_unknown_base_year_file(tmp_path):
    message = error_of(write(tmp_path, VALID + '\n[world]\nbase_year_file = "missing.toml"'))
    assert "base-year file 'missing.toml' not found" in message


def test_base_output_outside_documented_range(tmp_path):
    message = error_of(write(tmp_path, VALID + "\n[world]\ngross_output_yi = 900"))
    assert "'world.gross_output_yi' = 900" in message
    assert "[500.0, 650.0]" in message


def test_base_year_must_precede_first_year(tmp_path):
    message = error_of(write(tmp_path, VALID.replace("first_year = 2025", "first_year = 2026")))
    assert "'run.first_year' = 2026" in message


def test_base_year_file_next_to_scenario_is_used(tmp_path):
    from sim.inputs.base_year import DEFAULT_BASE_YEAR_FILE

    text = DEFAULT_BASE_YEAR_FILE.read_text(encoding="utf-8")
    text = text.replace("value = 575.0, low = 500.0", "value = 600.0, low = 500.0")
    write(tmp_path, text, "official_2024.toml")
    scenario = load_scenario(write(tmp_path, VALID + '\n[world]\nbase_year_file = "official_2024.toml"'))
    model = IndustryModel(scenario, rng=1)
    assert model.firms.annual_revenue.sum() == pytest.approx(600.0, rel=1e-6)


def test_overrides_are_typed_and_validated(tmp_path):
    path = write(tmp_path, VALID)
    scenario = load_scenario(
        path, ["levers.land.reclaim_rate=0.2", "name=other", "digital.upgrade_cost=[0.1,0.2,0.3]"]
    )
    assert scenario.data.levers.land.reclaim_rate == 0.2
    assert scenario.name == "other"
    assert scenario.data.digital.upgrade_cost == (0.1, 0.2, 0.3)
    message = error_of(path, ["levers.land.reclaim_rate=2"])
    assert "with --set levers.land.reclaim_rate=2" in message and "'levers.land.reclaim_rate' = 2" in message


@pytest.mark.parametrize("bad", ["levers.land.reclaim_rate", "=3", "name.sub=1"])
def test_malformed_overrides(bad):
    with pytest.raises(InputError):
        apply_overrides({"name": "x"}, [bad])


def test_parse_override_reads_toml_values():
    assert parse_override("a.b=0.5") == (["a", "b"], 0.5)
    assert parse_override("a.b=true") == (["a", "b"], True)
    assert parse_override("a=hello") == (["a"], "hello")


def test_extends_merges_tables_and_names_the_child_after_its_file(tmp_path):
    (tmp_path / "parent.toml").write_text(
        'extends = "' + str(BASELINE) + '"\n[levers.land]\nreclaim_rate = 0.2\nplot_ratio_gain = 0.1\n',
        encoding="utf-8",
    )
    child = tmp_path / "child.toml"
    child.write_text('extends = "parent.toml"\n[levers.land]\nreclaim_rate = 0.5\n', encoding="utf-8")
    data = load_scenario(child).data
    assert data.name == "child"
    assert data.levers.land.reclaim_rate == 0.5 and data.levers.land.plot_ratio_gain == 0.1
    assert [t.year for t in data.targets] == [2027, 2030]  # from the baseline at the root


def test_a_parents_own_base_year_file_is_found_from_a_child_elsewhere(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    shutil.copy(ROOT / "sim" / "data" / "base_year_2024.toml", tmp_path / "x" / "official.toml")
    (tmp_path / "x" / "parent.toml").write_text(
        'name = "p"\n[world]\nbase_year_file = "official.toml"\n', encoding="utf-8"
    )
    (tmp_path / "y" / "child.toml").write_text('extends = "../x/parent.toml"\n', encoding="utf-8")
    scenario = load_scenario(tmp_path / "y" / "child.toml")
    assert Path(scenario.data.world.base_year_file) == (tmp_path / "x" / "official.toml").resolve()


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        (
            {"a.toml": 'extends = "nope.toml"'},
            "a.toml: field 'extends' = 'nope.toml': must name a scenario file",
        ),
        ({"a.toml": 'extends = ".."'}, "a.toml: field 'extends' = '..': must name a scenario file"),
        ({"a.toml": "extends = 3"}, "a.toml: field 'extends' = 3: must name a scenario file"),
        ({"a.toml": 'extends = "b.toml"', "b.toml": 'extends = "a.toml"'}, "field 'extends' makes a cycle"),
        (
            {"a.toml": 'extends = "b.toml"', "b.toml": 'name = "b"\n[levers.land]\nreclaim_rate = 5'},
            "a.toml (extends ",
        ),
    ],
)
def test_bad_extends_is_a_clear_error(tmp_path, files, fragment):
    for name, text in files.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_scenario(tmp_path / "a.toml")
    assert fragment in str(error.value)


def test_fitted_values_fill_only_what_the_whole_extends_chain_leaves_unset(tmp_path):
    from sim.inputs.scenario import calibrated_values

    hindcast = ROOT / "scenarios" / "hindcast_2020.toml"
    (tmp_path / "parent.toml").write_text(
        f'extends = "{hindcast}"\n[environment]\ndemand_growth_shift = 0.05\n', encoding="utf-8"
    )
    (tmp_path / "child.toml").write_text('extends = "parent.toml"\n', encoding="utf-8")
    scopes = ("model", "hindcast")
    set_by_parent = load_scenario(tmp_path / "child.toml", calibration_scopes=scopes).data
    assert set_by_parent.environment.demand_growth_shift == 0.05
    silent = load_scenario(hindcast, calibration_scopes=scopes).data
    fitted = calibrated_values("hindcast")["environment.demand_growth_shift"]
    assert silent.environment.demand_growth_shift == fitted
    assert load_scenario(hindcast).data.environment.demand_growth_shift == 0.0  # forward runs: not used
