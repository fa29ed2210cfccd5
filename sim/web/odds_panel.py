"""The odds: P(2027 target) and P(2030 target) with 95% intervals, a fan chart, the baseline's.

The batch (sim.analysis.odds) blocks, so it runs in a background thread of the session with a
progress bar and a cancel button; the page stays usable meanwhile.
"""

from __future__ import annotations

import html
import threading

import solara
import solara.lab
from matplotlib.figure import Figure

from sim.analysis.odds import Cancelled, TargetOdds
from sim.inputs.scenario import Scenario
from sim.web.charts import PNG, TARGET_COLOURS
from sim.web.i18n import Language, text
from sim.web.state import (
    DEFAULT_REPLICATIONS,
    MAX_REPLICATIONS,
    OddsComparison,
    Settings,
    estimate_comparison,
    scenario_of,
)


def _percent(odds: TargetOdds) -> str:
    return f"{odds.probability:.0%} [{odds.low:.0%}, {odds.high:.0%}]"


def odds_table_html(result: OddsComparison, lang: Language) -> str:
    """One row per target: the settings' probability, the baseline's and the difference."""
    runs = result.settings.targets[0].runs
    name = html.escape(result.settings.scenario)
    settings = f"{text('settings_col', lang)} ({name}, {runs} {text('runs', lang)})"
    header = [text("target", lang), settings]
    if result.baseline is not None:
        header += [text("baseline_col", lang), text("difference", lang)]
    lines = ["<table class='odds-table'><tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr>"]
    for year, threshold, ours, theirs in result.rows():
        cells = [f"{year} ≥ {threshold:,.0f} 亿元", _percent(ours)]
        if theirs is not None:
            cells += [
                _percent(theirs),
                f"{100 * (ours.probability - theirs.probability):+.0f} {text('points', lang)}",
            ]
        lines.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    lines.append("</table>")
    if result.other_targets:
        lines.append(f"<p class='other-targets'>{text('other_targets', lang)}</p>")
    return "\n".join(lines)


def fan_figure(result: OddsComparison, lang: Language) -> Figure:
    """Output quantiles by year for the settings (blue) and the baseline (grey), with the targets."""
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    series = [(result.settings, "#1f77b4", text("settings_col", lang))]
    if result.baseline is not None:
        series.append((result.baseline, "#7f7f7f", text("baseline_col", lang)))
    for odds, colour, label in series:
        fan = odds.fan()
        ax.fill_between(fan["year"], fan["p5"], fan["p95"], color=colour, alpha=0.15, linewidth=0)
        ax.fill_between(fan["year"], fan["p25"], fan["p75"], color=colour, alpha=0.3, linewidth=0)
        ax.plot(fan["year"], fan["p50"], color=colour, label=f"{label}, {text('median', lang)}")
    for (year, threshold, _, _), colour in zip(result.rows(), TARGET_COLOURS, strict=False):
        ax.plot([year], [threshold], "*", color=colour, markersize=14, label=f"{year} {text('target', lang)}")
    ax.set_title(text("fan", lang), fontsize=10)
    ax.set_ylabel(text("output_axis", lang))
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


@solara.component
def OddsResult(result: OddsComparison, lang: Language):
    """The table of probabilities and the fan chart of one estimate."""
    figure = solara.use_memo(lambda: fan_figure(result, lang), [result, lang])
    solara.Text(text("probability_of", lang), style={"font-weight": "bold"})
    solara.HTML(tag="div", unsafe_innerHTML=odds_table_html(result, lang), classes=["odds-result"])
    solara.FigureMatplotlib(figure, dependencies=[result, lang], **PNG)


@solara.component
def OddsPanel(settings: Settings, lang: Language):
    """Estimate the odds of the settings (and the baseline's) in the background, with cancel."""
    replications = solara.use_reactive(DEFAULT_REPLICATIONS)
    compare = solara.use_reactive(True)
    progress = solara.use_reactive((0, 0))  # (runs done, runs in all)
    cancel = solara.use_ref(threading.Event())
    error: solara.Reactive[str | None] = solara.use_reactive(None)
    # the last finished estimate: a cancelled one keeps it shown
    latest: solara.Reactive[OddsComparison | None] = solara.use_reactive(None)
    # A session that closes stops its batch, so the shared workers go to the sessions still open.
    solara.use_effect(lambda: lambda: cancel.current.set(), [])

    def estimate(scenario: Scenario, runs: int, with_baseline: bool, stop: threading.Event) -> bool:
        """Estimate and show the comparison; False when cancelled."""
        progress.set((0, runs * (2 if with_baseline else 1)))
        try:
            latest.set(
                estimate_comparison(scenario, runs, with_baseline, lambda *done: progress.set(done), stop)
            )
        except Cancelled:
            return False
        return True

    task = solara.lab.use_task(estimate, dependencies=None, raise_error=False)

    def start() -> None:
        try:
            if not 2 <= replications.value <= MAX_REPLICATIONS:
                raise ValueError(
                    f"{text('replications', lang)} = {replications.value}: 2 – {MAX_REPLICATIONS}"
                )
            scenario = scenario_of(settings)
        except ValueError as exc:  # InputError included
            error.set(str(exc))
            return
        error.set(None)
        cancel.current = threading.Event()
        task(scenario, replications.value, compare.value, cancel.current)

    with solara.Card(text("odds", lang)):
        solara.Text(text("odds_note", lang), style={"font-size": "0.85em", "color": "#666"})
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.InputInt(
                text("replications", lang),
                value=replications,
                style={"max-width": "9em"},
                classes=["replications"],
            )
            solara.Checkbox(label=text("compare_baseline", lang), value=compare)
            solara.Button(
                text("estimate", lang),
                on_click=start,
                disabled=task.pending,
                color="primary",
                classes=["estimate"],
            )
            if task.pending:
                solara.Button(text("cancel", lang), on_click=lambda: cancel.current.set(), classes=["cancel"])
        if task.pending:
            done, total = progress.value
            solara.ProgressLinear(100 * done / total if total else True)
            solara.Text(
                f"{text('running_batch', lang)}: {done} / {total} {text('runs', lang)}", classes=["progress"]
            )
        if error.value is not None:
            solara.Error(f"{text('invalid_settings', lang)}: {error.value}")
        if task.error:
            solara.Error(f"{text('odds_failed', lang)}: {task.exception}", classes=["odds-error"])
        if task.finished and task.value is False:
            solara.Info(text("cancelled", lang))
        if latest.value is not None:
            OddsResult(latest.value, lang)
