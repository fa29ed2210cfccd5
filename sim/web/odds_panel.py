"""The odds: P(2027 target) and P(2030 target) with 95% intervals, the baseline's, the paired
difference, a fan chart; and the answer in one sentence for the top of the page.

The batch (sim.analysis.odds) blocks, so it runs in a background thread of the session with a
progress bar, a time estimate and a cancel button; the page stays usable meanwhile. The
page holds the latest estimate (`OddsState`), so the answer can stand under the title and
be marked out of date as soon as a lever moves.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass

import pandas as pd
import solara
import solara.lab
from matplotlib.figure import Figure

from sim.analysis.odds import Cancelled, Odds, TargetOdds
from sim.analysis.palette import BASELINE, CURRENT, TARGET_COLOURS
from sim.inputs.scenario import Scenario
from sim.web.chart_tips import tip, tip_each
from sim.web.charts import hover_points, to_svg
from sim.web.downloads import ChartDownloads
from sim.web.i18n import Language, text
from sim.web.problems import message_in
from sim.web.state import (
    DEFAULT_REPLICATIONS,
    MAX_REPLICATIONS,
    Difference,
    OddsComparison,
    Settings,
    estimate_comparison,
    scenario_of,
)


@dataclass(frozen=True)
class Estimate:
    """A finished estimate and the settings it was made for."""

    settings: Settings
    result: OddsComparison


@dataclass(frozen=True)
class Progress:
    """Runs done of runs in all, and when the batch started (time.monotonic)."""

    done: int
    total: int
    started: float

    def seconds_left(self) -> int | None:
        if self.done == 0:
            return None
        elapsed = time.monotonic() - self.started
        return round(elapsed / self.done * (self.total - self.done))


def percent(share: float) -> str:
    """A share as a percentage with at most one decimal: 0.54 -> '54%', 0.545 -> '54.5%'."""
    return f"{100 * share:.1f}".removesuffix(".0") + "%"


def points(share: float) -> str:
    return f"{100 * share:+.1f}".removesuffix(".0")


def _interval(odds: TargetOdds) -> str:
    return f"{percent(odds.low)} – {percent(odds.high)}"


def answer_sentences(result: OddsComparison, lang: Language) -> list[str]:
    """The answer in words, one sentence per target, with the paired difference from the baseline."""
    sentences = []
    for year, threshold, ours, _ in result.rows():
        sentence = text("answer", lang).format(
            runs=ours.runs,
            p=percent(ours.probability),
            low=percent(ours.low),
            high=percent(ours.high),
            year=year,
            threshold=f"{threshold:,.0f}",
        )
        difference = result.difference(year, threshold)
        if difference is not None:
            sentence += difference_words(difference, lang)
        sentences.append(sentence + ("。" if lang == "zh" else "."))
    return sentences


def difference_words(difference: Difference, lang: Language) -> str:
    low, high = points(difference.low), points(difference.high)
    if round(100 * difference.value, 1) == 0:
        return text("answer_same", lang).format(low=low, high=high)
    direction = text("higher" if difference.value > 0 else "lower", lang)
    size = f"{abs(100 * difference.value):.1f}".removesuffix(".0")
    return text("answer_difference", lang).format(direction=direction, points=size, low=low, high=high)


def odds_table_html(result: OddsComparison, lang: Language, stale: bool = False) -> str:
    """One row per target: the settings' probability and interval, the baseline's, the paired difference."""
    runs = result.settings.targets[0].runs
    name = html.escape(result.settings.scenario)
    who = text("earlier_settings" if stale else "settings_col", lang)
    header = [
        text("target", lang),
        f"{who} ({name}, {runs} {text('runs', lang)})",
        text("interval_col", lang),
    ]
    if result.baseline is not None:
        header += [
            text("baseline_col", lang),
            text("interval_col", lang),
            text("difference", lang),
            text("interval_col", lang),
        ]
    lines = ["<table class='odds-table'><tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr>"]
    for year, threshold, ours, theirs in result.rows():
        cells = [f"{year} ≥ {threshold:,.0f} 亿元", percent(ours.probability), _interval(ours)]
        difference = result.difference(year, threshold)
        if theirs is not None:
            cells += [percent(theirs.probability), _interval(theirs)]
            if difference is not None:
                cells += [
                    f"{points(difference.value)} {text('points', lang)}",
                    f"{points(difference.low)} – {points(difference.high)}",
                ]
        lines.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    lines.append("</table>")
    if result.other_targets:
        lines.append(f"<p class='other-targets'>{text('other_targets', lang)}</p>")
    return "\n".join(lines)


def fan_series(result: OddsComparison, lang: Language) -> list[tuple[Odds, str, str]]:
    """The fan chart's series: (odds, colour, name), the settings' and, if estimated, the baseline's."""
    series = [(result.settings, CURRENT, text("settings_col", lang))]
    if result.baseline is not None:
        series.append((result.baseline, BASELINE, text("baseline_col", lang)))
    return series


