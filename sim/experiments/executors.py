"""Where batches run: worker processes on this machine, or an existing Dask cluster.

Workers start once and serve many batches: importing Mesa alone takes ~2 s, so a process
per run (as Mesa's `batch_run` does) would cost more than the runs. On a Dask cluster,
Dask's `concurrent.futures` executor gives the same interface, so the runner is one code
path for both.

A worker exits as soon as the process that started it dies, however it died (kill -9
included): a worker holds about 240 MB, and an orphan would also keep multiprocessing's
resource tracker alive. SIGTERM (what `kill` and service managers send) acts as Ctrl-C.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from types import FrameType

from sim.inputs.errors import InputError

_shared: ProcessPoolExecutor | None = None
_shared_lock = threading.Lock()


def _start_worker() -> None:
    """Worker initializer: end with the parent, and pay the model's imports once, at the start.

    The imports' objects (some 200,000) live as long as the worker: frozen, the garbage
    collector stops re-scanning them in each full collection, which the ~10,000 agents a
    run leaves behind trigger every few runs (about a tenth of a worker's time otherwise).
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_closed, args=(parent.sentinel,), daemon=True).start()
    import sim.experiments.worker  # noqa: F401

    gc.collect()
    gc.freeze()


def _exit_when_closed(sentinel: int) -> None:
    """Wait for the parent's sentinel (closed when the parent process ends), then end this process."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM does what Ctrl-C does: raise KeyboardInterrupt in the main thread.

    Only the main thread can take signals; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def local_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """Worker processes on this machine (spawned: no inherited state, same on every platform)."""
    return ProcessPoolExecutor(
        max_workers=workers or default_workers(),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
    )


def capped_workers(requested: int | None) -> int:
    """Workers for this machine: as asked, but no more than its cores (with a warning on stderr).

    More processes than cores make no run faster and each holds ~240 MB; the numbers do
    not depend on the number of workers, so capping changes nothing but the memory used.
    """
    cores = default_workers()
    if requested is not None and requested > cores:
        print(
            f"warning: --workers {requested}: this machine has {cores} cores; using {cores}",
            file=sys.stderr,
        )
        return cores
    return requested or cores


def _stop_at_once(executor: ProcessPoolExecutor) -> None:
    """End the workers now (on Ctrl-C, SIGTERM or a failure) instead of letting queued batches finish.

    A pool hands each worker its next batch before the current one ends, and a batch
    handed out cannot be cancelled: waiting for it would keep an interrupted experiment
    running for a batch's time. Workers write nothing, so nothing is lost.
    """
    workers = list((executor._processes or {}).values())  # the pool's own (private) table of workers
    executor.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=10)
    executor.shutdown()


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
        count = capped_workers(workers)
        executor = local_executor(count)
        # Start every worker now, while the caller prepares their work: the pool spawns one
        # process per task submitted while none is idle, so one task would start only one.
        for _ in range(count):
            executor.submit(os.getpid)
        try:
            yield executor, count
        except BaseException:
            _stop_at_once(executor)
            raise
        executor.shutdown()
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
