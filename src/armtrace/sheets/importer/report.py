"""What an import reports, and the callback it reports progress through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ProgressFn = Callable[[int, int], None]
MAX_ERRORS_KEPT = 1000


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    file: str
    rows: int
    incidents: int
    items: int
    components: int
    changed: int  # rows inserted or updated in the store; 0 when the store already held the file
    evidence_added: int
    seconds: float
