"""ISO 3166-1 alpha-2 country codes: validation and display names.

Invariants:
- A code is valid when pycountry knows it as alpha-2, or it is XK (Kosovo, a user-assigned
  code used by the European Commission and many sanctions lists).
- Codes are upper case; no code is ever guessed from a name here.
- Display names are short and neutral: TW shows as "Taiwan" and HK as "Hong Kong",
  not pycountry's official long forms.
"""

from __future__ import annotations

import pycountry

# Codes outside ISO 3166-1 proper that sanctions and trade data use.
_EXTRA_CODES = {"XK": "Kosovo"}

# Short names for reports where pycountry's name is long or reads as a political statement.
_DISPLAY_NAMES = {
    "TW": "Taiwan",
    "HK": "Hong Kong",
    "MO": "Macao",
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "VN": "Vietnam",
    "LA": "Laos",
    "MD": "Moldova",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "CZ": "Czechia",
    "GB": "United Kingdom",
    "US": "United States",
    "NL": "Netherlands",
    **_EXTRA_CODES,
}


def is_country_code(code: object) -> bool:
    """Tell whether ``code`` is a valid upper-case ISO 3166-1 alpha-2 code (or XK)."""
    if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isupper():
        return False
    return code in _EXTRA_CODES or pycountry.countries.get(alpha_2=code) is not None


def country_name(code: str) -> str:
    """Return the display name for an alpha-2 code; raises ``KeyError`` for an unknown code."""
    if not is_country_code(code):
        raise KeyError(f"unknown ISO 3166-1 alpha-2 country code: {code!r}")
    if code in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    assert country is not None  # checked by is_country_code
    return str(getattr(country, "common_name", None) or country.name)
