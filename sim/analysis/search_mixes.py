"""The recommended mixes as scenario files, which `run`, `experiment` and the web page load.

A mix is the search's base scenario (its file with the files it extends merged in) with
the mix's levers set, so the file stands alone wherever it is copied.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from sim.inputs.scenario import with_values

if TYPE_CHECKING:
    from sim.analysis.search_report import Answer, SearchReport

MIXES_FOLDER = "scenarios"


def mix_name(report: SearchReport, answer: Answer) -> str:
    """`<search>_reaches_2030_50pct`, or `<search>_best_2030` for the closest mix when none reaches it."""
    if answer.reached:
        return f"{report.header.name}_reaches_{answer.year}_{round(100 * answer.stated)}pct"
    return f"{report.header.name}_best_{answer.year}"


def mix_description(answer: Answer) -> str:
    verified = f"verified {100 * answer.probability:.1f}%, {100 * answer.low:.1f}-{100 * answer.high:.1f}%"
    target = f"P({answer.year} >= {answer.threshold_yi:,.0f} 亿元)"
    if answer.reached:
        return (
            f"What it takes: the cheapest mix found with {target} >= {100 * answer.stated:.0f}% ({verified})"
        )
    return (
        f"What it takes: no mix found reaches the stated odds; the mix with the highest {target} ({verified})"
    )


def mix_levers(report: SearchReport, number: int) -> dict[str, float | int]:
    """A candidate's lever settings, whole numbers for integer levers."""
    row = report.candidates.loc[number]
    return {
        lever["path"]: int(row[lever["path"]]) if lever["integer"] else float(row[lever["path"]])
        for lever in report.levers
    }


def mix_scenario(report: SearchReport, number: int, name: str, description: str) -> dict[str, Any]:
    """The scenario file's data: the base scenario with candidate `number`'s levers."""
    tree = copy.deepcopy(report.base_scenario) | {"name": name, "description": description}
    return with_values(tree, mix_levers(report, number), name)


def write_mixes(report: SearchReport, folder: Path) -> list[Path]:
    """One scenario file per plain answer, in `folder`/scenarios/; returns the files written."""
    target = Path(folder) / MIXES_FOLDER
    for old in [
        *target.glob(f"{report.header.name}_reaches_*.toml"),
        *target.glob(f"{report.header.name}_best_*.toml"),
    ]:
        old.unlink()  # an earlier report's answers, from a search since resumed
    written = []
    for answer in report.answers:
        name = mix_name(report, answer)
        if answer.number is None or target / f"{name}.toml" in written:
            continue
        data = mix_scenario(report, answer.number, name, mix_description(answer))
        header = (
            f"# Written by `python -m sim report` from search {report.header.name!r} "
            f"({report.header.search_file}, root seed {report.header.root_seed}): "
            f"candidate {answer.number}.\n"
            "# Levers the search did not move keep the base scenario's values. Run it with\n"
            f"#   python -m sim run {target / (name + '.toml')}\n"
        )
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.toml"
        path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
        written.append(path)
    return written
