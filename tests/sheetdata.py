"""Small real-looking component sheets for the importer tests."""

from __future__ import annotations

import csv
from pathlib import Path

from armtrace.model.sheet import COLUMNS

KHARKIV = {
    "incident_id": "UA-KH-2024-01-02",
    "incident_date": "2024-01-02",
    "place": "Kharkiv",
    "country": "UA",
    "latitude": "49.9935",
    "longitude": "36.2304",
    "item_id": "KH-0001",
    "item_type": "ballistic missile",
    "item_markings": "guidance section",
}

PARTS = [
    ("C1", "ADM3202 ARNZ / #2135", "RS-232 transceiver"),
    ("C2", "STM32F407\nVGT6\nGH21V 93", "microcontroller"),
    ("C3", "MAX2769 (MAX2769ETI+)", "GNSS front end"),
    ("C4", "TPS7A4501 / 2207", "LDO regulator"),
]


def rows(**changes: str) -> list[dict[str, str]]:
    """The four-component Kharkiv item, with optional changes to every row."""
    return [
        {**KHARKIV, "component_id": key, "marking": marking, "description": desc, **changes}
        for key, marking, desc in PARTS
    ]


def write_csv(path: Path, records: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    """Write records as a component-sheet CSV with the given (default: all) columns."""
    names = columns or list(COLUMNS)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            writer.writerow({c: record.get(c, "") for c in names})
    return path
