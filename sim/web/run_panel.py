"""One seeded run of the current settings: run, step a quarter, reset; live charts and costs.

The model belongs to the session (component state). "Run" steps the rest of the horizon
in a background thread and redraws after each simulated year; changed settings or a new
seed take effect at the next reset, or at a run or step that starts a new model. A
session's lock keeps a redraw (a language switch, say) from reading the model mid-step.
"""

from __future__ import annotations

import threading

import solara
import solara.lab

from sim.model.model import IndustryModel
from sim.run.results import FISCAL_COLUMNS, annual_frame, target_results
from sim.web.charts import PNG, cluster_figure, indicators_figure, output_figure
from sim.web.i18n import Language, fiscal_label, text
from sim.web.parcel_map import parcel_map_figure
from sim.web.state import Settings, scenario_of

HEADING = {"font-weight": "bold"}


def fiscal_table_html(model: IndustryModel, lang: Language) -> str:
    """Yearly fiscal cost by category of the simulated years so far, 亿元, with a total row."""
    annual = annual_frame(model).iloc[1:]
    columns = [column for column, _ in FISCAL_COLUMNS]
    table = annual.set_index("year")[columns]
    table.loc[text("total", lang)] = table.sum()
    table.columns = [fiscal_label(column, lang) for column in columns]
    table.index.name = text("year", lang)
    return table.to_html(float_format=lambda value: f"{value:,.2f}", classes="fiscal-table", border=0)


def progress_line(model: IndustryModel, lang: Language) -> str:
    """Where the run is and its latest annualised output (and the targets met, once finished)."""
    latest = float(model.datacollector.model_vars["output_yi"][-1]) * 4
    line = f"{model.year} {text('quarter', lang)} {model.quarter}: {text('output', lang)} {latest:,.1f} 亿元"
    if model.running:
        return line
    for result in target_results(model):
        mark = "✓" if result.met else "✗"
        line += f" | {result.year}: {result.output_yi:,.1f} / {result.threshold_yi:,.0f} {mark}"
    return line


@solara.component
def RunCharts(model: IndustryModel, quarters: int, running: bool, lock: threading.Lock, lang: Language):
    """The charts of a run, redrawn when `quarters` (the quarters simulated) changes.

    While a run is going, only the summary and the output chart follow it year by year;
    the others (several times dearer to draw) catch up when it ends. The model is read
    under the session's `lock`, which the stepping thread holds for each step.
    """

    def drawn(make):
        with lock:
            return make(model, lang)

    live = [model, quarters, lang]
    settled = [model, None if running else quarters, lang]
    output, line, fiscal = solara.use_memo(
        lambda: [drawn(make) for make in (output_figure, progress_line, fiscal_table_html)], live
    )
    clusters, indicators, parcels = solara.use_memo(
        lambda: [drawn(make) for make in (cluster_figure, indicators_figure, parcel_map_figure)], settled
    )
    with solara.Column(classes=["run-charts"]):
        solara.Text(line, classes=["run-summary"], style=HEADING)
        with solara.Columns([1, 1]):
            solara.FigureMatplotlib(output, dependencies=live, **PNG)
            solara.FigureMatplotlib(clusters, dependencies=settled, **PNG)
        solara.Text(text("indicators", lang), style=HEADING)
        solara.FigureMatplotlib(indicators, dependencies=settled, **PNG)
        solara.Text(text("fiscal", lang), style=HEADING)
        solara.HTML(tag="div", unsafe_innerHTML=fiscal)
        solara.FigureMatplotlib(parcels, dependencies=settled, **PNG)
        solara.Text(text("parcels_note", lang), style={"font-size": "0.8em", "color": "#666"})


@solara.component
def RunPanel(settings: Settings, lang: Language):
    """Run, step and reset one seeded run of the settings, and draw it."""
    model: solara.Reactive[IndustryModel | None] = solara.use_reactive(None)  # the session's model
    # the (Settings, seed) it was built from
    built_from: solara.Reactive[tuple[Settings, int] | None] = solara.use_reactive(None)
    shown = solara.use_reactive(0)  # quarters simulated when last drawn; setting it redraws
    seed = solara.use_reactive(1)
    error: solara.Reactive[str | None] = solara.use_reactive(None)
    lock = solara.use_memo(threading.Lock, [])  # held while the model steps or is drawn

    def fresh_model(current: Settings) -> IndustryModel | None:
        """A new model of `current`, or None (with the message shown) if the settings are invalid."""
        try:
            built = IndustryModel(scenario_of(current), rng=seed.value)
        except ValueError as exc:  # InputError, or a base-year file that does not fit
            error.set(str(exc))
            return None
        error.set(None)
        return built

    def model_to_continue(current: Settings) -> IndustryModel | None:
        """The session's model, unless it is stale (other settings or seed) or finished: then a fresh one."""
        if model.value is None or built_from.value != (current, seed.value) or not model.value.running:
            return fresh_model(current)
        return model.value

    def show(shown_model: IndustryModel, current: Settings) -> None:
        """Draw the model as it is now.

        Called only once the model is in the state to draw, and outside the lock, since
        each `set` may redraw at once; the model goes last, so a new model is drawn once,
        with the rest in place.
        """
        shown.set(shown_model.steps)
        built_from.set((current, seed.value))
        model.set(shown_model)

    def step_once(stepping: IndustryModel) -> None:
        with lock:
            stepping.step()

    def reset(current: Settings) -> None:
        built = fresh_model(current)
        if built is not None:
            show(built, current)

    def step(current: Settings) -> None:
        stepping = model_to_continue(current)
        if stepping is not None:
            step_once(stepping)
            show(stepping, current)

    def run_rest(current: Settings) -> None:
        running = model_to_continue(current)
        while running is not None and running.running:
            step_once(running)
            if running.quarter == 4:
                show(running, current)

    runner = solara.lab.use_task(run_rest, dependencies=None, raise_error=False)
    busy = runner.pending

    with solara.Card(text("one_run", lang)):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.InputInt(text("seed", lang), value=seed, style={"max-width": "8em"}, classes=["seed"])
            solara.Button(
                text("run", lang),
                on_click=lambda: runner(settings),
                disabled=busy,
                color="primary",
                classes=["run"],
            )
            solara.Button(
                text("step", lang), on_click=lambda: step(settings), disabled=busy, classes=["step"]
            )
            solara.Button(
                text("reset", lang), on_click=lambda: reset(settings), disabled=busy, classes=["reset"]
            )
        if busy:
            solara.ProgressLinear(True)
        if error.value is not None:
            solara.Error(f"{text('invalid_settings', lang)}: {error.value}")
        if runner.error:
            solara.Error(f"{text('run_failed', lang)}: {runner.exception}", classes=["run-error"])
        if model.value is None:
            solara.Text(text("not_started", lang), classes=["run-summary"])
            return
        if built_from.value != (settings, seed.value):
            solara.Warning(text("stale", lang))
        RunCharts(model.value, shown.value, busy, lock, lang)
