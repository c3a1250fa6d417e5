"""Sourced part-number prefixes for Asian makers that had none (issue 3).

Each part number is an example named in the source cited beside the prefix in
src/armtrace/refdata/data/manufacturers/asia.yaml; the longest matching prefix, and only it,
must name the maker, so a later prefix from another maker cannot silently take these parts over.
"""

from __future__ import annotations

import pytest

from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("GW1NR-LV9QN88PC6", "gowin"), ("GW2A-18", "gowin"), ("TLSR8258F512", "telink"),
        ("BL602", "bouffalo-lab"), ("BL706", "bouffalo-lab"), ("MM32F3273", "mindmotion"),
        ("N32G455", "nations-technologies"), ("IP5306", "injoinic"), ("XT25F128B", "xtx"),
        ("XT26G01A", "xtx"), ("ZB25VQ128", "zbit"), ("XT60", "amass"), ("E22-900T30D", "ebyte"),
        ("E220-400M22S", "ebyte"), ("UM980", "unicore"), ("EMW3080", "mxchip"),
        ("ATGM336H", "zkwx"), ("GT911", "goodix"), ("NSI8120", "novosense"),
        ("LS2K1000", "loongson"), ("JZ4780", "ingenic"), ("FU6812", "fortior"),
        ("NCE7560K", "nce-power"), ("HF115F", "hongfa"), ("HFD2", "hongfa"),
        ("EG4S20BG256", "anlogic"), ("GC2145", "galaxycore"), ("GC0308", "galaxycore"),
        ("AC6965A", "jieli"), ("DS-2TD2167", "hikvision"), ("HM-TD2628", "hikmicro"),
        ("FS-IA6B", "flysky"), ("W806", "winnermicro"), ("TP1562AL1", "3peak"),
        ("TPA1882", "3peak"), ("RA-01", "ai-thinker"), ("AI-WB2-12F", "ai-thinker"),
        ("L850-GL", "fibocom"), ("L860-GL", "fibocom"), ("FM350-GL", "fibocom"),
        ("SWPA4030S4R7MT", "sunlord"), ("MCS7830", "moschip"), ("SVF7N65T", "silan"),
        ("SC9863A", "unisoc"), ("UIS8910DM", "unisoc"), ("RS8552", "runic"), ("RS721P", "runic"),
        ("LMBTH10WT1G", "lrc"), ("FT-2000", "phytium"), ("M88DS3103", "montage-technology"),
        ("DH-SD2AY", "dahua"), ("TPC-SD2241", "dahua"), ("CSA1015", "cdil"),
        ("CSC1815", "cdil"), ("SH68F90A", "sinowealth"), ("HD8020", "allystar"),
        ("HD9310", "allystar"), ("ME906S-158", "huawei"), ("SLM750", "meig"),
        ("SRM825L", "meig"), ("SC2336", "smartsens"), ("SC035GS", "smartsens"),
        ("ATM7029", "actions"), ("FEMDNN016G-58A43", "longsys"), ("CS32G020", "chipsea"),
    ],
)  # fmt: skip
def test_sourced_prefix_is_the_longest_match(part_number: str, maker_id: str) -> None:
    assert longest_prefix_makers(load_registry(), part_number) == [maker_id]
