"""What an import reports, and the callback it reports progress through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

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
    # Keys of the items the file holds, so a caller can identify just those (not in JSON output).
    item_keys: tuple[str, ...] = field(default=(), repr=False)

    def as_json(self) -> dict[str, object]:
        """The report as JSON values, without the item keys (a large file names thousands)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "item_keys"}
