"""Decode a component's printed date code into the production window it allows.

Invariants:
- Every scheme that fits the code gives its own reading; the window spans them all and is marked
  ambiguous when there is more than one. No single date is guessed for an ambiguous code.
- Nothing is made after the day it was documented (or after today when that day is unknown):
  readings that start later are dropped and a code with no reading left gives None.
- A single-digit year is read as each year ending in that digit among the 20 calendar years up
  to that day (so at most two readings); that bound is this project's choice, and a part older
  than it cannot be dated from a one-digit year.
- Maker-specific schemes apply only when the maker is named (``maker_id``) or the caller names
  the scheme (``schemes``): YYMM is never assumed, TI's year-month code only for TI.

Schemes and their sources:
- YYWW, YWW: two- or one-digit year and week; Microchip's legend ("Y: Year code (last digit of
  calendar year) ... WW: Week code"), e.g. https://www.datasheetq.com/en/pdf-html/649074/
  Microchip/13page/TC77.html. Weeks are ISO 8601 weeks except for Microchip, which counts "the
  week of January 1" as week 01 (see ``calendar.week_of_january_first``).
- YYWWx: YYWW followed by a letter, e.g. Atmel's "YYWW C" (date code, design revision):
  https://onlinedocs.microchip.com/oxy/GUID-5474CCCD-F385-4AD7-9759-539BB1019357-en-US-8/
  GUID-7E20DFA5-B39A-4CB8-8741-D144BAA16345.html
- YYWWNNN: date code then a three-character traceability code (same Atmel page, "YYWWNNN").
- YYWWLL: date code then a two-letter lot code, Nordic's <YY><WW><LL>:
  https://docs.nordicsemi.com/r/bundle/ps_nrf54l15/page/chapters/ordering_info.nrf54l15/doc/
  ordering_info.html-unique_1263007261
- TI-YM: TI's "YM = year month date code" (Y last digit of the year, M 1-9 then A, B, C for
  October to December), optionally followed by site and lot characters ("YMS", "YMLLLLS"),
  as TI engineers explain at https://e2e.ti.com/support/sensors-group/sensors/f/sensors-forum/
  747507/date-code-decrypting and https://e2e.ti.com/support/switches-multiplexers-group/
  switches-multiplexers/f/switches-multiplexers-forum/1052766/
  ts3a44159-date-code-decode-for-body-marking
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Iterator
from functools import lru_cache

from armtrace.dating import calendar
from armtrace.dating.model import DateReading, DateWindow, bounded, combine, fmt_day

SCHEMES = ("YYWW", "YYWWx", "YYWWNNN", "YYWWLL", "YWW", "TI-YM", "YYMM")
_GENERIC = ("YYWW", "YYWWx", "YYWWNNN", "YYWWLL", "YWW")
_SINGLE_DIGIT_YEAR_SPAN = 20  # years back from the bound a one-digit year may point to
_TI_MONTHS = "123456789ABC"
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

Week = Callable[[int, int], calendar.Span | None]


@lru_cache(maxsize=1024)  # maker ids are few; every decode asks
def _maker_family(maker_id: str | None) -> str | None:
    key = re.sub(r"[^a-z0-9]", "", (maker_id or "").lower())
    if key in {"ti", "texasinstruments"} or key.startswith("texasinstruments"):
        return "ti"
    if key.startswith("microchip"):
        return "microchip"
    return None


def _two_digit_years(yy: int) -> list[int]:
    years = [1900 + yy, 2000 + yy]
    return [year for year in years if year >= calendar.FIRST_COMPONENT_YEAR]


def _one_digit_years(y: int, bound: datetime.date) -> list[int]:
    first = bound.year - _SINGLE_DIGIT_YEAR_SPAN + 1
    return [year for year in range(first, bound.year + 1) if year % 10 == y]


# Two-digit year and week, then characters that are not part of the date.
_YYWW_SHAPES = (
    ("YYWW", re.compile(r"(\d{2})(\d{2})()")),
    ("YYWWx", re.compile(r"(\d{2})(\d{2})([A-Z])")),
    ("YYWWLL", re.compile(r"(\d{2})(\d{2})([A-Z]{2})")),
    ("YYWWNNN", re.compile(r"(\d{2})(\d{2})([A-Z0-9]{3})")),
)
_THREE_DIGITS = re.compile(r"\d{3}")
_FOUR_DIGITS = re.compile(r"\d{4}")
_TI_YM = re.compile(r"(\d)([1-9ABC])([A-Z][A-Z0-9]{0,5})?")

# One reading before it is cut at the bound: (scheme, span, year, week or month number, tail).
# Explanations are written from these only for a code whose window is asked for; the parser
# only asks whether a code has any reading (``decodes``).
_Span = tuple[str, calendar.Span, int, int, str]


def _spans(
    code: str, schemes: Collection[str], week_span: Week, bound: datetime.date
) -> Iterator[_Span]:
    for scheme, shape in _YYWW_SHAPES:
        if (match := shape.fullmatch(code)) and scheme in schemes:
            week, tail = int(match[2]), match[3]
            for year in _two_digit_years(int(match[1])):
                if (span := week_span(year, week)) is not None:
                    yield scheme, span, year, week, tail
    if _FOUR_DIGITS.fullmatch(code) and "YYMM" in schemes:
        for year in _two_digit_years(int(code[:2])):
            if (span := calendar.month(year, int(code[2:]))) is not None:
                yield "YYMM", span, year, span[0].month, ""
    if _THREE_DIGITS.fullmatch(code) and "YWW" in schemes:
        week = int(code[1:])
        for year in _one_digit_years(int(code[0]), bound):
            if (span := week_span(year, week)) is not None:
                yield "YWW", span, year, week, ""
    if (match := _TI_YM.fullmatch(code)) and "TI-YM" in schemes:
        month_number = _TI_MONTHS.index(match[2]) + 1
        for year in _one_digit_years(int(match[1]), bound):
            span = calendar.month(year, month_number)
            assert span is not None  # month_number is 1..12 by construction
            yield "TI-YM", span, year, month_number, match[3] or ""


def _why(raw: str, found: _Span, week_span: Week) -> str:
    scheme, span, year, number, tail = found
    if scheme == "YYMM":
        return f"'{raw}' read as YYMM: {_MONTH_NAMES[number - 1]} {year}."
    if scheme == "TI-YM":
        why = f"'{raw}' read as TI's year-month code: {_MONTH_NAMES[number - 1]} "
        why += f"{year} (the code gives only the year's last digit)."
        if tail:
            why += f" '{tail}' is TI's site/lot mark, not part of the date."
        return why
    week_kind = "ISO week" if week_span is calendar.iso_week else "week (from the week of 1 Jan)"
    why = f"'{raw}' read as {scheme}: year {year}, {week_kind} {number:02d}, "
    why += f"{fmt_day(span[0])} to {fmt_day(span[1])}."
    if scheme == "YWW":
        why = why.replace(f"year {year}", f"year {year} (the code gives only its last digit)")
    if tail:
        why += f" '{tail}' after the date is a revision, lot or site mark, not the date."
    return why


def _readings(
    code: str, raw: str, schemes: Collection[str], week_span: Week, bound: datetime.date
) -> Iterator[DateReading]:
    for found in _spans(code, schemes, week_span, bound):
        span = found[1]
        if span[0] > bound:
            continue  # made after it was seen: no reading (``bounded`` would drop it too)
        reading = bounded(raw, found[0], span[0], span[1], bound, _why(raw, found, week_span))
        if reading is not None:
            yield reading


_Prepared = tuple[str, datetime.date, Collection[str], Week]


def _prepare(
    raw: str,
    documented_on: datetime.date | None,
    maker_id: str | None,
    schemes: Collection[str] | None,
) -> _Prepared | None:
    """(code, bound, schemes, week counting) for a raw code, or None when it cannot be a date."""
    code = raw.strip().upper().lstrip("#").strip(" .,;:")
    if not code or len(code) > 12:
        return None
    bound = documented_on or datetime.date.today()
    family = _maker_family(maker_id)
    if schemes is None:
        chosen: Collection[str] = (*_GENERIC, "TI-YM") if family == "ti" else _GENERIC
    else:
        unknown = set(schemes) - set(SCHEMES)
        if unknown:
            raise ValueError(f"unknown date-code scheme(s) {sorted(unknown)}; known: {SCHEMES}")
        chosen = schemes
    week_span: Week = calendar.week_of_january_first if family == "microchip" else calendar.iso_week
    return code, bound, chosen, week_span


def decodes(
    raw: str,
    *,
    documented_on: datetime.date | None = None,
    maker_id: str | None = None,
    schemes: Collection[str] | None = None,
) -> bool:
    """Whether ``decode_date_code`` with the same arguments gives a window, without writing it."""
    prepared = _prepare(raw, documented_on, maker_id, schemes)
    if prepared is None:
        return False
    code, bound, chosen, week_span = prepared
    return any(found[1][0] <= bound for found in _spans(code, chosen, week_span, bound))


def decode_date_code(
    raw: str,
    *,
    documented_on: datetime.date | None = None,
    maker_id: str | None = None,
    schemes: Collection[str] | None = None,
) -> DateWindow | None:
    """Decode a printed date code into its production window, or None when no reading fits."""
    prepared = _prepare(raw, documented_on, maker_id, schemes)
    if prepared is None:
        return None
    code, bound, chosen, week_span = prepared
    return combine(raw, list(_readings(code, raw, chosen, week_span, bound)))
