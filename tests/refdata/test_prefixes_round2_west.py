"""Second round of sourced part-number prefixes for American and European makers (issue 3).

Each part number below appears in the document cited beside its prefix in the record. The longest
matching prefix, and only it, must name the maker, so a later prefix that swallows one of these
families fails here instead of silently changing identification. The second test pins the
neighbouring families the new prefixes were kept long to avoid.
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify
from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("Z84C0010PEG", "zilog"), ("Z84C20", "zilog"), ("Z86E43", "zilog"), ("Z8F6421", "zilog"),
        ("EZ80F91", "zilog"), ("M29W320DB", "stmicroelectronics"),
        ("M29W400BB", "stmicroelectronics"), ("M29F400BT", "stmicroelectronics"),
        ("L3GD20H", "stmicroelectronics"), ("L3G4200D", "stmicroelectronics"),
        ("LPS25HB", "stmicroelectronics"), ("PL450B", "osram"), ("PLT5510", "osram"),
        ("PLTB450B", "osram"), ("PLPM4450", "osram"), ("PE-65793", "pulse-electronics"),
        ("PE-64995NL", "pulse-electronics"), ("PE-68646", "pulse-electronics"),
        ("SMM-120-02-L-D", "samtec"), ("TMM-120-01-L-D-SM-A", "samtec"),
        ("MAAM-011194", "macom"), ("CGH55030F1", "wolfspeed"),
        ("CGH21240F", "wolfspeed"), ("MRF8S9120N", "freescale"), ("MRFE6VP61K25H", "freescale"),
        ("HMC5883L", "honeywell"), ("AFS600", "actel"), ("A500K130", "actel"),
        ("A1280A", "actel"), ("MPFS095T-FCSG325E", "microchip"), ("EVA-M8M-0-10", "u-blox"),
        ("LC4256ZC-45T100C", "lattice"), ("LC4032V-75TN48C", "lattice"),
        ("QPC1022", "qorvo"), ("QPD1009", "qorvo"),
        ("XCZU4EG", "xilinx"), ("XCZU19EG-2FFVC1760I", "xilinx"), ("10AX115S2F45I1SG", "altera"),
        ("1SG280LU2F50E2VG", "intel"), ("1SM21BHU2F53E1VG", "intel"), ("1ST110EN2F43I2VG", "intel"),
        ("1SD110PJ2F43E2VG", "intel"), ("A2F500", "actel"), ("RTPF500T", "microchip"),
        ("AT28C256", "atmel"), ("AT28HC256", "atmel"), ("MPXA6115A", "freescale"),
        ("MMA8653FC", "freescale"),
        ("LFE3-17EA-6FN484I", "lattice"), ("HSCDRNT1.6BASA5", "honeywell"),
        ("HSCSANN150PA4A5", "honeywell"), ("RSCMRRM005NGSE3", "honeywell"),
        ("V48A12T500BL2", "vicor"), ("V048F060T040", "vicor"), ("B048F160T24", "vicor"),
        ("VT048A480T006FP", "vicor"), ("PR036A480T012FP", "vicor"), ("DCM4623", "vicor"),
        ("AGL060V2-CS121I", "actel"), ("AGLE600V2-FGG256", "actel"),
        ("M2S060TS-1FGG676T2", "microsemi"),
        ("SPC560B50L5", "stmicroelectronics"), ("SE2433T", "sige-semiconductor"),
        ("IXTA75N10P", "ixys"), ("IXTP1N120P", "ixys"), ("IXTH40N50L2", "ixys"),
        ("IXFH11N80", "ixys"), ("IXST35N120B", "ixys"), ("IXYH50N65C3H1", "ixys"),
        ("APT56M50B2", "microsemi"), ("APT75F50B2", "microsemi"),
        ("TCP-2-10", "mini-circuits"), ("ZFRS-2050+", "mini-circuits"),
    ],
)  # fmt: skip
def test_round2_prefix_is_the_longest_match(part_number: str, maker_id: str) -> None:
    assert longest_prefix_makers(load_registry(), part_number) == [maker_id]


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    # Hittite's HMC parts keep HMC beside Honeywell's HMC5883; ST's other L-parts and
    # Microsemi-era ProASIC3 stay with their makers.
    [("HMC681LP5", "hittite"), ("HMC1020LP4E", "hittite"), ("L7805", "stmicroelectronics"),
     ("A3P250-PQG208", "microsemi"), ("A54SX32A", "actel")],
)  # fmt: skip
def test_neighbouring_family_keeps_its_maker(part_number: str, maker_id: str) -> None:
    assert maker_id in longest_prefix_makers(load_registry(), part_number)


def test_identify_names_the_maker_of_a_round2_part() -> None:
    found = identify("M29W320DB", registry=load_registry())
    assert found.manufacturer is not None and found.manufacturer.id == "stmicroelectronics"
