"""Years marked on items: four-digit years and North Korean Juche years, as production windows.

Invariants:
- A four-digit year counts only from 1950 to the day the item was documented (or today).
- A three-digit number from 100 to 120 is read as a Juche year (Juche 1 = 1912, so 112 = 2023);
  the DPRK's calendar: https://en.wikipedia.org/wiki/Juche_calendar. One joined to other digits
  by "-", "/" or "." ("serial 101-3722") is part of a serial and not read.
- Every year-like number in the text gives a reading; several make the window ambiguous.

Pure text functions, apart from ``armtrace.dating.items`` (which reads the store), so that code
that only decodes dates does not load the database layer.
"""

from __future__ import annotations

import datetime
import re

from armtrace.dating import calendar
from armtrace.dating.model import DateReading, DateWindow, bounded, combine

FIRST_ITEM_YEAR = 1950
JUCHE_RANGE = range(100, 121)
_JUCHE_EPOCH = 1911  # Juche year 1 is Gregorian 1912
_SERIAL_NEIGHBOUR = re.compile(r"\d[-/.]\d{3}\b|\b\d{3}[-/.]\d")


def juche_to_gregorian(juche_year: int) -> int:
    """Convert a Juche year to the Gregorian year (Juche 1 = 1912, so 112 = 2023)."""
    if juche_year < 1:
        raise ValueError(f"Juche years start at 1, got {juche_year}")
    return juche_year + _JUCHE_EPOCH


def _year_reading(raw: str, year: int, bound: datetime.date) -> DateReading | None:
    if not FIRST_ITEM_YEAR <= year <= bound.year:
        return None
    start, end = calendar.whole_year(year)
    why = f"'{raw}' read as the year {year} marked on the item."
    return bounded(raw, "YYYY", start, end, bound, why)


def _juche_reading(raw: str, juche_year: int, bound: datetime.date) -> DateReading | None:
    if juche_year not in JUCHE_RANGE:
        return None
    year = juche_to_gregorian(juche_year)
    start, end = calendar.whole_year(year)
    why = f"'{raw}' read as Juche year {juche_year}, the North Korean calendar's {year}."
    return bounded(raw, "juche-year", start, end, bound, why)


def decode_item_year(text: str, *, documented_on: datetime.date | None = None) -> DateWindow | None:
    """Read the production year marked on an item (e.g. "1977", Juche "112"), or None."""
    bound = documented_on or datetime.date.today()
    readings: list[DateReading] = []
    for match in re.finditer(r"(?<![0-9A-Za-z])\d{3,4}(?![0-9A-Za-z])", text):
        number = match.group()
        if len(number) == 4:
            reading = _year_reading(number, int(number), bound)
        elif _SERIAL_NEIGHBOUR.search(text[max(0, match.start() - 2) : match.end() + 2]):
            continue  # "serial 101-3722": a three-digit run joined to digits is a serial
        else:
            reading = _juche_reading(number, int(number), bound)
        if reading is not None and reading not in readings:
            readings.append(reading)
    return combine(text.strip(), readings)
