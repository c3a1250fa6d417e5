"""Part-number prefixes sourced for American and European makers that had none (issue 3).

Each part number below appears in the document cited beside its prefix in the record. The longest
matching prefix, and only it, must name the maker: a later prefix added for another maker that
swallows one of these families fails here instead of silently changing identification.
"""

from __future__ import annotations

import pytest

from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("MS5611-01BA03", "measurement-specialties"), ("MR25H40MDF", "everspin"),
        ("MR4A16BCMA35", "everspin"), ("SIT5156AI-FK-33E0", "sitime"), ("OV7670", "omnivision"),
        ("SPH0645LM4H-B", "knowles"), ("VSC8164", "vitesse"), ("KX022-1020", "kionix"),
        ("AR9331", "atheros"), ("PI6C182H", "pericom"), ("GSC3", "sirf"),
        ("XB24-BUIT-004", "digi-international"), ("XBP24-BPIT-004", "digi-international"),
        ("GS61008P", "gan-systems"), ("GS66508P-E05", "gan-systems"), ("A54SX32A", "actel"),
        ("X9C103PZ", "xicor"), ("RF3166", "rfmd"), ("ALT6526", "anadigics"),
        ("HFA1112IP", "intersil"), ("FTSH-107-01-L-DV-K", "samtec"),
        ("ZL30105QDG", "zarlink"), ("MXL5007T", "maxlinear"), ("EM7655", "sierra-wireless"),
        ("AR7592", "sierra-wireless"), ("WG82574L", "intel"), ("AC7T750", "achronix"),
        ("MC68HC705J1A", "motorola-semiconductor"), ("DSP-1760", "kvh-industries"),
        ("SRDB-10E330", "bel-fuse"), ("LSI53C810A", "lsi"), ("EMMC04G-M627", "kingston"),
        ("OEMV-3", "novatel"),
        ("HAL815UT-K", "micronas"), ("STIM300", "sensonor"), ("MTI-3-8A7G6", "xsens"),
        ("SKM400GA128D", "semikron"), ("XS1-L16A-128-QF124", "xmos"),
        ("BC417143B-IQN-E4", "csr"), ("B57164K0103J000", "epcos"), ("FGG.1K.302", "lemo"),
        ("M80-0030006", "harwin"), ("MOSAIC-X5", "septentrio"), ("EM4100", "em-microelectronic"),
        ("EV76C560", "e2v"), ("LS14500", "saft"), ("OPB818", "tt-electronics"),
        ("BE-M1000", "baikal-electronics"), ("SCN2681AC1N24", "philips-semiconductors"),
        ("MT27708A0-FDCF-CE", "mellanox"), ("TLM-1520", "tadiran-batteries"),
    ],
)  # fmt: skip
def test_sourced_prefix_is_the_longest_match(part_number: str, maker_id: str) -> None:
    assert longest_prefix_makers(load_registry(), part_number) == [maker_id]


@pytest.mark.parametrize(
    ("part_number", "other_maker_id"),
    # Families that sit under another maker's shorter prefix keep that maker for its own parts.
    [("MC7805", "onsemi"), ("MT29F4G08", "micron"), ("TL431", "texas-instruments"),
     ("SI7021", "silicon-labs")],
)  # fmt: skip
def test_shorter_prefix_still_names_its_own_maker(part_number: str, other_maker_id: str) -> None:
    assert other_maker_id in longest_prefix_makers(load_registry(), part_number)
