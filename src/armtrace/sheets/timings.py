"""Where an import's time goes, printed to stderr when ``ARMTRACE_IMPORT_TIMINGS=1``.

For tuning bulk imports (bench/import.py): each phase adds its wall seconds and the CPU seconds
of the thread that ran it to a named total, so the background COPY and the parsing it overlaps
show apart, and time spent waiting on the database shows as wall time without CPU. Off by
default, when a phase costs one flag test.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENABLED = os.environ.get("ARMTRACE_IMPORT_TIMINGS", "") == "1"
_totals: dict[str, tuple[float, float]] = {}
_lock = threading.Lock()


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the wall time of the block to ``name``'s total (when timings are enabled)."""
    if not ENABLED:
        yield
        return
    started, cpu = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        spent, used = time.perf_counter() - started, time.thread_time() - cpu
        with _lock:
            wall, busy = _totals.get(name, (0.0, 0.0))
            _totals[name] = (wall + spent, busy + used)


def report(total: float) -> None:
    """Print the totals gathered so far (then forget them), beside the import's own wall time."""
    if not ENABLED:
        return
    with _lock:
        lines = [
            f"  {name:<48} wall {wall:6.2f} s  CPU {busy:6.2f} s"
            for name, (wall, busy) in _totals.items()
        ]
        _totals.clear()
    print(
        f"import timings (wall {total:.2f} s, process CPU {time.process_time():.2f} s; "
        "phases may overlap):",
        file=sys.stderr,
    )
    print("\n".join(lines), file=sys.stderr)
