"""Integrity checks for the independent marking test set in tests/data/markings/markings.csv.

Invariants: every row carries a source; a headquarters country is ISO 3166 alpha-2 and always
comes with the source that states it; a marking appears once; rows without a maker explain why.
The accuracy evaluation against the identifier lives elsewhere: this file checks the data only.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pycountry
import pytest

TESTSET_PATH = Path(__file__).parent / "data" / "markings" / "markings.csv"
COLUMNS = (
    "marking",
    "manufacturer",
    "manufacturer_country",
    "part_number",
    "kind",
    "origin",
    "source",
    "country_source",
    "notes",
)
ORIGINS = {"weapon-study", "datasheet", "kicad", "bom"}


def load_rows() -> list[dict[str, str]]:
    """Read the test set as a list of column-to-text mappings."""
    with TESTSET_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = load_rows()
IDENTIFIED = [row for row in ROWS if row["manufacturer"]]
UNIDENTIFIED = [row for row in ROWS if not row["manufacturer"]]
COUNTRIES = sorted({row["manufacturer_country"] for row in ROWS if row["manufacturer_country"]})


def test_header_has_every_column() -> None:
    with TESTSET_PATH.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == COLUMNS


def test_every_row_has_a_marking_and_a_source() -> None:
    missing = [
        index for index, row in enumerate(ROWS, start=2) if not (row["marking"] and row["source"])
    ]
    assert missing == [], f"rows without marking or source (file line numbers): {missing}"


def test_every_origin_is_known() -> None:
    assert {row["origin"] for row in ROWS} <= ORIGINS


@pytest.mark.parametrize("country", COUNTRIES)
def test_country_is_iso_alpha2(country: str) -> None:
    assert pycountry.countries.get(alpha_2=country) is not None


def test_every_country_has_its_source() -> None:
    unsourced = [
        row["marking"] for row in ROWS if row["manufacturer_country"] and not row["country_source"]
    ]
    assert unsourced == []


def test_no_country_without_a_manufacturer() -> None:
    assert [row["marking"] for row in UNIDENTIFIED if row["manufacturer_country"]] == []


def test_enough_identified_rows() -> None:
    assert len(IDENTIFIED) >= 300


def test_enough_distinct_manufacturers() -> None:
    assert len({row["manufacturer"] for row in IDENTIFIED}) >= 100


def test_enough_rows_without_a_maker() -> None:
    assert len(UNIDENTIFIED) >= 40


def test_rows_without_a_maker_say_why() -> None:
    assert [row["marking"] for row in UNIDENTIFIED if not row["notes"]] == []


def test_no_duplicate_markings() -> None:
    counts = Counter(row["marking"].casefold() for row in ROWS)
    assert [marking for marking, count in counts.items() if count > 1] == []


def test_markings_have_no_surrounding_whitespace() -> None:
    assert [row["marking"] for row in ROWS if row["marking"] != row["marking"].strip()] == []
