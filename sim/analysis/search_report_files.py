"""A search report's files (report.md, frontier chart, every candidate, recommended mixes) and its JSON."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.report import _plain
from sim.analysis.search_mixes import write_mixes
from sim.analysis.search_report import SearchReport
from sim.analysis.search_report_chart import write_frontier_chart
from sim.analysis.search_report_text import answer_sentence, search_report_markdown

CANDIDATES_TABLE = "candidates.csv"


def candidates_table(report: SearchReport) -> pd.DataFrame:
    """Every finished candidate: levers, in-sample cost and odds with intervals, and, for the
    frontier, the verified numbers."""
    verified = report.frontier.filter(like="verified_")
    return report.candidates.join(verified, how="left").reset_index()


def write_search_report(report: SearchReport, folder: Path) -> list[Path]:
    """Write report.md, frontier.png, candidates.csv and the mixes' scenario files; returns them."""
    folder = Path(folder)
    chart = write_frontier_chart(report, folder)
    table = folder / CANDIDATES_TABLE
    candidates_table(report).to_csv(table, index=False)
    mixes = write_mixes(report, folder) if report.header.verified else []
    path = folder / "report.md"
    path.write_text(search_report_markdown(report), encoding="utf-8")
    return [path, chart, table, *mixes]


def search_report_json(report: SearchReport) -> dict[str, Any]:
    """Every number of the report as plain data (nan as null), for scripts and the web page."""
    return _plain(
        {
            "header": asdict(report.header),
            "targets": [target.model_dump() for target in report.targets],
            "levers": report.levers,
            "reference_levers": report.reference_levers,
            "candidates": report.candidates.reset_index(),
            "references": report.references,
            "frontier": report.frontier.reset_index() if not report.frontier.empty else [],
            "answers": [asdict(a) | {"sentence": answer_sentence(report, a)} for a in report.answers],
            "lever_spread": report.lever_spread,
            "good_mixes": report.good_mixes,
        }
    )
