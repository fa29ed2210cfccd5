"""A search report's files (the report in Markdown or HTML, frontier chart, every candidate,
recommended mixes) and its JSON."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.language import Language
from sim.analysis.report import _plain, report_file
from sim.analysis.report_charts import chart_file
from sim.analysis.report_html import markdown_html
from sim.analysis.search_mixes import write_mixes
from sim.analysis.search_report import SearchReport
from sim.analysis.search_report_chart import FRONTIER_CHART, frontier_figure, write_frontier_chart
from sim.analysis.search_report_text import answer_sentence, search_report_markdown

CANDIDATES_TABLE = "candidates.csv"


def candidates_table(report: SearchReport) -> pd.DataFrame:
    """Every finished candidate: levers, in-sample cost and odds with intervals, and, for the
    frontier, the verified numbers."""
    verified = report.frontier.filter(like="verified_")
    return report.candidates.join(verified, how="left").reset_index()


def render_search_report(report: SearchReport, lang: Language = "zh", report_format: str = "md") -> str:
    """The search report's text in the language and format (Markdown, or self-contained HTML)."""
    markdown = search_report_markdown(report, lang)
    if report_format == "md":
        return markdown
    chart = {chart_file(FRONTIER_CHART, lang): frontier_figure(report, lang)}
    return markdown_html(markdown, chart, lang)


def write_search_report(
    report: SearchReport, folder: Path, lang: Language = "zh", report_format: str = "md"
) -> list[Path]:
    """Write the report (report.md; report_en.md, report.html ...), the frontier chart beside a
    Markdown one, candidates.csv and the mixes' scenario files; returns them."""
    folder = Path(folder)
    charts = [write_frontier_chart(report, folder, lang)] if report_format == "md" else []
    table = folder / CANDIDATES_TABLE
    candidates_table(report).to_csv(table, index=False)
    mixes = write_mixes(report, folder) if report.header.verified else []
    path = folder / report_file(lang, report_format)
    path.write_text(render_search_report(report, lang, report_format), encoding="utf-8")
    return [path, *charts, table, *mixes]


def search_report_json(report: SearchReport, lang: Language = "zh") -> dict[str, Any]:
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
            "answers": [asdict(a) | {"sentence": answer_sentence(report, a, lang)} for a in report.answers],
            "lever_spread": report.lever_spread,
            "good_mixes": report.good_mixes,
        }
    )
