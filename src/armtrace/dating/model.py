"""Readings of a date code and the production window they allow together.

Invariants:
- ``earliest <= latest`` in every reading and window.
- A window spans every reading it keeps; an ambiguous code keeps all its plausible readings and
  never collapses to one guessed date.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DateReading:
    """One way to read a code: the scheme, the production window it allows and why."""

    raw: str
    scheme: str
    earliest: datetime.date
    latest: datetime.date
    why: str


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The production window a code allows, with every plausible reading kept visible."""

    raw: str
    earliest: datetime.date
    latest: datetime.date
    readings: tuple[DateReading, ...]
    ambiguous: bool
    why: str


def fmt_day(day: datetime.date) -> str:
    """Format a date the way the explanations show it, e.g. "30 Aug 2021"."""
    return f"{day.day} {day:%b %Y}"


def bounded(
    raw: str, scheme: str, start: datetime.date, end: datetime.date, bound: datetime.date, why: str
) -> DateReading | None:
    """Build a reading, cut at ``bound`` (nothing is made after it was seen); None if all after."""
    if start > bound:
        return None
    if end > bound:
        end = bound
        why += f" Cut at {fmt_day(bound)}, the day it was documented."
    return DateReading(raw=raw, scheme=scheme, earliest=start, latest=end, why=why)


def combine(raw: str, readings: Sequence[DateReading]) -> DateWindow | None:
    """Join readings into one window; several readings make it ambiguous. None when empty."""
    if not readings:
        return None
    ordered = tuple(sorted(readings, key=lambda r: (r.earliest, r.latest, r.scheme)))
    earliest = min(r.earliest for r in ordered)
    latest = max(r.latest for r in ordered)
    if len(ordered) == 1:
        return DateWindow(raw, earliest, latest, ordered, ambiguous=False, why=ordered[0].why)
    labels = "; ".join(f"{r.scheme} {fmt_day(r.earliest)} to {fmt_day(r.latest)}" for r in ordered)
    why = (
        f"'{raw}' can be read {len(ordered)} ways ({labels}); the window spans all of them "
        f"because nothing in the code tells them apart."
    )
    return DateWindow(raw, earliest, latest, ordered, ambiguous=True, why=why)
