"""Makers in additions.yaml (makers the region files did not know): sourced facts stay put.

Each case restates what the record's own sources give, so an edit that drops a record, moves its
headquarters or loses a prefix fails here instead of silently in identification.
"""

from __future__ import annotations

import pytest

from armtrace.refdata import load_registry


@pytest.mark.parametrize(
    ("maker_id", "country"),
    [
        ("lem", "CH"), ("neutrik", "LI"), ("diotec", "DE"), ("icom", "JP"), ("johanson", "US"),
        ("cui", "US"), ("kst", "CN"), ("hi-link", "CN"), ("taoglas", "IE"), ("rakon", "NZ"),
        ("sirenza", "US"), ("anaren", "US"), ("elantec", "US"), ("apem", "FR"),
        ("conexant", "US"), ("tundra-semiconductor", "CA"), ("ultralife", "US"),
        ("vigortronix", "GB"),
    ],
)  # fmt: skip
def test_headquarters_country(maker_id: str, country: str) -> None:
    record = load_registry().get(maker_id)
    assert record.country == country
    assert record.file == "additions.yaml"


@pytest.mark.parametrize(
    ("maker_id", "acquirer_id"),
    [("sirenza", "rfmd"), ("elantec", "intersil"), ("tundra-semiconductor", "idt")],
)
def test_taken_over_maker_is_owned_through_its_acquirer(maker_id: str, acquirer_id: str) -> None:
    registry = load_registry()
    succession = registry.get(maker_id).successor
    assert succession is not None and succession.successor_id == acquirer_id
    assert registry.current_owner(maker_id).id == registry.current_owner(acquirer_id).id


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [("HO8-NP", "lem"), ("LTSR25-NP", "lem"), ("CKSR15-NP", "lem"), ("Z2SMB12", "diotec"),
     ("0896BM15A0001", "johanson"), ("PBO-3-S12", "cui"), ("HLK-PM01", "hi-link")],
)  # fmt: skip
def test_prefix_names_the_maker(part_number: str, maker_id: str) -> None:
    matches = load_registry().by_prefix(part_number)
    assert matches and matches[0][0].id == maker_id  # the longest matching prefix is the maker's


@pytest.mark.parametrize("name", ["LEM", "Neutrik", "Icom", "KST Digital Technology", "Taoglas"])
def test_added_names_resolve(name: str) -> None:
    found = load_registry().resolve_name(name)
    assert found is not None and found.file == "additions.yaml"