def fan_figure(result: OddsComparison, lang: Language) -> Figure:
    """Output quantiles by year for the settings (blue) and the baseline (grey), with the targets.

    Hovering on a year's median says that year's median and both bands of its series.
    """
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    for odds, colour, label in fan_series(result, lang):
        fan = odds.fan()
        ax.fill_between(fan["year"], fan["p5"], fan["p95"], color=colour, alpha=0.15, linewidth=0)
        ax.fill_between(fan["year"], fan["p25"], fan["p75"], color=colour, alpha=0.3, linewidth=0)
        ax.plot(fan["year"], fan["p50"], color=colour, label=f"{label}, {text('median', lang)}")
        tip_each(
            hover_points(ax, fan["year"], fan["p50"], 40),
            [
                text("tip_fan", lang).format(
                    name=label, year=int(row.year), **{q: f"{getattr(row, q):,.1f}" for q in QUANTILES}
                )
                for row in fan.itertuples()
            ],
        )
    for (year, threshold, _, _), colour in zip(result.rows(), TARGET_COLOURS, strict=False):
        name = f"{year} {text('target', lang)}"
        (star,) = ax.plot([year], [threshold], "*", color=colour, markersize=14, label=name)
        tip(star, f"{name} {threshold:,.0f} 亿元")
    ax.set_title(text("fan", lang), fontsize=10)
    ax.set_ylabel(text("output_axis", lang))
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


QUANTILES = ("p5", "p25", "p50", "p75", "p95")


def fan_csv(result: OddsComparison) -> bytes:
    """The fan chart's numbers: the settings' and the baseline's quantiles of annual output by
    year (亿元), as CSV (`series` says which: both may be the baseline scenario).

    With a byte-order mark, so that Excel on Chinese Windows reads a Chinese scenario name right.
    """
    tables = [
        odds.fan().assign(series=series, scenario=odds.scenario)[["series", "scenario", "year", *QUANTILES]]
        for series, odds in (("settings", result.settings), ("baseline", result.baseline))
        if odds is not None
    ]
    return pd.concat(tables).to_csv(index=False).encode("utf-8-sig")


@solara.component
def Answer(
    settings: Settings, latest: Estimate | None, progress: Progress | None, running: bool, lang: Language
):
    """The answer under the title: the odds in words, or how long until they are known."""
    with solara.Column(gap="2px", classes=["answer"]):
        if running and progress is not None:
            left = progress.seconds_left()
            solara.Text(
                text("answer_running", lang).format(
                    done=progress.done, total=progress.total, seconds="…" if left is None else left
                ),
                classes=["answer-progress"],
            )
        if latest is None:
            if not running:
                solara.Text(text("answer_pending", lang), classes=["answer-pending"])
            return
        stale = latest.settings != settings
        for sentence in answer_sentences(latest.result, lang):
            solara.Text(sentence + (text("answer_stale", lang) if stale else ""), classes=["answer-sentence"])


@solara.component
def OddsResult(result: OddsComparison, lang: Language, stale: bool):
    """The table of probabilities and the fan chart of one estimate."""
    figure = solara.use_memo(lambda: to_svg(fan_figure(result, lang)), [result, lang])
    makers = solara.use_memo(
        lambda: (lambda: to_svg(fan_figure(result, lang), standalone=True), lambda: fan_csv(result)),
        [result, lang],
    )
    solara.Text(text("probability_of", lang), style={"font-weight": "bold"})
    solara.HTML(tag="div", unsafe_innerHTML=odds_table_html(result, lang, stale), classes=["odds-result"])
    solara.HTML(tag="div", unsafe_innerHTML=figure, classes=["chart", "chart-fan"])
    runs = result.settings.targets[0].runs
    ChartDownloads("fan", f"dazu_fan_{runs}runs", *makers, lang)


@solara.component
def OddsPanel(
    settings: Settings,
    lang: Language,
    latest: solara.Reactive[Estimate | None],
    progress: solara.Reactive[Progress | None],
    pending: solara.Reactive[bool],
):
    """Estimate the odds of the settings (and the baseline's) in the background, with cancel."""
    replications = solara.use_reactive(DEFAULT_REPLICATIONS)
    compare = solara.use_reactive(True)
    cancel = solara.use_ref(threading.Event())
    error: solara.Reactive[str | None] = solara.use_reactive(None)
    # A session that closes stops its batch, so the shared workers go to the sessions still open.
    solara.use_effect(lambda: lambda: cancel.current.set(), [])

    def estimate(
        current: Settings, scenario: Scenario, runs: int, with_baseline: bool, stop: threading.Event
    ) -> bool:
        """Estimate and show the comparison; False when cancelled."""
        started = time.monotonic()
        progress.set(Progress(0, runs * (2 if with_baseline else 1), started))
        pending.set(True)
        try:
            result = estimate_comparison(
                scenario,
                runs,
                with_baseline,
                lambda done, total: progress.set(Progress(done, total, started)),
                stop,
            )
            latest.set(Estimate(current, result))
        except Cancelled:
            return False
        finally:
            pending.set(False)
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
            error.set(message_in(exc, lang))
            return
        error.set(None)
        cancel.current = threading.Event()
        task(settings, scenario, replications.value, compare.value, cancel.current)

    with solara.Card(text("odds", lang), classes=["odds-card"]):
        solara.Text(text("odds_note", lang), style={"font-size": "0.9em", "color": "#444"})
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
        if task.pending and progress.value is not None:
            done, total = progress.value.done, progress.value.total
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
            stale = latest.value.settings != settings
            if stale:
                solara.Warning(
                    text("stale_odds", lang).format(name=latest.value.result.settings.scenario),
                    classes=["stale-odds"],
                )
            # Keyed, so the progress bar going away above does not make it a new component,
            # which would drop a download being made by the one it replaced.
            OddsResult(latest.value.result, lang, stale).key("odds-result")
