"""The hindcast from 2020 reproduces Dazu's reported growth path within the stated tolerances."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.credibility.hindcast import load_hindcast_scenario, run_hindcast
from sim.credibility.history import DEFAULT_HISTORY_FILE, load_history
from sim.inputs.errors import InputError

HISTORY = load_history()


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return run_hindcast(load_hindcast_scenario(), replications=20)


def test_every_reported_figure_with_a_tolerance_is_reproduced(table):
    checked = table[table["tolerance"].notna()]
    assert len(checked) >= 5
    misses = checked[checked["error"].abs() > checked["tolerance"]]
    assert misses.empty, f"hindcast misses its stated tolerances:\n{misses.to_string()}"


def test_growth_path_is_among_the_checks(table):
    checked = set(table.loc[table["tolerance"].notna(), "indicator"])
    growth_path = {"mean_value_added_growth", "value_added_growth", "tech_enterprises"}
    assert growth_path <= checked


def test_base_year_reproduces_the_2020_level(table):
    row = table[(table["indicator"] == "above_scale_output_yi") & (table["years"] == "2020")].iloc[0]
    assert row["median"] == pytest.approx(675.0, rel=0.01)


def test_every_observation_has_a_source_and_untested_ones_say_why():
    for observation in HISTORY.observations:
        assert len(observation.source) > 10
        if observation.tolerance is None:
            assert observation.note, f"{observation.indicator} {observation.label}: say why it is not a test"


def test_hindcast_uses_the_fitted_period_environment_unless_set():
    from sim.inputs.scenario import calibrated_values

    fitted = calibrated_values("hindcast").get("environment.demand_growth_shift")
    scenario = load_hindcast_scenario()
    if fitted is not None:
        assert scenario.data.environment.demand_growth_shift == pytest.approx(fitted)
    override = load_hindcast_scenario(overrides=["environment.demand_growth_shift=0.05"])
    assert override.data.environment.demand_growth_shift == 0.05


def test_bad_history_file_names_file_and_field(tmp_path):
    bad = tmp_path / "history.toml"
    text = DEFAULT_HISTORY_FILE.read_text("utf-8")
    bad.write_text(text.replace('indicator = "value_added_growth"', 'indicator = "va_growth"', 1), "utf-8")
    expected = r"history.toml: field 'observations\[3\]' .*'va_growth' is not one of"
    with pytest.raises(InputError, match=expected):
        load_history(bad)


def test_credibility_doc_repeats_the_tolerances():
    from sim.credibility.hindcast import tolerance_lines
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "credibility.md").read_text(encoding="utf-8")
    for line in tolerance_lines(HISTORY):
        assert line in doc, f"docs/credibility.md does not state the hindcast tolerance: {line}"


def test_the_hindcast_is_judged_on_growth_and_counts_never_on_the_level_across_the_break():
    assert HISTORY.level_break is not None and HISTORY.level_break.reading.startswith("assumption:")
    for observation in HISTORY.observations:
        if observation.indicator == "above_scale_output_yi" and observation.year > HISTORY.base_year:
            assert observation.tolerance is None, f"{observation.label}: a level after the break is no test"


def test_the_level_break_is_shown_with_its_size(table):
    from sim.credibility.hindcast import level_break_lines

    text = " ".join(level_break_lines(table, HISTORY))
    level = table[(table["indicator"] == "above_scale_output_yi") & (table["years"] == "2024")].iloc[0]
    assert f"{level['median']:,.0f} 亿元" in text
    # base_year_2024.toml: 575 亿元 gross x 0.86 above-scale share
    assert "starts the forward runs at 494" in text and f"{494.5 / level['median']:.0%}" in text
