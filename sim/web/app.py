"""The stakeholders' web page: move the plan's levers, run the model, see the odds change.

Serve it with `python -m sim web` (or `solara run sim.web.app`). A custom Solara page
rather than Mesa's SolaraViz: SolaraViz builds a model from flat keyword parameters and
offers one play/step/reset view, while this page edits a whole scenario (about thirty
levers by plan, scenario files in and out), runs batches in the background and switches
language. Every piece of session state lives in the components (`use_reactive`), so
each browser session has its own settings, run and estimate.
"""

from __future__ import annotations

import solara

from sim.web.i18n import LANGUAGES, Language, text
from sim.web.levers_panel import LeversPanel
from sim.web.odds_panel import OddsPanel
from sim.web.run_panel import RunPanel
from sim.web.search_panel import SearchPanel
from sim.web.server import configure_offline
from sim.web.state import BASELINE, load_named

configure_offline()

LANGUAGE_NAMES: dict[Language, str] = {"zh": "中文", "en": "English"}
TABLE_CSS = """
.odds-table th, .odds-table td, .fiscal-table th, .fiscal-table td {
    padding: 2px 10px; text-align: right; white-space: nowrap;
}
"""


@solara.component
def Page():
    """The whole page: title and language switch, the levers, one run and the odds."""
    lang: solara.Reactive[Language] = solara.use_reactive("zh")
    settings = solara.use_reactive(load_named(BASELINE))
    solara.Title(text("title", lang.value))
    solara.Style(TABLE_CSS)
    with solara.Column(style={"padding": "12px"}):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
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
        with solara.Columns([1, 2]):
            LeversPanel(settings.value, settings.set, lang.value)
            with solara.Column():
                RunPanel(settings.value, lang.value)
                OddsPanel(settings.value, lang.value)
                SearchPanel(settings.set, lang.value)
