"""An executor for tests: tasks finish in a random order, as in a pool of many uneven workers."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future


class ShuffledExecutor(Executor):
    """One worker thread that runs the waiting tasks in a random order (as a pool of many
    workers with uneven tasks hands results back)."""

    def __init__(self, seed: int) -> None:
        self.order = random.Random(seed)
        self.waiting: list[tuple[Future, Callable, tuple]] = []
        self.ready = threading.Condition()
        self.closed = False
        self.worker = threading.Thread(target=self._work, daemon=True)
        self.worker.start()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        with self.ready:
            self.waiting.append((future, fn, args))
            self.ready.notify()
        return future

    def _work(self) -> None:
        while True:
            with self.ready:
                self.ready.wait_for(lambda: self.waiting or self.closed)
                if not self.waiting:
                    return
                future, fn, args = self.waiting.pop(self.order.randrange(len(self.waiting)))
            if future.set_running_or_notify_cancel():
                future.set_result(fn(*args))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self.ready:
            self.closed = True
            self.ready.notify()
        self.worker.join()
