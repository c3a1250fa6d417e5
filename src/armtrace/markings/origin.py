"""Country-of-origin text printed on a component, mapped to ISO 3166 alpha-2.

Invariants:
- The printed origin is the assembly/test site, not the maker's headquarters; callers keep the two
  apart.
- A country code is returned only when the text names one country unambiguously. Text known to be
  an origin but ambiguous ("KOREA": the Republic of Korea or the DPRK) is recognised with country
  None, so the caller can show it without a guessed code.
- Only full names and alpha-3 codes that makers print and that collide with no common marking
  token are accepted: "ARM" (Armenia's alpha-3) is the Arm logo on many microcontrollers, and
  "E4" is the JEDEC JESD97 lead-finish category e4, not a country.
- Assembly-site letters (TI's "S" in "YMS", for example) are not decoded: makers do not publish
  a complete table of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from armtrace.markings.memo import per_key

# Country names as printed ("MADE IN ..." or alone), keyed without dots and with single spaces.
# ISO 3166-1 alpha-2 codes: https://www.iso.org/iso-3166-country-codes.html
NAMES: dict[str, str | None] = {
    "CHINA": "CN", "PRC": "CN", "P R CHINA": "CN", "PR CHINA": "CN",
    "PEOPLES REPUBLIC OF CHINA": "CN",
    "TAIWAN": "TW", "TAIWAN ROC": "TW", "ROC": "TW",
    "HONG KONG": "HK", "MACAU": "MO", "MACAO": "MO",
    "MALAYSIA": "MY", "PHILIPPINES": "PH", "THAILAND": "TH", "SINGAPORE": "SG",
    "INDONESIA": "ID", "VIETNAM": "VN", "VIET NAM": "VN", "INDIA": "IN", "JAPAN": "JP",
    "KOREA": None,  # the DPRK is also "Korea": ambiguous without "SOUTH"/"REPUBLIC OF"
    "SOUTH KOREA": "KR", "REPUBLIC OF KOREA": "KR", "KOREA REPUBLIC OF": "KR", "ROK": "KR",
    "NORTH KOREA": "KP", "DPRK": "KP",
    "MEXICO": "MX", "COSTA RICA": "CR", "EL SALVADOR": "SV", "BRAZIL": "BR", "CANADA": "CA",
    "USA": "US", "US": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US",
    "GERMANY": "DE", "WEST GERMANY": "DE", "W GERMANY": "DE", "FRANCE": "FR", "ITALY": "IT",
    "MALTA": "MT", "MOROCCO": "MA", "IRELAND": "IE", "UNITED KINGDOM": "GB", "UK": "GB",
    "ENGLAND": "GB", "SCOTLAND": "GB", "GREAT BRITAIN": "GB", "NETHERLANDS": "NL",
    "HOLLAND": "NL", "BELGIUM": "BE", "AUSTRIA": "AT", "SWITZERLAND": "CH", "SWEDEN": "SE",
    "FINLAND": "FI", "CZECH REPUBLIC": "CZ", "CZECHIA": "CZ", "HUNGARY": "HU", "POLAND": "PL",
    "PORTUGAL": "PT", "SPAIN": "ES", "ISRAEL": "IL", "RUSSIA": "RU", "BELARUS": "BY",
    "UKRAINE": "UA", "IRAN": "IR", "TURKEY": "TR", "TURKIYE": "TR",
}  # fmt: skip

# Alpha-3 codes seen printed on components (ST prints "CHN", "PHL", ...). Deliberately short:
# ARM, MAR, IND, CAN, ... collide with logos, month names and words on markings.
ALPHA3: dict[str, str] = {
    "CHN": "CN", "TWN": "TW", "MYS": "MY", "PHL": "PH", "THA": "TH", "SGP": "SG",
    "IDN": "ID", "VNM": "VN", "JPN": "JP", "KOR": "KR", "MEX": "MX", "CRI": "CR",
    "DEU": "DE", "FRA": "FR", "ITA": "IT", "MLT": "MT", "IRL": "IE", "GBR": "GB",
    "HKG": "HK", "ISR": "IL", "CZE": "CZ", "HUN": "HU", "PRT": "PT",
}  # fmt: skip

MADE_IN = ("MADE IN", "ASSEMBLED IN", "PRODUCT OF", "MFD IN", "ASSY IN")
# Every word an origin phrase can contain, after this module's normalisation (dots and
# apostrophes dropped, upper case): text with none of them cannot hold an origin phrase.
ORIGIN_WORDS = frozenset(word for phrase in (*NAMES, *ALPHA3, *MADE_IN) for word in phrase.split())
_LONGEST_NAME = max(len(name.split()) for name in NAMES)
_WORD = re.compile(r"[A-Za-z.,'’]+")


@dataclass(frozen=True, slots=True)
class OriginMatch:
    """An origin phrase found among a line's tokens: tokens[start:end] is the phrase."""

    text: str
    country: str | None
    start: int
    end: int


def _key(text: str) -> str:
    text = re.sub(r"[.'’]", "", text.upper())
    return " ".join(re.sub(r"[^A-Z ]", " ", text).split())


def _phrase_country(key: str) -> tuple[bool, str | None]:
    """(is an origin phrase, country) for a normalised phrase."""
    for prefix in MADE_IN:
        if key.startswith(prefix + " "):
            rest = key[len(prefix) + 1 :]
            if rest in NAMES:
                return True, NAMES[rest]
            if rest in ALPHA3:
                return True, ALPHA3[rest]
            return False, None
    if key in NAMES:
        return True, NAMES[key]
    if key in ALPHA3:
        return True, ALPHA3[key]
    return False, None


def origin_country(text: str) -> str | None:
    """Return the ISO alpha-2 code for printed origin text such as "MADE IN TAIWAN", else None."""
    return _phrase_country(_key(text))[1]


def is_origin_text(text: str) -> bool:
    """Tell whether the text is a recognised country-of-origin phrase (even an ambiguous one)."""
    return _phrase_country(_key(text))[0]


@per_key(maxsize=65536)
def _has_origin_word(token: str) -> bool:
    """Whether a token can be part of an origin phrase: a word of one, once normalised."""
    return bool(_WORD.fullmatch(token)) and not ORIGIN_WORDS.isdisjoint(_key(token).split())


def find_origin(tokens: Sequence[str]) -> OriginMatch | None:
    """Find the longest origin phrase among a line's tokens, preferring "MADE IN ..." forms."""
    # A phrase's normalised words are its tokens' words, and every word of a known phrase is in
    # ORIGIN_WORDS: a line with no such word (most lines) holds no origin phrase.
    if not any(map(_has_origin_word, tokens)):
        return None
    best: OriginMatch | None = None
    width = _LONGEST_NAME + 2  # room for "MADE IN" before the longest name
    for start in range(len(tokens)):
        for end in range(min(len(tokens), start + width), start, -1):
            if any(not _WORD.fullmatch(token) for token in tokens[start:end]):
                continue  # "CHN 144": the number is a date code, not part of the origin
            text = " ".join(tokens[start:end])
            # "US" alone is too short to trust inside a marking; only "MADE IN US" counts.
            if _key(text) == "US":
                continue
            found, country = _phrase_country(_key(text))
            if found and (best is None or end - start > best.end - best.start):
                best = OriginMatch(text=text.upper(), country=country, start=start, end=end)
                break
    return best
