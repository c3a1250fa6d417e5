"""Calendar spans for the units date codes count in: ISO weeks, makers' weeks, months, years.

Invariants: every function returns (first day, last day) inclusive, or None for a week or month
that does not exist, so an impossible code is rejected rather than wrapped into the next year.
"""

from __future__ import annotations

import datetime

Span = tuple[datetime.date, datetime.date]

# Components from before the first integrated circuits were on sale cannot carry a date code;
# anything read earlier than this is a misreading.
FIRST_COMPONENT_YEAR = 1960


def iso_week(year: int, week: int) -> Span | None:
    """Monday to Sunday of ISO 8601 week ``week`` of ``year``; None if the year has no such week.

    ISO weeks start on Monday and week 01 holds the year's first Thursday, so some years have a
    week 53 (2020 does, 2021 does not): https://en.wikipedia.org/wiki/ISO_week_date
    """
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return monday, monday + datetime.timedelta(days=6)


def week_of_january_first(year: int, week: int) -> Span | None:
    """The days week ``week`` can cover when "the week of January 1 is week 01".

    Microchip's marking legends count weeks that way ("WW: Week code (week of January 1 is week
    1)", https://onlinedocs.microchip.com/oxy/GUID-B47CF6CB-944F-4819-B134-F4A713917697-en-US-1/
    GUID-2F6DFEB7-1856-4D36-8F7D-D13A25F2CA13.html) and do not say which weekday a week starts
    on, so the span is widened to every day that week can hold: six days either side of
    January 1 + 7 * (week - 1).
    """
    if not 1 <= week <= 53:
        return None
    anchor = datetime.date(year, 1, 1) + datetime.timedelta(weeks=week - 1)
    if anchor.year != year:
        return None
    return anchor - datetime.timedelta(days=6), anchor + datetime.timedelta(days=6)


def month(year: int, month_number: int) -> Span | None:
    """First to last day of a month; None for a month number outside 1..12."""
    if not 1 <= month_number <= 12:
        return None
    first = datetime.date(year, month_number, 1)
    following = datetime.date(year + month_number // 12, month_number % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def whole_year(year: int) -> Span:
    """1 January to 31 December of ``year``."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
