"""The two links under a chart: the chart as an SVG file of its own, and its numbers as CSV.

Every chart of the page has them (the run's, the fan chart, the search frontier). The files
are made when a link is clicked, by the makers given: Solara's download starts a thread and
redraws its button whenever its maker changes, so callers keep their makers (`use_memo`)
for as long as what they draw.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

from sim.web.i18n import Language, text


@solara.component
def ChartDownloads(name: str, stem: str, svg: Callable[[], str], csv: Callable[[], bytes], lang: Language):
    """Links that download `stem`.svg and `stem`.csv, made by `svg` and `csv` when clicked."""
    with solara.Row(classes=["downloads", f"downloads-{name}"], gap="4px"):
        solara.FileDownload(
            svg,
            f"{stem}.svg",
            text("download_svg", lang),
            icon_name="mdi-image-outline",
            mime_type="image/svg+xml",
        )
        solara.FileDownload(
            csv, f"{stem}.csv", text("download_csv", lang), icon_name="mdi-table", mime_type="text/csv"
        )
