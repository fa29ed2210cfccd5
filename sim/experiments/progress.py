"""A progress bar for long batches: runs done, rate and time left, on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ProgressBar:
    """Redraws one line on a terminal; elsewhere (logs, CI) prints a line every 10%."""

    WIDTH = 30

    def __init__(self, total: int, done: int = 0, label: str = "runs", stream: TextIO | None = None):
        self.total = total
        self.start_done = done
        self.done = done
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.interactive = self.stream.isatty()
        self._last_tenth = -1

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        eta = _clock(left) if left == left else "--:--"
        return f"[{bar}] {self.done:,}/{self.total:,} {self.label}  {rate:.1f}/s  {eta} left"

    def update(self, done: int) -> None:
        self.done = done
        if self.interactive:
            self.stream.write("\r" + self.line())
            self.stream.flush()
            return
        tenth = 10 * done // self.total if self.total else 10
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
