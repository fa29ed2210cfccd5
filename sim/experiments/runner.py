"""Feed batches of runs to an executor and hand each finished batch on as it completes.

Only a few batches are in flight at a time, and each finished batch goes straight to its
consumer (a Parquet shard, or an in-memory tally), so memory stays flat however many runs
an experiment has. The runner knows nothing about where results go.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait

import pandas as pd

from sim.experiments.run_spec import Batch


def run_batch(batch: Batch) -> pd.DataFrame:
    """`sim.experiments.worker.run_batch`, imported where the batch runs: the process that
    hands out batches then never imports the model (Mesa and the compiled loops, 0.5 s at
    the start, while the workers import it too)."""
    from sim.experiments.worker import run_batch as run_in_worker

    return run_in_worker(batch)


class Cancelled(Exception):
    """The caller asked to stop; batches already handed on are kept."""


def run_batches(
    tasks: Iterable[Batch],
    executor: Executor,
    on_batch: Callable[[Batch, pd.DataFrame], None],
    *,
    in_flight: int,
    cancel: threading.Event | None = None,
) -> None:
    """Run every batch on the executor; `on_batch` gets each batch's rows, in completion order.

    Raises Cancelled once `cancel` is set (checked at least every half second).
    """
    pending = iter(tasks)
    running: dict[Future, Batch] = {}

    def submit_next() -> None:
        task = next(pending, None)
        if task is not None:
            running[executor.submit(run_batch, task)] = task

    try:
        for _ in range(in_flight):
            submit_next()
        while running:
            done, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set():
                raise Cancelled
            for future in done:
                task = running.pop(future)
                on_batch(task, future.result())
                submit_next()
    finally:
        for future in running:
            future.cancel()
