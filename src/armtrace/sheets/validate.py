"""Cell rules of the component sheet: each parser returns a clean value or raises FieldError.

Messages name what was expected, so a field investigator can fix the cell without reading docs.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import pycountry

from armtrace.model.sheet import MAX_KEY_LENGTH, MAX_TEXT_LENGTH


class FieldError(ValueError):
    """One cell broke one rule."""


@lru_cache(maxsize=1)
def _alpha2_codes() -> frozenset[str]:
    # XK (Kosovo) is user-assigned in ISO 3166 but used by the UN, EU and field teams alike.
    return frozenset({c.alpha_2 for c in pycountry.countries} | {"XK"})


def parse_key(value: str | None, column: str) -> str:
    """A required identifier: non-empty, one line, bounded length."""
    text = (value or "").strip()
    if not text:
        raise FieldError(f"{column} is required")
    if len(text) > MAX_KEY_LENGTH:
        raise FieldError(f"longer than {MAX_KEY_LENGTH} characters")
    if "\n" in text or "\r" in text or "\x00" in text:
        raise FieldError("must be one line of text")
    return text


def parse_text(value: str | None) -> str | None:
    """Free text kept as written; empty becomes None."""
    if value is None or value == "" or value.isspace():
        return None
    if "\x00" in value:
        raise FieldError("contains a NUL character")
    if len(value) > MAX_TEXT_LENGTH:
        raise FieldError(f"longer than {MAX_TEXT_LENGTH} characters")
    return value


def parse_date(value: str | None, today: date) -> date | None:
    """An ISO date (YYYY-MM-DD), not in the future."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        parsed = date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError(text)
    except ValueError:
        raise FieldError(f"{text!r} is not an ISO date (YYYY-MM-DD, e.g. 2024-01-02)") from None
    if parsed > today:
        raise FieldError(f"{text} is in the future")
    return parsed


def parse_country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code (UA, KP, ...), case-insensitive."""
    text = (value or "").strip()
    if not text:
        return None
    code = text.upper()
    if code in _alpha2_codes():
        return code
    hint = ""
    try:
        found = pycountry.countries.lookup(text)
        hint = f"; did you mean {found.alpha_2}?"
    except LookupError:
        pass
    raise FieldError(f"{text!r} is not an ISO 3166 alpha-2 country code (e.g. UA){hint}")


def parse_coordinate(value: str | None, column: str) -> float | None:
    """A decimal latitude (-90..90) or longitude (-180..180)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", ".") if text.count(",") == 1 else text)
    except ValueError:
        raise FieldError(f"{text!r} is not a decimal number (e.g. 49.9935)") from None
    limit = 90.0 if column == "latitude" else 180.0
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise FieldError(f"{text} is outside -{limit:g}..{limit:g}")
    return number


def parse_flag(value: str | None) -> bool | None:
    """yes/no, true/false, 1/0; empty is unknown."""
    text = (value or "").strip().lower()
    if not text:
        return None
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise FieldError(f"{value!r} is not yes or no")
