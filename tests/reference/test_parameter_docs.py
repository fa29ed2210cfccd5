"""The parameter reference is generated, complete and in sync with docs/parameters.md."""

from __future__ import annotations

from sim.cli import main
from sim.inputs.scenario import ScenarioData
from sim.reference.parameter_docs import base_year_figures, parameters_markdown, scenario_parameters
from tests.conftest import ROOT


def test_docs_file_is_in_sync():
    expected = parameters_markdown()
    actual = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert actual.rstrip("\n") == expected.rstrip("\n"), (
        "docs/parameters.md is stale: run `python -m sim parameters --markdown > docs/parameters.md`"
    )


def test_every_parameter_is_documented_with_bounds_and_a_source_or_status():
    rows = scenario_parameters()
    sections = [
        name
        for name in ScenarioData.model_fields
        if name not in {"name", "description", "run", "world", "targets", "levers"}
    ]
    assert {row["parameter"].split(".")[0] for row in rows} == set(sections)
    for row in rows:
        text = row["meaning and source"]
        assert row["bounds"], row["parameter"]
        assert "assumption" in text or "status quo" in text or "(" in text, row["parameter"]


def test_every_base_year_figure_is_listed():
    names = {row["parameter"] for row in base_year_figures()}
    assert {"output.gross_output_yi", "land.occupied_mu", "heterogeneity.productivity_dispersion"} <= names


def test_cli_lists_parameters(capsys):
    assert main(["parameters"]) == 0
    out = capsys.readouterr().out
    assert "land.surrender_share" in out and "output.gross_output_yi" in out
