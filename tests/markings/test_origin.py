"""Country-of-origin text printed on components, mapped to ISO alpha-2 only when unambiguous."""

from __future__ import annotations

import pycountry
import pytest

from armtrace.markings import find_origin, is_origin_text, origin_country
from armtrace.markings.origin import ALPHA3, NAMES


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("MALAYSIA", "MY"),
        ("MADE IN TAIWAN", "TW"),
        ("CHN", "CN"),
        ("PHILIPPINES", "PH"),
        ("PHL", "PH"),
        ("THAILAND", "TH"),
        ("MEXICO", "MX"),
        ("TAIWAN", "TW"),
        ("JAPAN", "JP"),
        ("CHINA", "CN"),
        ("Made in Germany", "DE"),
        ("made in  china", "CN"),
        ("MADE IN P.R.C.", "CN"),
        ("TAIWAN, R.O.C.", "TW"),
        ("Made in U.S.A.", "US"),
        ("MADE IN US", "US"),
        ("MYS", "MY"),
        ("SOUTH KOREA", "KR"),
        ("Republic of Korea", "KR"),
        ("KOR", "KR"),
        ("VIET NAM", "VN"),
        ("W. GERMANY", "DE"),
        ("COSTA RICA", "CR"),
        ("ASSEMBLED IN MALAYSIA", "MY"),
        ("KOREA", None),  # the Republic of Korea or the DPRK
        ("MADE IN KOREA", None),
        ("E4", None),  # JESD97 lead-finish category, not a country
        ("E3", None),
        ("ARM", None),  # Arm logo, though it is Armenia's alpha-3
        ("US", "US"),
        ("", None),
        ("MADE IN NOWHERE", None),
        ("STM32F407", None),
    ],
)
def test_origin_country(text: str, country: str | None) -> None:
    assert origin_country(text) == country


@pytest.mark.parametrize(
    ("text", "is_origin"),
    [("KOREA", True), ("MADE IN KOREA", True), ("E4", False), ("GH21V", False), ("PHL", True)],
)
def test_is_origin_text(text: str, is_origin: bool) -> None:
    assert is_origin_text(text) is is_origin


@pytest.mark.parametrize(
    ("tokens", "span"),
    [
        (["CHN", "144"], (0, 1)),
        (["MADE", "IN", "TAIWAN"], (0, 3)),
        (["STM32H743VIT6", "MADE", "IN", "MALAYSIA"], (1, 4)),
        (["TAIWAN,", "R.O.C."], (0, 2)),
        (["COSTA", "RICA", "1934"], (0, 2)),
        (["US"], None),  # too short to trust alone inside a marking
        (["ARM", "2135"], None),
        (["GH21V", "93"], None),
    ],
)
def test_find_origin_span(tokens: list[str], span: tuple[int, int] | None) -> None:
    match = find_origin(tokens)
    assert (None if match is None else (match.start, match.end)) == span


@pytest.mark.parametrize("code", sorted({c for c in [*NAMES.values(), *ALPHA3.values()] if c}))
def test_every_mapped_code_is_a_real_alpha2(code: str) -> None:
    assert pycountry.countries.get(alpha_2=code) is not None


@pytest.mark.parametrize(("alpha3", "alpha2"), sorted(ALPHA3.items()))
def test_alpha3_table_agrees_with_iso(alpha3: str, alpha2: str) -> None:
    country = pycountry.countries.get(alpha_3=alpha3)
    assert country is not None and country.alpha_2 == alpha2


def test_origin_words_cover_every_phrase() -> None:
    from armtrace.markings.origin import MADE_IN, ORIGIN_WORDS

    for phrase in (*NAMES, *ALPHA3, *MADE_IN):
        assert set(phrase.split()) <= ORIGIN_WORDS, phrase
    assert "STM32F407" not in ORIGIN_WORDS and "ARM" not in ORIGIN_WORDS


@pytest.mark.parametrize(
    "marking",
    ["STM32F407\nVGT6\nCHN 144", "MADE IN P.R. CHINA\nLM358", "ADM3202 ARNZ / #2135", "KOREA 2201"],
)
def test_snapshot_origin_matches_the_parser(marking: str) -> None:
    from armtrace.analytics.facts import origin_of
    from armtrace.markings.parse import parse_marking

    parsed = parse_marking(marking)
    assert origin_of(marking) == (parsed.origin_text, parsed.origin_country)
