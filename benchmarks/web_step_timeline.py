"""Where the time of a click on the officials' page goes: one timeline per Run, Step, Reset.

    python -m benchmarks.web_step_timeline [--repetitions 2]

The page's server runs with timestamps taken around what a click sets off (the message
received, each render of Solara's components, the model's quarter, each chart's drawing
and SVG, each websocket message sent); Debian's Chromium, as the browser tests drive it,
notes when each websocket message arrives and how long the click takes until a frame is
painted with the result (as `benchmarks.web_page` times it). Both use the same clock.
For each action it prints the phases, in milliseconds from the click: until the step's
task starts (the render that marks the buttons busy included), the model, the drawing
(charts kept and drawn, their SVG), the rest of that render (Solara's diff and what it
sends), the render that frees the buttons, and the browser's part after the last message;
with the bytes the page received.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.web_page import ACTIONS, IN_PAGE, wait_for_page
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, fresh_machine_fonts

# Notes each websocket message's arrival (and each one sent, as a negative size) in the page.
WEBSOCKET_TIMES = """
window.__messages = [];
const PageSocket = window.WebSocket;
window.WebSocket = class extends PageSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      const size = typeof event.data === "string" ? event.data.length : event.data.size;
      window.__messages.push([Date.now() / 1000, size]);
    });
  }
  send(data) {
    window.__messages.push([Date.now() / 1000, -(data.length || data.size || 0)]);
    super.send(data);
  }
};
"""

Event = tuple[str, float, float, str, str]  # what, start, end (time.time), thread, detail


def serve_with_timestamps(port: int, log: Path) -> None:
    """The page's server (`python -m sim web`), each timed call written to `log` as a JSON line."""
    os.environ["SOLARA_APP"] = "sim.web.app"  # before Solara's server modules are imported
    import reacton.core
    import solara.server.server
    import solara.server.starlette

    import sim.model.model
    import sim.web.live_figure
    import sim.web.run_panel
    from sim.web.server import serve

    out = log.open("a", encoding="utf-8")
    guard = threading.Lock()

    def timed(owner: Any, name: str, what: str, detail: Callable[..., str] = lambda *_: "") -> None:
        call = getattr(owner, name)

        @functools.wraps(call)
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = time.time()
            result = call(*args, **kwargs)
            event = [what, start, time.time(), threading.current_thread().name, detail(args, result)]
            with guard:
                out.write(json.dumps(event) + "\n")
                out.flush()
            return result

        setattr(owner, name, timed_call)

    timed(sim.model.model.IndustryModel, "step", "model")
    timed(sim.model.model.IndustryModel, "__init__", "model")
    timed(sim.web.live_figure.LiveFigure, "draw", "draw", lambda args, _: args[0].frame[0])
    timed(sim.web.run_panel, "to_svg", "svg", lambda _, svg: str(len(svg)))
    timed(sim.web.run_panel, "fiscal_table_html", "draw")
    timed(reacton.core._RenderContext, "_render_once", "render")
    timed(solara.server.starlette.WebsocketWrapper, "send_text", "sent", lambda args, _: str(len(args[1])))
    timed(solara.server.server, "process_kernel_messages", "received")
    serve("127.0.0.1", port)


def phases(
    click: float, painted: float, events: list[Event], messages: list[list[float]]
) -> dict[str, float]:
    """An action's phases in milliseconds from the click, from the server's events in its window.

    The task's thread is the one the model ran in; its renders hold the drawing.
    """
    seen = [event for event in events if click <= event[1] <= painted]

    def total(chosen: list[Event]) -> float:
        return 1000 * sum(end - start for _, start, end, _, _ in chosen)

    model = [event for event in seen if event[0] == "model"]
    task = model[0][3] if model else None
    drawing = total([event for event in seen if event[0] in ("draw", "svg")])
    renders = total([event for event in seen if event[0] == "render" and event[3] == task])
    arrived = [moment for moment, size in messages if size > 0 and moment <= painted]
    row = {
        "until the task starts (a render: buttons busy)": 1000 * ((model[0][1] if model else click) - click),
        "model": total(model),
        "drawing (charts kept and drawn, SVG, tables)": drawing,
        "task's renders but the drawing (diff, sending)": renders - drawing,
        "browser after the last message": 1000 * (painted - max(arrived, default=painted)),
    }
    row["the rest (hand-offs, waiting for the CPU)"] = 1000 * (painted - click) - sum(row.values())
    row["click to painted"] = 1000 * (painted - click)
    row["characters received"] = float(
        sum(size for moment, size in messages if size > 0 and moment <= painted)
    )
    return row


def timelines(repetitions: int) -> dict[str, list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    found: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in ACTIONS}
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "events.jsonl"
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.web_step_timeline", "--serve", str(port), str(log)],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_page(url)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM),
                    headless=True,
                    args=CHROMIUM_ARGS,
                    env=fresh_machine_fonts(Path(folder) / "fonts"),
                )
                for _ in range(repetitions):
                    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                    page.add_init_script(WEBSOCKET_TIMES)
                    page.set_default_timeout(120_000)
                    page.goto(url)
                    page.locator(".run-summary").wait_for()
                    for name, button, done in ACTIONS:
                        time.sleep(0.5)  # the last action's messages all in
                        page.evaluate("window.__messages = []")
                        took = page.evaluate(IN_PAGE, [f"button.{button}", done]) / 1000
                        messages = page.evaluate("window.__messages")
                        sent = [time_ for time_, size in messages if size < 0]
                        click = sent[0] if sent else time.time() - took
                        events = [tuple(json.loads(line)) for line in log.read_text().splitlines()]
                        found[name].append(phases(click, click + took, events, messages))  # type: ignore[arg-type]
                    page.context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "LOG"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve_with_timestamps(int(arguments.serve[0]), Path(arguments.serve[1]))
        return
    for name, rows in timelines(arguments.repetitions).items():
        print(f"{name} (median of {len(rows)}, ms from the click)")
        for phase in rows[0]:
            values = [row[phase] for row in rows if phase in row]
            print(f"  {phase:<48} {statistics.median(values):10.0f}")


if __name__ == "__main__":
    main()
