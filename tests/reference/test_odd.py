"""docs/ODD.md covers the protocol, names real code, and lists every parameter (generated)."""

from __future__ import annotations

import importlib
import re

import pytest

from sim.inputs.errors import InputError
from sim.reference.lever_docs import lever_rows
from sim.reference.odd_table import ODD_FILE, update_odd, write_odd
from sim.reference.parameter_docs import base_year_figures, scenario_parameters

TEXT = ODD_FILE.read_text(encoding="utf-8")
ELEMENTS = (
    "Purpose and patterns",
    "Entities, state variables and scales",
    "Process overview and scheduling",
    "Design concepts",
    "Initialization",
    "Input data",
    "Submodels",
)


def test_all_seven_odd_elements_are_there():
    headings = [line for line in TEXT.splitlines() if line.startswith("## ")]
    for element in ELEMENTS:
        assert any(element in heading for heading in headings), element


def test_every_parameter_of_the_code_is_in_the_table():
    for row in scenario_parameters():
        assert f"| `{row['parameter']}` |" in TEXT, f"{row['parameter']} missing from docs/ODD.md"
    for row in base_year_figures():
        assert f"| `base_year.{row['parameter']}` |" in TEXT, row["parameter"]
    for row in lever_rows():
        assert f"| `{row['lever']}` |" in TEXT, f"{row['lever']} missing from docs/ODD.md"


def test_generated_table_is_in_sync():
    assert update_odd(TEXT) == TEXT, (
        "docs/ODD.md's parameter table is stale: run `python -m sim parameters --update-odd`"
    )


def test_every_row_has_a_unit_and_a_source():
    block = TEXT[TEXT.index("| parameter |") :]
    rows = [line for line in block.splitlines() if line.startswith("| `")]
    assert len(rows) > 150
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[3] and len(cells[4]) > 3, row


CODE = sorted(set(re.findall(r"`(sim/[\w/]+\.py)(?:::([\w.]+))?`", TEXT)))


@pytest.mark.parametrize(("path", "name"), CODE, ids=[f"{p}::{n}" for p, n in CODE])
def test_code_named_by_the_odd_exists(path, name):
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    target = module
    for part in filter(None, name.split(".")):
        target = getattr(target, part)
    assert target is not None


def test_submodels_name_their_code():
    submodels = TEXT[TEXT.index("## 7. Submodels") : TEXT.index("## Parameters")]
    sections = submodels.split("### ")[1:]
    assert len(sections) >= 8
    for section in sections:
        assert "::" in section, f"submodel without code reference: {section.splitlines()[0]}"


def test_regenerating_the_odd_away_from_a_checkout_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="in a checkout"):
        write_odd(tmp_path / "ODD.md")
