"""How fast the officials' page answers: one run, a step, a reset, against the model alone.

    python -m benchmarks.web_page [--repetitions 3] [--against REF --rounds 3]

Server side: a full baseline run of the model alone (the reference); the drawing a step
costs (every chart kept between steps, its data redrawn: sim/web/live_figure.py, with the
summary and the comparison table); the same four charts drawn from nothing, as before
they were kept; and the fiscal table; each also as a ratio to the reference. In
the browser (`python -m sim web` and Debian's Chromium, as the browser tests drive them):
load, Run to the end, Step (a new run: the last one has ended), the next Step (a quarter
more of a run going), Reset, from the click until the page shows the result, twice:
as Playwright sees it (its click's checks and its polling for the result included), and as
the user does, timed inside the page from the click to the first frame painted with the
result (`IN_PAGE`). Times vary with the machine's load; the ratios to the model run in the
same process carry better. Last, what a full garbage collection costs in a process holding
what the server holds (its imports, a run, its charts), as Solara's `kernel.gc_after_close`
runs one after every closed session: with those objects left to the collector, and frozen
for it, as the server does once warmed up (sim.web.server.freeze_after); and what a
session's Run costs the server either way (a mean: a collection lands in some runs only).

`--against REF` times the code of a git ref too (its `sim/` and `scenarios/`, extracted as
benchmarks/previous_code.py does, with this file's workloads), the ref and this checkout
alternately, `--rounds` times each, so that both see the same load on a shared machine;
it prints each measure's median and range over the rounds for both.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from benchmarks.previous_code import extract
from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from sim.web import live_figure
from sim.web.charts import (
    Comparison,
    cluster_chart,
    cluster_figure,
    indicators_chart,
    indicators_figure,
    output_chart,
    output_figure,
    to_svg,
)
from sim.web.land_chart import land_chart, land_figure
from sim.web.live_figure import Layouts
from sim.web.run_panel import comparison_table_html, fiscal_table_html, progress_line
from sim.web.state import baseline_run, completed_years
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, fresh_machine_fonts

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"

# What is timed, the button it clicks and the summary's text once it is done (Chinese, the
# default): a Step after a finished Run starts a new run, the next Step continues it.
ACTIONS = (
    ("run", "run", "2030 年全年"),
    ("step", "step", "2025 年第 1 季度"),
    ("next step", "step", "2025 年第 2 季度"),
    ("reset", "reset", "2024 年第 4 季度"),
)

# Clicks a button once it is enabled and resolves with the milliseconds until a frame is
# painted showing the summary's text `done` and every button enabled again (a MutationObserver
# sees each change; the buttons' states arrive one by one, and a click on one still disabled
# would be lost); rejects if that has not happened within two minutes.
IN_PAGE = """([button, done]) => new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error(`${button}: no "${done}" after 120 s`)), 120000);
  const enabled = () => ["run", "step", "reset"].every((name) => {
    const found = document.querySelector(`button.${name}`);
    return found && !found.disabled;
  });
  const shown = () => {
    const summary = document.querySelector(".run-summary");
    return summary && summary.textContent.includes(done) && enabled();
  };
  const click = () => {
    if (!enabled()) return requestAnimationFrame(click);
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    document.querySelector(button).click();
  };
  click();
})"""


def median_seconds(work: Callable[[], object], repetitions: int) -> float:
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def full_run() -> IndustryModel:
    model = IndustryModel(load_scenario(BASELINE), rng=1)
    while model.running:
        model.step()
    return model


def server_side(repetitions: int) -> list[tuple[str, float]]:
    model = full_run()
    years = completed_years(model)
    comparisons = (Comparison("baseline", baseline_run(1)),)
    kept = [
        output_chart(model, "zh", comparisons),
        *(make(model, "zh") for make in (cluster_chart, indicators_chart, land_chart)),
    ]
    for chart in kept:  # laid out once, as at a run's first quarter
        to_svg(chart.draw(model))

    def step_drawing() -> None:
        for chart in kept:
            to_svg(chart.draw(model))
        progress_line(model, "zh")
        comparison_table_html(years, comparisons, "zh")

    def drawing_from_nothing() -> None:
        live_figure.LAYOUTS = Layouts()  # no layout measured before, as for a server's first session
        to_svg(output_figure(model, "zh", comparisons))
        for make in (cluster_figure, indicators_figure, land_figure):
            to_svg(make(model, "zh"))

    reference = median_seconds(full_run, repetitions)
    step = median_seconds(step_drawing, repetitions)
    shared = live_figure.LAYOUTS
    fresh = median_seconds(drawing_from_nothing, repetitions)
    live_figure.LAYOUTS = shared
    fiscal = median_seconds(lambda: fiscal_table_html(model, "zh"), repetitions)
    frozen_collection, collection = garbage_collections(repetitions)
    comparisons_now = (Comparison("baseline", baseline_run(1)),)
    session_run(comparisons_now)  # its charts' layouts measured
    sessions = 3 * repetitions
    unfrozen_run = mean_seconds(lambda: session_run(comparisons_now), sessions)
    gc.collect()
    gc.freeze()  # as the server does once warmed up
    frozen_run = mean_seconds(lambda: session_run(comparisons_now), sessions)
    gc.unfreeze()
    return [
        ("model alone: a full baseline run (s)", reference),
        ("drawing a step: the four charts kept, summary, comparison (s)", step),
        ("  as a share of the full run", step / reference),
        ("the four charts drawn from nothing (s)", fresh),
        ("  as a share of the full run", fresh / reference),
        ("the fiscal table (s)", fiscal),
        ("a full garbage collection, the server's objects not frozen (s)", collection),
        ("a full garbage collection, the server's objects frozen (s)", frozen_collection),
        (f"a session's Run on the server, not frozen (s, mean of {sessions})", unfrozen_run),
        (f"a session's Run on the server, frozen (s, mean of {sessions})", frozen_run),
    ]


def session_run(comparisons: tuple[Comparison, ...]) -> None:
    """What a session's Run costs the server: the model's run, the output chart at each year's
    end and the three dearer charts at the run's end, each kept (sim/web/run_panel.py)."""
    model = IndustryModel(load_scenario(BASELINE), rng=1)
    output = output_chart(model, "zh", comparisons)
    dear = [make(model, "zh") for make in (cluster_chart, indicators_chart, land_chart)]
    while model.running:
        model.step()
        if model.quarter == 4:
            to_svg(output.draw(model))
    for chart in dear:
        to_svg(chart.draw(model))


