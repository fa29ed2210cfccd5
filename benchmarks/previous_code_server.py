"""Times runs of a pinned copy of the model, on request, for `benchmarks/previous_code.py`.

Started as a script with the copy's folder first on PYTHONPATH, so `sim` is the copy's.
Reads lines `WORKLOAD SEED` from stdin and answers each with the run's wall-clock and CPU
seconds on stdout;
the first line it prints is the folder its `sim` came from, so the caller can check.
"""

from __future__ import annotations

import sys

from workloads import time_workload  # this script's folder, with the pinned sim on the path

import sim


def main() -> None:
    print(sim.__file__, flush=True)
    for line in sys.stdin:
        workload, seed = line.split()
        wall, cpu = time_workload(workload, int(seed))
        print(f"{wall!r} {cpu!r}", flush=True)


if __name__ == "__main__":
    main()
