"""Earlier code of the model, pinned by a git ref and timed in the same benchmark run.

Speed claims are ratios against code measured on the same machine at the same time: the
ref's `sim/` and `scenarios/` are extracted with `git archive` into a temporary folder and
a subprocess (`previous_code_server.py`) runs the workloads of `workloads.py` with that
copy of `sim` on request, one run at a time, so the caller can alternate runs of the two
and both see the same load on a shared machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
SERVER = Path(__file__).resolve().parent / "previous_code_server.py"

# The model before the speed work of issue 17 (the mechanisms of issue 13 in place): the
# code the "4x faster than today's code" is measured against.
PINNED_REF = "aa0dc75"


class PreviousCodeError(RuntimeError):
    """The ref cannot be extracted or its model does not start."""


def extract(ref: str, folder: Path) -> None:
    """Write the ref's `sim/` and `scenarios/` into `folder`."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "sim", "scenarios"],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise PreviousCodeError(
            f"cannot extract git ref {ref!r} from {ROOT}: {detail.decode(errors='replace').strip() or exc}"
        ) from None
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


class PreviousCode:
    """A running copy of the model at `ref`; `time(workload, seed)` times one of its runs.

    Use as a context manager: the copy and its process go away on exit.
    """

    def __init__(self, ref: str = PINNED_REF) -> None:
        self.ref = ref
        self._folder = tempfile.TemporaryDirectory(prefix="dazu-previous-")
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> PreviousCode:
        folder = Path(self._folder.name)
        extract(self.ref, folder)
        env = {**os.environ, "PYTHONPATH": str(folder)}
        self._process = subprocess.Popen(
            [sys.executable, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=folder,
        )
        source = self._read()
        if not Path(source).resolve().is_relative_to(folder.resolve()):
            self.__exit__(None, None, None)
            raise PreviousCodeError(f"the copy of {self.ref} imported sim from {source}, not from {folder}")
        return self

    def _read(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise PreviousCodeError(f"the model at {self.ref} stopped (see its traceback above)")
        return line.strip()

    def time(self, workload: str, seed: int) -> tuple[float, float]:
        """Wall-clock and CPU seconds of one run of `workload` from `seed` with the previous code."""
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(f"{workload} {seed}\n")
        self._process.stdin.flush()
        wall, cpu = self._read().split()
        return float(wall), float(cpu)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._process is not None:
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process.wait(timeout=30)
            self._process = None
        self._folder.cleanup()
