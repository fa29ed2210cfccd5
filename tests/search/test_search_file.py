"""Search files: a bad one stops before any run, naming the file, the field, the value and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.inputs.errors import InputError
from sim.search.search_file import load_search
from tests.conftest import ROOT, run_cli

VALID = """
name = "checked"
levers = [
    "levers.attraction.extra_leads_per_year",
    "levers.green.intensity_cap",
    "levers.green.tariff_surcharge",
]
objectives = ["net_fiscal_cost", "probability_2030"]
futures = 3
verification_futures = 3
candidates = 4
population = 2
root_seed = 1

[lever_ranges]
"levers.green.intensity_cap" = [0.4, 0.9]
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "search.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_search_files_load():
    for name in ("search_smoke", "what_it_takes"):
        search = load_search(ROOT / "experiments" / f"{name}.toml")
        assert search.levers and search.objectives and len(search.futures) >= 2


def test_a_valid_file_loads_with_its_levers_in_their_ranges(tmp_path):
    search = load_search(write(tmp_path, VALID))
    ranges = {lever.path: (lever.low, lever.high) for lever in search.levers}
    assert ranges == {
        "levers.attraction.extra_leads_per_year": (0, 100),
        "levers.green.intensity_cap": (0.4, 0.9),
        "levers.green.tariff_surcharge": (0, 0.5),
    }
    assert [o.direction for o in search.objectives] == ["minimize", "maximize"]
    assert search.status_quo == "baseline" and search.generations == 2


BAD = [
    (
        "unknown lever",
        VALID.replace('"levers.green.tariff_surcharge",', '"levers.green.tarif_surcharge",'),
        ["field 'levers'", "'levers.green.tarif_surcharge'", "not a lever"],
    ),
    (
        "range outside the bounds",
        VALID.replace("[0.4, 0.9]", "[0.4, 9.0]"),
        [
            "field 'lever_ranges.\"levers.green.intensity_cap\"'",
            "[0.4, 9]",
            "within the lever's bounds [0, 0.9]",
        ],
    ),
    (
        "impossible probability",
        VALID + "\n[constraints.min_probability]\n2030 = 1.5\n",
        ["field 'constraints.min_probability.2030'", "1.5", "impossible", "(0, 1]"],
    ),
    (
        "constraint on a year without a target",
        VALID + "\n[constraints.min_probability]\n2029 = 0.5\n",
        ["field 'constraints.min_probability.2029'", "impossible", "no target in 2029"],
    ),
    (
        "no objective",
        VALID.replace('objectives = ["net_fiscal_cost", "probability_2030"]', "objectives = []"),
        ["field 'objectives'", "[]", "at least one objective"],
    ),
    (
        "unknown objective",
        VALID.replace('"probability_2030"]', '"probability_2031"]'),
        [
            "field 'objectives'",
            "'probability_2031'",
            "allowed: net_fiscal_cost, probability_2027, probability_2030",
        ],
    ),
    (
        "a range that allows an invalid mix",
        VALID.replace('"levers.green.intensity_cap" = [0.4, 0.9]', ""),
        ["levers.green.tariff_surcharge", "needs an energy-intensity ceiling", "lever_ranges"],
    ),
    (
        "candidates not in whole generations",
        VALID.replace("candidates = 4", "candidates = 5"),
        ["field 'candidates'", "5", "multiple of 'population'"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_search_file_exits_2_naming_file_field_value_and_rule_before_any_run(tmp_path, text, expected):
    path = write(tmp_path, text)
    out = tmp_path / "results"
    result = run_cli("search", str(path), "--out", str(out), "--quiet")
    assert result.code == 2
    assert result.err.startswith(f"error: {path}")
    for part in expected:
        assert part in result.err
    assert not out.exists(), "nothing may be written before the file is checked"


def test_a_lever_cannot_be_both_searched_and_sampled(tmp_path):
    text = VALID + '\n[sample.ranges]\n"levers.attraction.extra_leads_per_year" = [0, 10]\n'
    with pytest.raises(InputError, match="either searched or sampled"):
        load_search(write(tmp_path, text))
