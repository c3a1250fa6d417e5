"""The per-component facts: the origin shortcut must find what the full marking parser finds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from armtrace.analytics.facts import origin_of, tier_for_description
from armtrace.markings.parse import parse_marking

MARKINGS = Path(__file__).parent.parent / "data" / "markings" / "markings.csv"
EXTRA = [
    "BSS138 / 2202 / MADE IN MALAYSIA", "Made in U.S.A.", "U.S.A. / 1234", "KOREA / 2201",
    "ST e3 / PHL 7B 210", "CHN 144", "ARM / STM32F407", "ТАЙВАНЬ", "MADE IN СНINA",
    "W25Q64JVSIQ / TAIWAN", "LM358 / P.R.CHINA", "",
]  # fmt: skip


def _real_markings() -> list[str]:
    with MARKINGS.open(encoding="utf-8") as handle:
        return [row["marking"] for row in csv.DictReader(handle) if row.get("marking")]


@pytest.mark.parametrize("marking", _real_markings() + EXTRA)
def test_origin_shortcut_agrees_with_the_parser(marking: str) -> None:
    parsed = parse_marking(marking)
    assert origin_of(marking) == (parsed.origin_text, parsed.origin_country)


def test_tier_unknown_when_the_description_names_no_kind() -> None:
    assert tier_for_description("microcontroller") == "1"
    assert tier_for_description("burnt lump") is None
