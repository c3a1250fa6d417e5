"""Maker evidence from ordering-code suffixes, family names and misspelt maker names.

Examples are the makers' own published markings and ordering codes (cited in
refdata/data/marking_conventions.yaml), not rows of the marking test set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from armtrace.errors import ReferenceDataError
from armtrace.markings.conventions import (
    family_evidence,
    fuzzy_name_evidence,
    load_conventions,
    misspelt_maker,
    suffix_evidence,
)
from armtrace.markings.features import Evidence
from armtrace.markings.identify import identify
from armtrace.markings.parse import parse_marking
from armtrace.refdata import load_registry
from armtrace.refdata.manufacturers import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def _makers(evidence: list[Evidence]) -> set[str]:
    return {e.maker_id for e in evidence}


def test_bundled_conventions_load_with_sources() -> None:
    conventions = load_conventions()
    assert {c.maker_id for c in conventions.suffixes} >= {"microchip", "analog-devices"}
    assert all(c.sources for c in conventions.suffixes)
    assert all(f.sources for f in conventions.families)


def test_microchip_grade_and_package_on_the_next_line_names_microchip(registry: Registry) -> None:
    # Microchip's own PDIP marking example for the 23K640 SRAM (no maker prefix printed).
    result = identify("23K640 / I/P 1L7 / 0528", registry=registry)
    assert result.manufacturer is not None and result.manufacturer.id == "microchip"
    assert any(e.feature == "convention" for e in result.candidates[0].evidence)


@pytest.mark.parametrize("marking", ["24LC64 I/SN0528", "MCP6041 I/P256", "MCP1403 E/MF"])
def test_microchip_slash_forms_from_its_data_sheets(registry: Registry, marking: str) -> None:
    assert _makers(suffix_evidence(parse_marking(marking), registry)) == {"microchip"}


def test_microchip_suffix_glued_to_the_part_number(registry: Registry) -> None:
    found = suffix_evidence(parse_marking("PIC16F1823-I/SL"), registry)
    assert _makers(found) == {"microchip"}


@pytest.mark.parametrize("marking", ["I/P voltage 12V", "5V I/O", "Input I/P 1234"])
def test_slash_without_a_part_number_before_it_names_no_one(
    registry: Registry, marking: str
) -> None:
    assert suffix_evidence(parse_marking(marking), registry) == []


def test_analog_devices_rohs_suffix_after_a_bare_number(registry: Registry) -> None:
    result = identify("8556 ACPZ / #1417", registry=registry)
    assert result.manufacturer is not None and result.manufacturer.id == "analog-devices"


@pytest.mark.parametrize("marking", ["AD648KRZ", "ADM1024ARUZ-REEL", "AD8546 ARMZ"])
def test_analog_devices_ordering_codes(registry: Registry, marking: str) -> None:
    assert "analog-devices" in _makers(suffix_evidence(parse_marking(marking), registry))


@pytest.mark.parametrize("marking", ["6545 CBZ", "8105 IRZ", "1234 XYZ"])
def test_other_makers_z_codes_are_not_taken_for_analog_devices(
    registry: Registry, marking: str
) -> None:
    # Renesas/Intersil Pb-free codes also end in Z, after a C or I temperature letter.
    assert suffix_evidence(parse_marking(marking), registry) == []


def test_family_trademark_in_a_description_names_its_maker(registry: Registry) -> None:
    found = family_evidence(parse_marking("OptiMOS 5 Power-Transistor 0403NS"), registry)
    assert _makers(found) == {"infineon"}
    assert _makers(family_evidence(parse_marking("CoolMOS C7 MOSFET"), registry)) == {"infineon"}


def test_registry_family_prefix_typed_as_a_word(registry: Registry) -> None:
    found = family_evidence(parse_marking("ATtiny microcontroller 85-20SU"), registry)
    assert _makers(found) == {"atmel"}


def test_family_word_alone_answers_but_a_full_part_number_is_prefix_evidence(
    registry: Registry,
) -> None:
    result = identify("ATmega", registry=registry)
    assert result.manufacturer is not None and result.manufacturer.id == "atmel"
    assert family_evidence(parse_marking("ATMEGA328P-AU"), registry) == []


def test_short_family_words_are_not_read_as_families(registry: Registry) -> None:
    # "VIPER" is an ST prefix but also a word; five letters are too few to trust alone.
    assert family_evidence(parse_marking("Viper drone camera"), registry) == []


def test_misspelt_maker_name(registry: Registry) -> None:
    assert misspelt_maker(registry, "Infineom") == "infineon"
    found = fuzzy_name_evidence(parse_marking("Infineom power switch"), registry)
    assert _makers(found) == {"infineon"}
    assert found[0].feature == "name" and found[0].strength < 0.9


@pytest.mark.parametrize(
    "word",
    # "інтегральна" (Ukrainian "integrated") transliterates to the name "Integral" plus an ending.
    ["Infineon", "Amplifier", "Regulator", "Microchip", "Infxxxon", "інтегральна", "Integrals"],
)
def test_correct_generic_or_distant_words_are_not_misspellings(
    registry: Registry, word: str
) -> None:
    assert misspelt_maker(registry, word) is None


def test_a_convention_without_a_source_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "conventions.yaml"
    bad.write_text(
        "suffixes:\n- id: x\n  maker: microchip\n  stem: 'A'\n  suffix: 'B'\n"
        "  strength: 0.5\n  explains: x\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="source"):
        load_conventions(bad)


def test_a_family_without_a_source_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "conventions.yaml"
    bad.write_text("families:\n- name: Foo\n  maker: infineon\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="source"):
        load_conventions(bad)
