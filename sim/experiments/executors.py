"""Where batches run: worker processes on this machine, or an existing Dask cluster.

Workers start once and serve many batches: importing Mesa alone takes ~2 s, so a process
per run (as Mesa's `batch_run` does) would cost more than the runs. On a Dask cluster,
Dask's `concurrent.futures` executor gives the same interface, so the runner is one code
path for both.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from sim.inputs.errors import InputError

_shared: ProcessPoolExecutor | None = None
_shared_lock = threading.Lock()


def _import_model() -> None:
    """Worker initializer: pay the model's imports once, when the worker starts."""
    import sim.experiments.worker  # noqa: F401


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def local_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """Worker processes on this machine (spawned: no inherited state, same on every platform)."""
    return ProcessPoolExecutor(
        max_workers=workers or default_workers(),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_import_model,
    )


def shared_local_executor() -> ProcessPoolExecutor:
    """One pool per process, started on first use and reused (for the web server's sessions).

    Sessions ask from their own threads, hence the lock. A pool that lost a worker stays
    broken (every submit raises BrokenProcessPool), so the next caller gets a new one.
    """
    global _shared
    with _shared_lock:
        if _shared is not None and _shared._broken:  # ProcessPoolExecutor's own flag, set once broken
            _shared.shutdown(wait=False, cancel_futures=True)
            _shared = None
        if _shared is None:
            _shared = local_executor()
        return _shared


def _shut_shared_down() -> None:
    if _shared is not None:
        _shared.shutdown(cancel_futures=True)


atexit.register(_shut_shared_down)


@contextmanager
def experiment_executor(scheduler: str | None, workers: int | None) -> Iterator[tuple[Executor, int]]:
    """The executor of an experiment and how many runs it computes at once."""
    if scheduler is None:
        count = workers or default_workers()
        with local_executor(count) as executor:
            yield executor, count
        return
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs Dask's distributed package: pip install 'dazu-sim[dask]'"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"--scheduler {scheduler}: cannot connect to a Dask scheduler ({exc}); expected tcp://HOST:PORT"
        ) from None
    with client:
        count = sum(info.get("nthreads", 1) for info in client.scheduler_info()["workers"].values())
        if count == 0:
            raise InputError(f"--scheduler {scheduler}: the cluster has no workers")
        try:
            client.get_versions(check=True)  # workers must compute with the same libraries
        except ValueError as exc:
            raise InputError(f"--scheduler {scheduler}: {exc}") from None
        yield client.get_executor(pure=False), count
