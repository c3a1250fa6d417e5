"""Sanctions status of chain companies, read from the screening module when it is available.

Invariants: screening is imported lazily, so tracing works (and says "not screened") in a build
without it or before any list is loaded; a match an analyst judged "no-match" does not flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from armtrace.errors import ArmtraceError
from armtrace.store import Store


@dataclass(frozen=True)
class SanctionStatus:
    """What screening says about one company at one point of a chain."""

    screened: bool
    listed: bool
    caption: str | None = None
    dataset: str | None = None
    score: float | None = None
    listed_since: date | None = None
    transfer_after_listing: bool | None = None
    judgement: str | None = None
    why: str = ""

    @property
    def timing(self) -> str:
        """Before or after the listing, in words (empty when not listed)."""
        if not self.listed:
            return ""
        if self.listed_since is None:
            return "listing date unknown"
        if self.transfer_after_listing is None:
            return f"listed since {self.listed_since.isoformat()}; transfer date unknown"
        side = "after" if self.transfer_after_listing else "before"
        return f"received {side} its listing on {self.listed_since.isoformat()}"

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        value = dict(self.__dict__)
        value["listed_since"] = self.listed_since.isoformat() if self.listed_since else None
        value["timing"] = self.timing
        return value


NOT_SCREENED = SanctionStatus(screened=False, listed=False, why="not screened")


def sanction_status(
    store: Store, name: str, *, country: str | None, received_on: date | None
) -> SanctionStatus:
    """The strongest reportable match for a company, or a clean or not-screened status."""
    # Imported here: screening collects its parties from custody chains, so it imports tracing.
    from armtrace.screening import matches_for

    try:
        matches = matches_for(store, name, country=country, transfer_date=received_on)
    except ArmtraceError:
        # No list loaded: say so rather than imply a clean record.
        return NOT_SCREENED
    flagged = [
        m
        for m in matches
        if m.is_match and (m.judgement is None or m.judgement.verdict != "no-match")
    ]
    if not flagged:
        return SanctionStatus(screened=True, listed=False, why="no match on the loaded lists")
    best = max(flagged, key=lambda m: m.score)
    return SanctionStatus(
        screened=True,
        listed=True,
        caption=best.caption,
        dataset=best.dataset,
        score=round(best.score, 4),
        listed_since=best.listed_since,
        transfer_after_listing=best.transfer_after_listing,
        judgement=best.judgement.verdict if best.judgement else None,
        why=best.why,
    )
