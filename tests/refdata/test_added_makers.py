"""Makers added for weapon-component coverage (issue 3): sourced headquarters, takeovers, prefixes.

Each case restates a fact the record's own sources give, so a later edit that drops or changes
the record, its successor or its prefix fails here rather than silently in identification.
"""

from __future__ import annotations

import datetime

import pytest

from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("maker_id", "country"),
    [
        ("traco-power", "CH"), ("recom", "AT"), ("harwin", "GB"), ("mornsun", "CN"),
        ("xp-power", "SG"), ("hirth", "DE"), ("saito", "JP"), ("micropilot", "CA"),
        ("holy-stone", "TW"), ("garmin", "CH"), ("husqvarna", "SE"), ("trinamic", "DE"),
        ("gennum", "CA"), ("plx-technology", "US"), ("that-corporation", "US"), ("schaffner", "CH"),
        ("raytac", "TW"),
    ],
)  # fmt: skip
def test_headquarters_country(maker_id: str, country: str) -> None:
    assert load_registry().get(maker_id).country == country


@pytest.mark.parametrize(
    ("maker_id", "owner_id"),
    [("anadigics", "ii-vi"), ("sige-semiconductor", "skyworks"), ("mindspeed", "macom"),
     ("appliedmicro", "macom"), ("catalyst-semiconductor", "onsemi"), ("zenoah", "husqvarna"),
     ("gennum", "semtech")],
)  # fmt: skip
def test_current_owner(maker_id: str, owner_id: str) -> None:
    assert load_registry().current_owner(maker_id).id == owner_id


def test_month_precision_takeover_counts_only_after_the_month() -> None:
    registry = load_registry()
    assert registry.owner_on("anadigics", datetime.date(2016, 3, 31)).id == "anadigics"
    assert registry.owner_on("anadigics", datetime.date(2016, 4, 1)).id == "ii-vi"


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [("TMR1-0511", "traco-power"), ("TEL12-2411", "traco-power"), ("RPX-2.5", "recom"),
     ("CAT34C02", "catalyst-semiconductor")],
)  # fmt: skip
def test_prefix_names_the_maker(part_number: str, maker_id: str) -> None:
    assert maker_id in {maker.id for maker, _ in load_registry().by_prefix(part_number)}


# Sourced prefixes (maker datasheets cited beside each prefix in the records): the longest
# matching prefix, and only it, names the maker, so no other family collides.
@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [("URB1D12LMD-10WR3", "mornsun"), ("TMA0505S", "traco-power"),
     ("V36SE12004", "delta-electronics"),
     ("Q48SC12042", "delta-electronics"), ("K9F1G08U0D", "samsung-electronics"),
     ("KLMAG1JETD", "samsung-electronics"), ("HY57V561620", "sk-hynix"), ("S29GL256P", "spansion"),
     ("AM29LV008B", "amd"), ("W83627HF", "winbond"), ("IS62WV51216", "issi"),
     ("LMX2541", "national-semiconductor"), ("TVP5150AM1", "texas-instruments"),
     ("REF195", "analog-devices"), ("PE42359", "psemi"), ("NFM21PC104", "murata"),
     ("XC4VFX140", "xilinx"), ("XR16L2550", "exar"), ("5P49V5913", "idt"), ("NINA-B112", "u-blox"),
     ("CH340G", "wch"), ("GS2972", "gennum"), ("PEX8747", "plx-technology"),
     ("THAT2180", "that-corporation"), ("TMC2209", "trinamic"), ("FN2090-6-06", "schaffner"),
     ("MDBT42Q", "raytac")],
)  # fmt: skip
def test_sourced_prefix_is_the_longest_match(part_number: str, maker_id: str) -> None:
    assert longest_prefix_makers(load_registry(), part_number) == [maker_id]


@pytest.mark.parametrize(
    ("name", "maker_id"),
    [("Traco Electronic AG", "traco-power"), ("株式会社斎藤製作所", "saito"),
     ("Komatsu Zenoah Co.", "zenoah")],
)  # fmt: skip
def test_names_resolve(name: str, maker_id: str) -> None:
    maker = load_registry().resolve_name(name)
    assert maker is not None and maker.id == maker_id