def mean_seconds(work: Callable[[], object], repetitions: int) -> float:
    """The mean, not the median: a full collection lands in some repetitions only."""
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.fmean(times)


def garbage_collections(repetitions: int) -> tuple[float, float]:
    """A full collection's seconds with a session's objects alive (a run, its four charts drawn):
    the server's own objects frozen for the collector, as the server freezes them once warmed
    up, and left to it."""
    import sim.web.app  # noqa: F401  # what the server imports

    gc.collect()
    gc.freeze()  # what the process holds so far stands for the server's own objects
    model = full_run()
    session = [make(model, "zh") for make in (cluster_chart, indicators_chart, land_chart)]
    for chart in session:
        to_svg(chart.draw(model))
    frozen = median_seconds(gc.collect, repetitions)
    gc.unfreeze()
    return frozen, median_seconds(gc.collect, repetitions)


def wait_for_page(url: str, attempts: int = 180) -> None:
    """Until the server at `url` answers (a started server imports Solara and the model first)."""
    for _ in range(attempts):
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            time.sleep(0.5)


def in_browser(repetitions: int) -> list[tuple[str, float]]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "sim", "web", "--port", str(port)], stdout=subprocess.DEVNULL
    )
    try:
        wait_for_page(url)
        with tempfile.TemporaryDirectory() as fonts, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                env=fresh_machine_fonts(Path(fonts)),
            )
            timings: dict[str, list[float]] = {"load": [], **{name: [] for name, _, _ in ACTIONS}}
            in_page: dict[str, list[float]] = {name: [] for name, _, _ in ACTIONS}
            for _ in range(repetitions):
                page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                page.set_default_timeout(120_000)
                summary = page.locator(".run-summary")
                start = time.perf_counter()
                page.goto(url)
                summary.wait_for()
                timings["load"].append(time.perf_counter() - start)
                for name, button, done in ACTIONS:
                    start = time.perf_counter()
                    page.locator(f"button.{button}").click()
                    page.locator(".run-summary", has_text=done).wait_for()
                    page.locator("button.run:not([disabled])").wait_for()
                    timings[name].append(time.perf_counter() - start)
                for name, button, done in ACTIONS:
                    in_page[name].append(page.evaluate(IN_PAGE, [f"button.{button}", done]) / 1000)
                page.context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    return [
        (f"in the browser: {name} (s, median)", statistics.median(times)) for name, times in timings.items()
    ] + [
        (f"in the page: {name}, click to painted (s, median)", statistics.median(t))
        for name, t in in_page.items()
    ]  # noqa: E501


