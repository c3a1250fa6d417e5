"""Second round of sourced part-number prefixes: Asian makers and makers added in additions.yaml.

Each part number is an example named in the source cited beside the prefix in
src/armtrace/refdata/data/manufacturers/asia.yaml or additions.yaml. The longest matching prefix,
and only it, must name the maker, and identify() must give the same answer, so a later prefix from
another maker cannot silently take these parts over. Several of these parts used to fall to a
shorter prefix of another maker (KDS DSX crystals to Dallas/Maxim's DS, Sonix SN8F MCUs to TI's SN,
the GateMate CCGM FPGA to TI's CC, MediaTek's MT7601U to Micron's MT, Goertek's SPL06 to Exar's SP).
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify
from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("S13360-3025CS", "hamamatsu"), ("S13360-3075CS", "hamamatsu"),
        ("S14160-6050HS", "hamamatsu"), ("S5971", "hamamatsu"), ("S5973", "hamamatsu"),
        ("C12880MA", "hamamatsu"), ("C12666MA", "hamamatsu"),
        ("PMS150C", "padauk"), ("PMS154C", "padauk"), ("PMS171B", "padauk"),
        ("PMC150", "padauk"), ("PFS122", "padauk"), ("PFS154", "padauk"), ("PFS173", "padauk"),
        ("KC2520Z", "kyocera"), ("KT2520K-T", "kyocera"),
        ("DSX321G", "kds"), ("SN8F5702", "sonix"), ("SN8F5829", "sonix"),
        ("AMS1117CS-3.3", "advanced-monolithic-systems"),
        ("AMS1117-3.3", "advanced-monolithic-systems"), ("AMS4155", "advanced-monolithic-systems"),
        ("CCGM1A1", "cologne-chip"), ("CCGM1A2", "cologne-chip"),
        ("XPT2046", "xptek"), ("XPT2046QF", "xptek"),
        ("QMC5883L", "qst"), ("QMC5883P", "qst"), ("QMI8658", "qst"),
        ("MT7601U", "mediatek"), ("SPL06-001", "goertek"),
        ("CH32V003F4P6", "wch"), ("CH32V307", "wch"), ("EG25-G", "quectel"), ("EG95-E", "quectel"),
        ("BL0940", "shanghai-belling"), ("BL0942", "shanghai-belling"),
        ("BL6523GX", "shanghai-belling"), ("UC6228CI", "unicore"),
    ],
)  # fmt: skip
def test_cited_part_is_named_by_its_maker(part_number: str, maker_id: str) -> None:
    registry = load_registry()
    assert longest_prefix_makers(registry, part_number) == [maker_id]
    found = identify(part_number, registry=registry).manufacturer
    assert found is not None and found.id == maker_id


@pytest.mark.parametrize(
    ("maker_id", "country"),
    [("advanced-monolithic-systems", "US"), ("cologne-chip", "DE"), ("xptek", "CN"), ("qst", "CN")],
)
def test_added_maker_keeps_its_sourced_headquarters(maker_id: str, country: str) -> None:
    record = load_registry().get(maker_id)
    assert record.country == country
    assert record.file == "additions.yaml"


@pytest.mark.parametrize(
    ("name", "maker_id"),
    [
        ("Advanced Monolithic Systems", "advanced-monolithic-systems"),
        ("Cologne Chip", "cologne-chip"), ("CologneChip", "cologne-chip"),
        ("XPTEK", "xptek"), ("Shanghai Quality Sensor Technology", "qst"),
    ],
)  # fmt: skip
def test_added_maker_resolves_by_name(name: str, maker_id: str) -> None:
    found = load_registry().resolve_name(name)
    assert found is not None and found.id == maker_id


def test_ams_alone_still_names_ams_osram() -> None:
    # Only the AMS1117/AMS4155 families moved; the short name "AMS" keeps meaning ams-OSRAM.
    found = load_registry().resolve_name("AMS")
    assert found is not None and found.id != "advanced-monolithic-systems"


def test_micron_keeps_its_memory_parts() -> None:
    # MT76 moved to MediaTek; Micron's own MT29F NAND and bare-MT parts still name Micron.
    registry = load_registry()
    assert registry.by_prefix("MT29F4G08ABADAWP")[0][0].id == "micron"
    assert registry.by_prefix("MT53E512M32D2")[0][0].id == "micron"
