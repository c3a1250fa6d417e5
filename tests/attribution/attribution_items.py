"""Real-looking documented items for the attribution tests (real part numbers, invented sites)."""

from __future__ import annotations

from pathlib import Path

from armtrace.settings import load_settings  # noqa: F401 - re-exported for tests
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from sheetdata import write_csv

EXERCISE = Path(__file__).resolve().parents[2] / "src/armtrace/demo/data/exercise_case.csv"

# Parts reported in guidance sections of recovered missiles (real products; dates invented).
MISSILE = [
    "ADXRS453BRGZ / 2151", "MAX2769ETI+ / 2203", "TMS320F28335 / 2044", "XC7A35T / 2112",
    "ADSP-BF592KCPZ / 2131", "AD7606BSTZ / 2205", "LTC2950IDDB-1", "ISO7241C / 2109",
    "ADUM1201ARZ / 2141", "DS3231SN / 2218", "MT41K256M16TW-107 / 2126", "EP4CE10E22C8N / 2039",
]  # fmt: skip
# Parts reported in one-way attack UAVs' flight controllers (real products; dates invented).
UAV = [
    "STM32F405RGT6 / 2137", "MPU-6000 / 2104", "ICM-20602 / 2146", "LIS3MDL / 2203",
    "NEO-M8N / 2129", "W25Q64JVSSIQ / 2211", "CP2102 / 2122", "TJA1050T / 2135",
    "SI8642BB-B-IS1 / 2148", "ACS712ELCTR-20A-T / 2207", "IRFR3708 / 2118", "AMS1117-3.3",
]  # fmt: skip


def item(
    key: str,
    markings: list[str],
    *,
    system: str = "",
    item_type: str = "ballistic missile",
    item_markings: str = "",
    incident: str | None = None,
    date: str = "2024-01-02",
    place: str = "Kharkiv",
) -> list[dict[str, str]]:
    """Sheet rows for one item: one row per component marking (one bare row when none)."""
    base = {
        "incident_id": incident or f"UA-{key}", "incident_date": date, "place": place,
        "country": "UA", "item_id": key, "item_type": item_type, "item_markings": item_markings,
        "weapon_system": system,
    }  # fmt: skip
    if not markings:
        return [base]
    return [{**base, "component_id": f"C{n}", "marking": m} for n, m in enumerate(markings, 1)]


def load(store: Store, tmp_path: Path, *items: list[dict[str, str]], name: str = "s.csv") -> None:
    """Import the items as one sheet."""
    rows = [row for rows in items for row in rows]
    import_sheet(store, write_csv(tmp_path / name, rows))


def load_exercise(store: Store) -> None:
    """Import the bundled exercise case."""
    import_sheet(store, EXERCISE, exercise=True)