def measured_rows(repetitions: int) -> list[tuple[str, float]]:
    rows = server_side(repetitions)
    if CHROMIUM.is_file():
        rows += in_browser(repetitions)
    return rows


def print_rows(rows: list[tuple[str, float]]) -> None:
    for measure, value in rows:
        print(f"{measure:<66} {value:8.3f}")


def _python(code: Path | None, *arguments: str) -> str:
    """The output of this Python run with the `sim` in `code` (None: this checkout's).

    Run from `code`, whose `sim` then comes first (for the page's server too); this
    checkout's benchmarks and test fixtures come after it.
    """
    env, folder = dict(os.environ), code or ROOT
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
    return subprocess.run(
        [sys.executable, *arguments], cwd=folder, env=env, check=True, capture_output=True, text=True
    ).stdout


def ready(code: Path | None) -> None:
    """Check that `code`'s own `sim` is imported, and have its compiled loops cached (a fresh
    copy compiles them once, about 11 s of CPU, which no round should include)."""
    folder = code or ROOT
    where = _python(code, "-c", "import sim; print(sim.__file__)").strip()
    if not Path(where).resolve().is_relative_to(folder.resolve()):
        raise RuntimeError(f"the code of {folder} imported sim from {where}")
    _python(code, "-c", "from benchmarks.web_page import full_run; full_run()")


def rows_of(code: Path | None, repetitions: int) -> list[tuple[str, float]]:
    """This file's measures in a process of its own, with the `sim` in `code` (None: this checkout's)."""
    lines = _python(code, "-m", "benchmarks.web_page", "--repetitions", str(repetitions)).splitlines()
    return [(line[:66].rstrip(), float(line[66:])) for line in lines if line.strip()]


def against(ref: str, rounds: int, repetitions: int) -> None:
    """The ref's code and this checkout's alternately, `rounds` times each: medians and ranges."""
    found: dict[str, dict[str, list[float]]] = {ref: {}, "this checkout": {}}
    with tempfile.TemporaryDirectory(prefix="dazu-web-") as folder:
        extract(ref, Path(folder))
        for code in (Path(folder), None):
            ready(code)
        for _ in range(rounds):
            for name, code in ((ref, Path(folder)), ("this checkout", None)):
                for measure, value in rows_of(code, repetitions):
                    found[name].setdefault(measure, []).append(value)
    print(f"{'':<66} {ref + ': median [range]':>24} {'this checkout: median [range]':>32}")
    for measure in found["this checkout"]:
        cells = []
        for name in found:
            values = found[name].get(measure)
            cells.append(
                "-"
                if not values
                else f"{statistics.median(values):.3f} [{min(values):.3f}-{max(values):.3f}]"
            )
        print(f"{measure:<66} {cells[0]:>24} {cells[1]:>32}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--against", metavar="REF", help="a git ref whose code to time alternately")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: runs of each code")
    arguments = parser.parse_args()
    if arguments.against:
        against(arguments.against, arguments.rounds, arguments.repetitions)
    else:
        print_rows(measured_rows(arguments.repetitions))


if __name__ == "__main__":
    main()
