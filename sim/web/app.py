"""The stakeholders' web page: move the plan's levers, run the model, see the odds change.

Serve it with `python -m sim web` (or `solara run sim.web.app`). A custom Solara page
rather than Mesa's SolaraViz: SolaraViz builds a model from flat keyword parameters and
offers one play/step/reset view, while this page edits a whole scenario (about thirty
levers by plan, scenario files in and out), runs batches in the background and switches
language. Every piece of session state lives in the components (`use_reactive`), so
each browser session has its own settings, run and estimate; the address keeps the
settings across a reload (sim/web/address.py).

The page is a grid of cards: the levers beside the results on a wide screen, one column
on a narrow one. A new panel is one more card in `ResultsColumn`. Every word is drawn in
the package's own font (Dazu Sans SC, served from this server), none in a system font.
"""

from __future__ import annotations

from pathlib import Path

import solara
import solara.server.settings

from sim.analysis.chart_font import FAMILY, FONT_FILE
from sim.web.address import Address, from_query, to_query
from sim.web.i18n import LANGUAGES, Language, text
from sim.web.levers_panel import LeversPanel
from sim.web.odds_panel import Answer, Estimate, OddsPanel, Progress
from sim.web.run_panel import RunPanel
from sim.web.search_panel import SearchPanel
from sim.web.server import configure_offline, matplotlib_settings_for_the_server, render_changed_parts_only
from sim.web.state import BASELINE, FIRST_SEED, Settings, load_named

configure_offline()
render_changed_parts_only()
matplotlib_settings_for_the_server()
# Served with Solara's assets (/static/assets/<file>), from the package: the shipped font, and
# custom.js and custom.css, which Solara includes in its page to put its own messages in the
# page's language (sim/web/assets/custom.js).
ASSETS = Path(__file__).resolve().parent / "assets"
_assets = solara.server.settings.assets
for _folder in (str(ASSETS), str(FONT_FILE.parent)):
    if _folder not in _assets.extra_locations:
        _assets.extra_locations = [*_assets.extra_locations, _folder]
solara.server.settings.theme.show_banner = False  # it covered the charts' corners

LANGUAGE_NAMES: dict[Language, str] = {"zh": "中文", "en": "English"}
NOT_ICONS = ":not(.v-icon):not(.mdi):not(.material-icons)"
PAGE_CSS = f"""
@font-face {{
    font-family: "{FAMILY}";
    src: url("static/assets/{FONT_FILE.name}") format("opentype");
    font-display: block;
}}
html, body, .v-application, .v-application *{NOT_ICONS} {{ font-family: "{FAMILY}" !important; }}
html, body {{ overflow: visible !important; height: auto !important; }}
.v-application--wrap {{ min-height: 0 !important; }}
.page {{ padding: 12px; max-width: 2400px; margin: 0 auto; }}
.page-grid {{ display: grid; grid-template-columns: minmax(320px, 1fr) minmax(0, 2.4fr); gap: 12px; align-items: start; }}
.results {{ display: flex; flex-direction: column; gap: 12px; min-width: 0; }}
.chart-grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 8px; }}
.chart svg {{ display: block; max-width: 100%; }}
.downloads .v-btn {{ text-transform: none; font-size: 0.8em; }}
.answer {{ font-size: 1.15em; font-weight: bold; color: #0b3d6b; margin: 6px 0; }}
.answer-pending, .answer-progress {{ font-weight: normal; color: #333; }}
.one-future {{ color: #8a4b00; }}
.lever {{ margin-bottom: 10px; }}
.lever-controls {{ display: grid; grid-template-columns: minmax(0, 1fr) 7.5em; gap: 8px; align-items: center; }}
.lever-controls .v-input {{ margin-top: 0; padding-top: 0; }}
.lever-help {{ font-size: 0.85em; color: #555; }}
.odds-table, .fiscal-table, .comparison-table {{ border-collapse: collapse; }}
.odds-table th, .odds-table td, .fiscal-table th, .fiscal-table td, .comparison-table th, .comparison-table td {{
    padding: 2px 10px; text-align: right; white-space: nowrap; border-bottom: 1px solid #ddd;
}}
.odds-result, .fiscal, .comparison {{ overflow-x: auto; max-width: 100%; }}
@media (max-width: 900px) {{
    .page-grid {{ grid-template-columns: minmax(0, 1fr); }}
    .page {{ padding: 4px; }}
}}
@media print {{
    .page-grid {{ grid-template-columns: minmax(0, 1fr); }}
    .levers-card, button, .v-btn, .v-progress-linear {{ display: none !important; }}
    .v-card {{ box-shadow: none !important; break-inside: auto; }}
    .chart {{ break-inside: avoid; }}
}}
"""


@solara.component
def Layout(children=None):
    """No app bar, drawer or inner scroll box: the page scrolls (and prints) as one document."""
    return solara.Column(children=children or [], gap="0px")


@solara.component
def Page():
    """The whole page: title, the answer, the language switch; the levers beside one run and the odds."""
    router = solara.use_router()
    start = solara.use_memo(
        lambda: from_query(router.search, Address("zh", FIRST_SEED, load_named(BASELINE))), []
    )
    lang: solara.Reactive[Language] = solara.use_reactive(start.lang)
    settings: solara.Reactive[Settings] = solara.use_reactive(start.settings)
    seed = solara.use_reactive(start.seed)
    latest: solara.Reactive[Estimate | None] = solara.use_reactive(None)
    progress: solara.Reactive[Progress | None] = solara.use_reactive(None)
    pending = solara.use_reactive(False)
    query = to_query(Address(lang.value, seed.value, settings.value))

    def keep_in_address() -> None:
        if (router.search or "") != query:
            router.push(f"{router.path or '/'}?{query}")

    solara.use_effect(keep_in_address, [query])
    solara.Title(text("title", lang.value))
    solara.Style(PAGE_CSS)
    with solara.Column(classes=["page"], gap="4px"):
        with solara.Row(
            style={"align-items": "center", "justify-content": "space-between", "flex-wrap": "wrap"}
        ):
            with solara.Column(gap="0px"):
                solara.Text(
                    text("title", lang.value),
                    style={"font-size": "1.5em", "font-weight": "bold"},
                    classes=["page-title"],
                )
                solara.Text(text("subtitle", lang.value), classes=["subtitle"])
            solara.ToggleButtonsSingle(
                value=LANGUAGE_NAMES[lang.value],
                values=[LANGUAGE_NAMES[code] for code in LANGUAGES],
                on_value=lambda name: lang.set(next(c for c, n in LANGUAGE_NAMES.items() if n == name)),
                classes=["language"],
            )
        Answer(settings.value, latest.value, progress.value, pending.value, lang.value)
        with solara.Div(classes=["page-grid"]):
            LeversPanel(settings.value, settings.set, lang.value)
            with solara.Div(classes=["results"]):
                OddsPanel(settings.value, lang.value, latest, progress, pending)
                RunPanel(settings.value, lang.value, seed)
                SearchPanel(settings.set, lang.value)
