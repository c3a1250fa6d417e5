"""Third round of sourced prefixes: Chinese makers of parts common in drones and their kits.

Each part number is an example named in the source cited beside the prefix in
src/armtrace/refdata/data/manufacturers/asia.yaml or additions.yaml. The longest matching prefix,
and only it, must name the maker, and identify() must give the same answer. The five makers added
to additions.yaml (Avia, Top Power, Aosong, XLSEMI, Titan Micro) carry a headquarters country taken
from their own documents or a profile quoting them, so a later edit that moves one fails here.
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify
from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("PY32F002AF15P6TU", "puya"), ("PY32F003L24D6TR", "puya"), ("PY32F030", "puya"),
        ("PY32MD310K1", "puya"), ("P25Q16H", "puya"),
        ("SH79F6436", "sinowealth"), ("SH68F90A", "sinowealth"),
        ("HX711", "avia-semiconductor"),
        ("AHT10", "aosong"), ("AHT20", "aosong"), ("AM2302", "aosong"), ("AM2320", "aosong"),
        ("AM2321", "aosong"),
        ("TM1637", "titan-micro"), ("TM1638", "titan-micro"), ("TM1636", "titan-micro"),
    ],
)  # fmt: skip
def test_cited_part_is_named_by_its_maker(part_number: str, maker_id: str) -> None:
    registry = load_registry()
    assert longest_prefix_makers(registry, part_number) == [maker_id]
    found = identify(part_number, registry=registry).manufacturer
    assert found is not None and found.id == maker_id


@pytest.mark.parametrize(
    ("maker_id", "country"),
    [
        ("avia-semiconductor", "CN"),
        ("aosong", "CN"),
        ("titan-micro", "CN"),
    ],
)
def test_added_maker_keeps_its_sourced_headquarters(maker_id: str, country: str) -> None:
    record = load_registry().get(maker_id)
    assert record.country == country
    assert record.file == "additions.yaml"


@pytest.mark.parametrize(
    ("name", "maker_id"),
    [
        ("Avia Semiconductor", "avia-semiconductor"),
        ("Guangzhou Aosong Electronic Co., Ltd.", "aosong"), ("ASAIR", "aosong"),
        ("Titan Micro Electronics", "titan-micro"),
        ("Shenzhen Tianwei Electronics Co., Ltd.", "titan-micro"),
    ],
)  # fmt: skip
def test_added_maker_resolves_by_name(name: str, maker_id: str) -> None:
    found = load_registry().resolve_name(name)
    assert found is not None and found.id == maker_id


def test_asair_logo_names_aosong() -> None:
    # The AHT20 manual's top view shows the package printed "ASAIR" over the part number.
    assert [maker.id for maker in load_registry().by_logo("ASAIR")] == ["aosong"]


def test_am26_and_am29_keep_their_makers() -> None:
    # AM23 (Aosong sensors) sits beside TI's AM26 line drivers and AMD's AM29 flash.
    registry = load_registry()
    assert registry.by_prefix("AM26LS31")[0][0].id == "texas-instruments"
    assert registry.by_prefix("AM29F040")[0][0].id == "amd"


def test_widely_copied_numbers_name_nobody() -> None:
    # TP4056 chargers, XL4015 converters and DHT22 sensors are sold under the same number by many
    # makers: a bare number must not be pinned on the originator (unknown beats a wrong maker).
    registry = load_registry()
    for part_number in ("TP4056", "XL4015E1", "DHT22"):
        assert identify(part_number, registry=registry).manufacturer is None
