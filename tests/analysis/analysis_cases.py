"""Real-looking documented items for the analysis tests (fictitious sites, serials and mixes).

Part numbers are real products of the named makers; which parts sit in which item, the date
codes, serials and incidents are invented for the tests.
"""

from __future__ import annotations

from pathlib import Path

from armtrace.markings.readings import identify_components
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from sheetdata import write_csv

KHARKIV = {
    "incident_id": "UA-KH-2024-06-01", "incident_date": "2024-06-01", "place": "Kharkiv",
    "country": "UA", "latitude": "49.9935", "longitude": "36.2304",
}  # fmt: skip
ZAPORIZHZHIA = {
    "incident_id": "UA-ZP-2024-03-15", "incident_date": "2024-03-15", "place": "Zaporizhzhia",
    "country": "UA", "latitude": "47.8388", "longitude": "35.1396",
}  # fmt: skip
DONETSK = {
    "incident_id": "UA-DN-2024-02-10", "incident_date": "2024-02-10",
    "place": "front line, Donetsk oblast", "country": "UA",
}  # fmt: skip

# KH-0107: a guidance section; twelve parts from makers in five countries and territories.
GUIDANCE = [
    ("C01", "TPS7A4501 / 2207", "LDO regulator", ""),  # Texas Instruments, US
    ("C02", "TPS7A4501 / 2211", "LDO regulator", ""),
    ("C03", "MAX2769ETI+ / 2301", "GNSS front end", ""),  # Maxim: Analog Devices since 2021
    ("C04", "ADXRS453BRGZ / 2301", "gyroscope", ""),  # Analog Devices, US
    ("C05", "IRF7416PBF / 2233", "MOSFET", ""),  # International Rectifier: Infineon since 2015
    ("C06", "W25Q64JVSIQ / 2231 / TAIWAN", "flash memory", ""),  # Winbond, TW; origin TW
    ("C07", "BSS138 / 2202 / MADE IN MALAYSIA", "MOSFET", ""),  # Infineon, DE; origin MY
    ("C08", "STM32F407VGT6 / GH21V 93 / CHN", "microcontroller", ""),  # ST, CH; origin CN
    ("C09", "ZZQ9999 / 2210", "unknown IC", ""),  # no maker known
    ("C10", "", "unreadable marking (burnt)", ""),
    ("C11", "K9F1G08U0E / 2139", "NAND flash memory", "Samsung Electronics"),  # analyst, KR
    ("C12", "QX-1 / 2105", "connector", "Obscure Widget Works (fictitious)"),  # not in registry
]

# KH-0108: old parts plus one gyroscope marked far later than the rest (remarked or misread).
REMARKED = [
    ("C01", "ADM3202ARNZ / 1915", "RS-232 transceiver", ""),
    ("C02", "LM2596S-5.0 / 1948", "step-down converter", ""),
    ("C03", "ISO7241C / 2020", "digital isolator", ""),
    ("C04", "ISO7241C / 2009", "digital isolator", ""),
    ("C05", "ADXRS453BRGZ / 2420", "gyroscope", ""),
]

# ZP-0031: a drone whose parts carry no date codes.
UNDATED = [
    ("C01", "STM32F405RGT6", "microcontroller", ""),
    ("C02", "SN65HVD230", "CAN transceiver", ""),
]

# ZP-0032: nothing identified.
UNKNOWN = [
    ("C01", "ZZQ9999 / 2210", "unknown IC", ""),
    ("C02", "ZZQ1234", "unknown IC", ""),
]


def item_rows(
    incident: dict[str, str], item: str, parts: list[tuple[str, str, str, str]], **item_fields: str
) -> list[dict[str, str]]:
    """Sheet rows for one item (one empty-marking row when it has no parts)."""
    base = {**incident, "item_id": item, **item_fields}
    if not parts:
        return [base]
    return [
        {**base, "component_id": key, "marking": marking, "description": description,
         "manufacturer": maker}
        for key, marking, description, maker in parts
    ]  # fmt: skip


def case_rows() -> list[dict[str, str]]:
    """Every item of the analysis case."""
    return [
        *item_rows(KHARKIV, "KH-0107", GUIDANCE, item_type="ballistic missile",
                   item_markings="guidance section; serial 107-5531", weapon_system="KN-23"),
        *item_rows(KHARKIV, "KH-0108", REMARKED, item_type="ballistic missile",
                   item_markings="tail section"),
        *item_rows(ZAPORIZHZHIA, "ZP-0031", UNDATED, item_type="one-way attack UAV"),
        *item_rows(ZAPORIZHZHIA, "ZP-0032", UNKNOWN, item_type="one-way attack UAV"),
        *item_rows(DONETSK, "DN-0001", [], item_type="artillery rocket",
                   item_markings="122 9M22U / 04-77 / 1977", weapon_system="BM-21 Grad"),
    ]  # fmt: skip


def load_case(store: Store, tmp_path: Path, rows: list[dict[str, str]] | None = None) -> None:
    """Import rows (default: the whole case) and identify the components."""
    sheet = write_csv(tmp_path / "case.csv", rows if rows is not None else case_rows())
    import_sheet(store, sheet)
    identify_components(store)
