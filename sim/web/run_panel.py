"""One seeded run of the current settings: run, step a quarter, reset; live charts and costs,
with the baseline's run of the same seed and the session's previous run to compare.

The model belongs to the session (component state). "Run" steps the rest of the horizon
in a background thread and redraws after each simulated year; changed settings or a new
seed take effect at the next reset, or at a run or step that starts a new model. A
session's lock keeps a redraw (a language switch, say) from reading the model mid-step.
The baseline's run for a seed is the server's (sim.web.state.baseline_run), computed once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import pandas as pd
import solara
import solara.lab

from sim.model.model import IndustryModel
from sim.run.results import FISCAL_COLUMNS, annual_frame, target_results
from sim.web.charts import (
    Comparison,
    chart_csv,
    cluster_chart,
    frame_inputs,
    indicators_chart,
    output_chart,
    to_svg,
)
from sim.web.downloads import ChartDownloads
from sim.web.i18n import Language, fiscal_label, text
from sim.web.land_chart import land_chart
from sim.web.live_figure import LiveFigure
from sim.web.problems import message_in
from sim.web.state import Settings, baseline_run, completed_years, scenario_of

HEADING = {"font-weight": "bold"}


def fiscal_table_html(model: IndustryModel, lang: Language) -> str:
    """Yearly cost by category, revenue by source and net cost of the simulated years so far,
    亿元, with a total row."""
    annual = annual_frame(model).iloc[1:]
    columns = [column for column, _ in FISCAL_COLUMNS]
    table = annual.set_index("year")[columns]
    table.loc[text("total", lang)] = table.sum()
    table.columns = [fiscal_label(column, lang) for column in columns]
    table.index.name = text("year", lang)
    return table.to_html(float_format=lambda value: f"{value:,.2f}", classes="fiscal-table", border=0)


def comparison_table_html(ours: pd.DataFrame, comparisons: tuple[Comparison, ...], lang: Language) -> str:
    """Per completed year: output and net fiscal cost, and their differences from each comparison run."""
    table = pd.DataFrame({"year": ours["year"]})
    header = [text("year", lang)]
    for column, label in (("output_yi", "output_col"), ("fiscal_net_cost_yi", "fiscal_col")):
        table[column] = ours[column].map(lambda value: f"{value:,.2f}")
        header.append(text(label, lang))
        for comparison in comparisons:
            theirs = comparison.annual.set_index("year")[column]
            difference = ours.set_index("year")[column] - theirs.reindex(ours["year"])
            table[f"{column}_{comparison.kind}"] = [
                "" if pd.isna(value) else f"{value:+,.2f}" for value in difference.to_numpy()
            ]
            header.append(text(f"vs_{comparison.kind}", lang))
    head = "".join(f"<th>{cell}</th>" for cell in header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f"<table class='comparison-table'><tr>{head}</tr>{rows}</table>"


def when(model: IndustryModel, lang: Language) -> str:
    return text("quarter_of", lang).format(year=model.year, quarter=model.quarter)


def progress_line(model: IndustryModel, lang: Language) -> str:
    """Where the run is and its latest quarter's pace; once finished, each target year's annual total."""
    latest = float(model.datacollector.model_vars["output_yi"][-1]) * 4
    pace = text("running_at", lang).format(when=when(model, lang), pace=f"{latest:,.1f}")
    if model.running:
        return pace
    parts = []
    for result in target_results(model):
        verdict = text("met" if result.met else "not_met", lang)
        parts.append(
            text("year_result", lang).format(
                year=result.year,
                output=f"{result.output_yi:,.1f}",
                verdict=verdict,
                threshold=f"{result.threshold_yi:,.0f}",
            )
        )
    separator = "；" if lang == "zh" else "; "
    return separator.join(parts) or pace


def svg_chart(svg: str, name: str) -> None:
    solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["chart", f"chart-{name}"])


@solara.component
def Downloads(
    name: str, chart: LiveFigure, model: IndustryModel, lock: threading.Lock, lang: Language, seed: int
):
    """A run chart's downloads, made under the session's lock from the chart and model as they are then.

    The makers are made once and read the chart and model this was last drawn with, so a
    new run or a new chart does not change them: Solara's download starts a thread and
    redraws its button whenever its maker changes (sim/web/downloads.py), which a Step
    that starts a new run did for all eight links.
    """
    drawn = solara.use_ref((chart, model))
    drawn.current = (chart, model)

    def makers() -> tuple[Callable[[], str], Callable[[], bytes]]:
        def svg() -> str:
            with lock:
                return to_svg(drawn.current[0].figure, standalone=True)

        def csv() -> bytes:
            with lock:
                return chart_csv(name, drawn.current[1])

        return svg, csv

    svg, csv = solara.use_memo(makers, [name, lock])
    ChartDownloads(name, f"dazu_{name}_seed{seed}", svg, csv, lang)


@dataclass(frozen=True, eq=False)
class Shown:
    """What the panel draws: the model, the settings and seed it was built from, its quarters then,
    and the years of the session's previous finished run (None before one).

    One value, set once per redraw: a step is one render, not three.
    """

    model: IndustryModel
    settings: Settings
    seed: int
    quarters: int
    previous: pd.DataFrame | None


@solara.component
def RunCharts(
    shown: Shown,
    running: bool,
    lock: threading.Lock,
    lang: Language,
    comparisons: tuple[Comparison, ...],
):
    """The charts of a run, redrawn when the quarters simulated change.

    While a run is going, only the summary, the output chart and the comparison follow it
    year by year; the others (together about three times dearer to draw) keep the last
    drawing, or none if the run began with this component, and catch up with the run's
    last year, drawn in the same redraw; a step or reset redraws them once. Each chart is
    kept (sim/web/live_figure.py) for as long as its frame holds (the same horizon, targets,
    clusters and language; the output chart also the same comparisons), so a redraw draws
    its data only. The model is read under the session's `lock`, which the stepping thread
    holds for each step.
    """
    model = shown.model
    frame = frame_inputs(model)
    output_live = solara.use_memo(lambda: output_chart(model, lang, comparisons), [frame, lang, comparisons])
    dear_live = solara.use_memo(
        lambda: [make(model, lang) for make in (cluster_chart, indicators_chart, land_chart)], [frame, lang]
    )

    def drawn(make, *extra, of: IndustryModel = model):
        with lock:
            return make(of, lang, *extra)

    def svg_of(chart: LiveFigure, of: IndustryModel = model) -> str:
        with lock:
            return to_svg(chart.draw(of))

    # The model and quarters the dear charts show: the last shown with no run midway. None
    # (not drawn) while the first run of this component goes, or if its frame is not theirs.
    settled_ref = solara.use_ref(cast(tuple[IndustryModel, int] | None, None))
    if not running or not model.running:
        settled_ref.current = (model, shown.quarters)
    settled = settled_ref.current
    if settled is not None and frame_inputs(settled[0]) != frame:
        settled = None
    settled_model = model if settled is None else settled[0]

    def downloads(name: str, chart: LiveFigure, of: IndustryModel = model) -> None:
        Downloads(name, chart, of, lock, lang, shown.seed)

    output, line, ours = solara.use_memo(
        lambda: [
            svg_of(output_live),
            drawn(progress_line),
            drawn(lambda m, _: completed_years(m)),
        ],
        [model, shown.quarters, lang, comparisons],
    )
    clusters, indicators, land, fiscal = solara.use_memo(
        lambda: [
            *(("" if settled is None else svg_of(chart, settled_model)) for chart in dear_live),
            drawn(fiscal_table_html, of=settled_model),
        ],
        [settled, lang, dear_live],
    )
    with solara.Column(classes=["run-charts"]):
        solara.Text(line, classes=["run-summary"], style=HEADING)
        solara.Text(text("one_future", lang).format(seed=shown.seed), classes=["one-future"])
        with solara.Div(classes=["chart-grid"]):
            with solara.Column(gap="0px"):
                svg_chart(output, "output")
                downloads("output", output_live)
            with solara.Column(gap="0px"):
                svg_chart(clusters, "clusters")
                if clusters:
                    downloads("clusters", dear_live[0], settled_model)
        # Always there, empty before a year is complete: the charts after it keep their places
        # among the children, or a new run would close and make again every widget below.
        with solara.Column(gap="0px", classes=["comparison-block"]):
            if len(ours) and comparisons:
                solara.Text(text("comparison", lang), style=HEADING)
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=comparison_table_html(ours, comparisons, lang),
                    classes=["comparison"],
                )
        solara.Text(text("indicators", lang), style=HEADING)
        with solara.Column(gap="0px"):
            svg_chart(indicators, "indicators")
            if indicators:
                downloads("indicators", dear_live[1], settled_model)
        solara.Text(text("fiscal", lang), style=HEADING)
        solara.HTML(tag="div", unsafe_innerHTML=fiscal, classes=["fiscal"])
        solara.Text(text("land", lang), style=HEADING)
        with solara.Column(gap="0px"):
            svg_chart(land, "land")
            if land:
                downloads("land", dear_live[2], settled_model)


@solara.component
def RunPanel(settings: Settings, lang: Language, seed: solara.Reactive[int]):
    """Run, step, reset one seeded run of the settings; draw it beside the baseline and the previous run."""
    view: solara.Reactive[Shown | None] = solara.use_reactive(None)  # the session's model, as last drawn
    error: solara.Reactive[str | None] = solara.use_reactive(None)
    lock = solara.use_memo(threading.Lock, [])  # held while the model steps or is drawn

    def fresh_model(current: Settings) -> IndustryModel | None:
        """A new model of `current`, or None (with the message shown) if the settings are invalid."""
        try:
            built = IndustryModel(scenario_of(current), rng=seed.value)
        except ValueError as exc:  # InputError, or a base-year file that does not fit
            error.set(message_in(exc, lang))
            return None
        error.set(None)
        return built

    def model_to_continue(current: Settings) -> IndustryModel | None:
        """The session's model, unless it is stale (other settings or seed) or finished: then a fresh one."""
        shown = view.value
        if shown is None or (shown.settings, shown.seed) != (current, seed.value) or not shown.model.running:
            return fresh_model(current)
        return shown.model

    def show(shown_model: IndustryModel, current: Settings) -> None:
        """Draw the model as it is now: called outside the lock, since the set redraws at once.

        A model that replaces a finished one makes that one the previous run, in the same set.
        """
        last = view.value
        previous = None if last is None else last.previous
        if last is not None and last.model is not shown_model and not last.model.running:
            with lock:
                previous = completed_years(last.model)
        view.set(Shown(shown_model, current, seed.value, shown_model.steps, previous))

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
    stepper = solara.lab.use_task(step, dependencies=None, raise_error=False)
    resetter = solara.lab.use_task(reset, dependencies=None, raise_error=False)
    busy = runner.pending or stepper.pending or resetter.pending
    seed_used = view.value.seed if view.value is not None else seed.value
    baseline = solara.use_memo(lambda: baseline_run(seed_used), [seed_used])
    previous = None if view.value is None else view.value.previous
    comparisons = solara.use_memo(
        lambda: (
            (Comparison("baseline", baseline),)
            + (() if previous is None else (Comparison("previous", previous),))
        ),
        [baseline, previous],
    )

    with solara.Card(text("one_run", lang), classes=["one-run"]):
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
                text("step", lang), on_click=lambda: stepper(settings), disabled=busy, classes=["step"]
            )
            solara.Button(
                text("reset", lang), on_click=lambda: resetter(settings), disabled=busy, classes=["reset"]
            )
        solara.ProgressLinear(busy)  # always there (hidden when idle): see RunCharts' key below
        if error.value is not None:
            solara.Error(f"{text('invalid_settings', lang)}: {error.value}")
        for task in (runner, stepper, resetter):
            if task.error:
                solara.Error(f"{text('run_failed', lang)}: {task.exception}", classes=["run-error"])
        if view.value is None:
            solara.Text(text("not_started", lang), classes=["run-summary"])
            return
        if (view.value.settings, view.value.seed) != (settings, seed.value):
            solara.Warning(text("stale", lang))
        # Keyed, so the messages above coming and going do not make it a new component,
        # which would lose its drawings and draw every chart again.
        RunCharts(view.value, runner.pending, lock, lang, comparisons).key("run-charts")
