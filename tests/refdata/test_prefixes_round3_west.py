"""Third round of sourced part-number prefixes for the big American and European makers (issue 3).

Each part number below appears in the document cited beside its prefix in the record. The
longest matching prefix must name the maker, so a later prefix that swallows one of these families
fails here instead of silently changing identification. The second test pins the neighbours the
new prefixes were kept long (or narrowed) to avoid.
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify
from armtrace.refdata import load_registry


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("ADIS16470", "analog-devices"),
        ("ADIS16507", "analog-devices"),
        ("MPF300TS-1FCG1152I", "microchip"),
        ("SST26VF064B", "microchip"),
        ("AT32UC3A0512", "atmel"),
        ("AT32UC3B0256", "atmel"),
        ("MPC5644A", "freescale"),
        ("SIR472DP", "vishay"),
        ("SIR178DP", "vishay"),
        ("VEMT3700F", "vishay"),
        ("VEMT4700", "vishay"),
        ("XMC1100", "infineon"),
        ("XMC4200", "infineon"),
        ("AM3358", "texas-instruments"),
        ("AM3359", "texas-instruments"),
        ("NTD5867NL", "onsemi"),
        ("NTD5862N", "onsemi"),
        ("MC33771B", "nxp"),
        ("MC33772", "nxp"),
        ("STGW30H60DFB", "stmicroelectronics"),
        ("STGW30NC120HD", "stmicroelectronics"),
        ("BGT24MTR11", "infineon"),
        ("BGT24ATR11", "infineon"),
        ("SAK-TC375SB-128F200W", "infineon"),
        ("IPP60R099CP", "infineon"),
        ("LMK04832", "texas-instruments"),
        ("LMK04828", "texas-instruments"),
        ("NVMFS5C410N", "onsemi"),
        ("SE050", "nxp"),
        ("SE051", "nxp"),
        ("AT91SAM7S256", "atmel"),
        ("VSMY1850", "vishay"),
        ("VSMY3850", "vishay"),
        ("VLMS333", "vishay"),
        ("VLMY333", "vishay"),
        ("STSPIN220", "stmicroelectronics"),
        ("STSPIN240", "stmicroelectronics"),
        ("CYW20735B1", "infineon"),
        ("CYW43022CUB", "infineon"),
        ("MC13892CJVL", "freescale"),
        ("MC13783", "freescale"),
        ("MC13234", "freescale"),
        ("AR0230CS", "onsemi"),
        ("AR0330CM", "onsemi"),
        ("AR0833", "onsemi"),
        ("STL140N6F7", "stmicroelectronics"),
    ],
)
def test_sourced_family_names_its_maker(part_number: str, maker_id: str) -> None:
    result = identify(part_number, registry=load_registry())
    assert result.manufacturer is not None, part_number
    assert result.manufacturer.id == maker_id


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        # MPF300 is kept long: MP and MPQ stay Monolithic Power's
        ("MP1584", "monolithic-power-systems"),
        ("MPQ4420", "monolithic-power-systems"),
        # SST26 is Microchip's, but the older SST25 flash stays with SST
        ("SST25VF016B", "silicon-storage-technology"),
        # MC3377 is NXP's; the rest of the Motorola MC numbers stay with onsemi
        ("MC34063", "onsemi"),
        # SIR must not take over the rest of the Vishay Siliconix SI numbers
        ("SI2302", "siliconix"),
        # CYW is Infineon's, while the older CY7C and CY8C parts stay Cypress's
        ("CY8C4245", "cypress"),
        ("CY7C68013A", "cypress"),
    ],
)
def test_neighbouring_families_keep_their_maker(part_number: str, maker_id: str) -> None:
    result = identify(part_number, registry=load_registry())
    assert result.manufacturer is not None, part_number
    assert result.manufacturer.id == maker_id


def test_atmel_no_longer_claims_every_at32_number() -> None:
    # Atmel's prefix was narrowed from AT32 to its AVR32 UC3 parts, so an AT32F number is not
    # named Atmel any more.
    result = identify("AT32F403", registry=load_registry())
    assert result.manufacturer is None or result.manufacturer.id != "atmel"
