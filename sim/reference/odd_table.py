"""The generated part of docs/ODD.md: every parameter in one table, from the schema and data.

The ODD document is written by hand except for the block between BEGIN and END, which
`python -m sim parameters --update-odd` regenerates; a test fails when it is stale or when
a parameter of the schema is missing. Values are the defaults a run uses: the schema's,
replaced by the calibrated value where sim/data/calibration.toml has one.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.inputs.base_year import BaseYearData, load_base_year
from sim.inputs.errors import InputError
from sim.paths import DOCS_DIR
from sim.reference.lever_docs import lever_rows
from sim.reference.parameter_docs import base_year_figures, scenario_parameters
from sim.reference.units import unit_of

ODD_FILE = DOCS_DIR / "ODD.md"
BEGIN = "<!-- BEGIN GENERATED PARAMETER TABLE: python -m sim parameters --update-odd -->"
END = "<!-- END GENERATED PARAMETER TABLE -->"


def _documented_row(row: dict[str, str], prefix: str = "") -> list[str]:
    """A table row for a parameter or figure of the parameter reference."""
    name, text = row["parameter"], row["meaning and source"]
    return [f"`{prefix}{name}`", row["default"], row["bounds"], unit_of(name, text), text]


def _scenario_rows() -> list[list[str]]:
    rows = [_documented_row(r) for r in scenario_parameters()]
    return rows + [
        [
            f"`{r['lever']}`",
            f"{r['default']:g}",
            f"{r['low']:g} .. {r['high']:g}",
            r["unit"],
            f"lever of plan {r['plan']}: {r['description']}; default = status quo (docs/levers.md)",
        ]
        for r in lever_rows()
    ]


def _base_year_rows(data: BaseYearData) -> list[list[str]]:
    rows = [_documented_row(r, "base_year.") for r in base_year_figures(data)]
    for table, columns, items in (
        ("clusters", data.cluster_columns, data.clusters),
        ("banks", data.bank_columns, data.banks),
    ):
        for column, source in columns.items():
            values = [float(getattr(item, column)) for item in items]
            rows.append(
                [
                    f"`base_year.{table}[].{column}`",
                    f"{len(values)} {table}: {min(values):g} .. {max(values):g}",
                    "",
                    unit_of(f"{table}.{column}", source),
                    source,
                ]
            )
    return rows


def parameter_table() -> str:
    """Every scenario parameter and base-year figure: value, range, unit, source."""
    header = ["parameter", "value", "range", "unit", "source or assumption"]
    rows = _scenario_rows() + _base_year_rows(load_base_year())
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def generated_block() -> str:
    intro = (
        "Scenario parameters (`sim/inputs/scenario.py`; set in a scenario file or with `--set`) and the "
        'figures of the default base-year file (`sim/data/base_year_2024.toml`). "range" is the '
        "schema's bounds (a fitted value shows its own range); base-year ranges are "
        'the uncertainty the batch runs sample. A source starting with "assumption" has no '
        "published figure behind it."
    )
    return "\n".join([BEGIN, "", intro, "", parameter_table(), "", END])


def update_odd(text: str, source: str = "docs/ODD.md") -> str:
    """The ODD text with its generated block replaced by the current one."""
    if BEGIN not in text or END not in text:
        raise InputError(f"{source}: the markers of the generated parameter table are missing ({BEGIN})")
    head = text[: text.index(BEGIN)]
    tail = text[text.index(END) + len(END) :]
    return head + generated_block() + tail


def write_odd(path: Path = ODD_FILE) -> None:
    """Regenerate the parameter table of the ODD document in place (in a checkout)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file: the ODD document is regenerated in a checkout")
    updated = update_odd(path.read_text(encoding="utf-8"), str(path))
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(updated, encoding="utf-8")
    os.replace(staging, path)
