"""A report as one self-contained HTML file, to send to the district's leaders.

The Markdown of a report (the experiment's, sim/analysis/report_text.py, or the search's,
sim/analysis/search_report_text.py) rendered (markdown-it, with tables), its charts
embedded as PNG data, and the text's font embedded too: a subset of the shipped font cut
to exactly the characters of this report, so the file reads the same on a machine without
a Chinese font and fetches nothing. A print style sheet keeps tables and charts whole on
A4 pages, so "print to PDF" gives a clean document.
"""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING

from fontTools import subset
from fontTools.ttLib import TTFont
from markdown_it import MarkdownIt

from sim.analysis.chart_font import FAMILY, FONT_FILE, undrawable
from sim.analysis.language import Language
from sim.analysis.report_charts import chart_figures, chart_file, png_bytes
from sim.analysis.report_text import report_markdown
from sim.inputs.errors import InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.analysis.report_data import Report

STYLE = """
@font-face { font-family: "%(family)s"; src: url(data:font/otf;base64,%(font)s) format("opentype"); }
body { font-family: "%(family)s"; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%%; height: auto; }
code { font-family: "%(family)s"; background: #f4f4f4; padding: 0 2px; }
blockquote { border-left: 4px solid #d55e00; margin: 0; padding: 0 1em; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  table, img, figure { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""


def font_subset(text: str) -> bytes:
    """The shipped font cut to the characters of `text` (OpenType), to embed."""
    font = TTFont(FONT_FILE)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def markdown_html(markdown: str, charts: dict[str, Figure], lang: Language) -> str:
    """A report's Markdown as one HTML document, each chart (by the file name the Markdown
    links) embedded as PNG data and the text's font inside, so it fetches nothing."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    for file_name, figure in charts.items():
        data = base64.b64encode(png_bytes(figure)).decode("ascii")
        body = body.replace(f'src="{file_name}"', f'src="data:image/png;base64,{data}"')
    title = html.escape(markdown.splitlines()[0].lstrip("# "))
    visible = html.unescape(title + body)
    missing = undrawable(visible)
    if missing:
        raise InputError(
            f"the report has characters its font cannot draw: {missing!r}; rename what holds them"
        )
    font = base64.b64encode(font_subset(markdown)).decode("ascii")
    style = STYLE % {"family": FAMILY, "font": font}
    language = "zh-CN" if lang == "zh" else "en"
    head = f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n<style>{style}</style>'
    document = f'<html lang="{language}">\n<head>\n{head}\n</head>\n<body>\n{body}</body>\n</html>\n'
    return "<!DOCTYPE html>\n" + document


def report_html(report: Report, lang: Language = "zh") -> str:
    """The whole experiment report as one HTML document with its charts and font inside."""
    charts = {chart_file(chart, lang): figure for chart, figure in chart_figures(report, lang).items()}
    return markdown_html(report_markdown(report, lang), charts, lang)
