"""Export the store as a component sheet (CSV, JSON Lines or XLSX) that imports back unchanged.

Round trip: every stored field is written, generated component ids are written explicitly, photos
are copied (hash-checked) into a ``<name>.photos/`` folder beside the file and referenced by a
relative path, and an item's own notes travel on an item-only row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from armtrace.errors import ArmtraceError
from armtrace.evidence.files import EvidenceStore
from armtrace.model.sheet import COLUMNS
from armtrace.store import Store, tables

SHEET_FORMATS = (".csv", ".jsonl", ".ndjson", ".xlsx")


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    file: str
    rows: int
    photos: int


def export_sheet(
    store: Store, path: Path, *, on_progress: Callable[[int], None] | None = None
) -> ExportReport:
    """Write every incident, item and component in the store to one component-sheet file."""
    suffix = path.suffix.lower()
    if suffix not in SHEET_FORMATS:
        raise ArmtraceError(
            f"{path}: cannot export to {suffix or 'a file without an extension'}; "
            f"component sheets are {', '.join(SHEET_FORMATS)}"
        )
    photos = _PhotoFolder(store.evidence, path)
    rows = 0
    with _SheetWriter(path) as write:
        for record in _sheet_rows(store, photos):
            write(record)
            rows += 1
            if on_progress and rows % 50_000 == 0:
                on_progress(rows)
    return ExportReport(file=str(path), rows=rows, photos=photos.count)


def _sheet_rows(store: Store, photos: _PhotoFolder) -> Iterator[dict[str, Any]]:
    inc, it, comp = tables.incidents, tables.items, tables.components
    query = (
        select(
            inc.c.key.label("incident_id"),
            inc.c.incident_date,
            inc.c.place,
            inc.c.country,
            inc.c.latitude,
            inc.c.longitude,
            inc.c.exercise,
            it.c.key.label("item_id"),
            it.c.item_type,
            it.c.item_markings,
            it.c.weapon_system,
            it.c.notes.label("item_notes"),
            comp.c.key.label("component_id"),
            comp.c.marking,
            comp.c.description,
            comp.c.manufacturer,
            comp.c.photo,
            comp.c.photo_sha256,
            comp.c.notes,
        )
        .select_from(it.join(inc, inc.c.id == it.c.incident_id).outerjoin(comp))
        .order_by(it.c.id, comp.c.id)
    )
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(query)
        last_item = None
        for r in result.mappings():
            base = {
                "incident_id": r["incident_id"],
                "incident_date": r["incident_date"].isoformat() if r["incident_date"] else None,
                "place": r["place"],
                "country": r["country"],
                "latitude": _number(r["latitude"]),
                "longitude": _number(r["longitude"]),
                "item_id": r["item_id"],
                "item_type": r["item_type"],
                "item_markings": r["item_markings"],
                "weapon_system": r["weapon_system"],
                "exercise": "yes" if r["exercise"] else None,
            }
            first_of_item = r["item_id"] != last_item
            last_item = r["item_id"]
            if r["component_id"] is None:
                yield {**base, "notes": r["item_notes"]}
                continue
            if first_of_item and r["item_notes"]:
                yield {**base, "notes": r["item_notes"]}
            photo = r["photo"]
            if r["photo_sha256"]:
                photo = photos.place(r["photo_sha256"], r["photo"])
            yield {
                **base,
                "component_id": r["component_id"],
                "marking": r["marking"],
                "description": r["description"],
                "manufacturer": r["manufacturer"],
                "photo": photo,
                "notes": r["notes"],
            }


def _number(value: float | None) -> str | None:
    return None if value is None else repr(value)


class _PhotoFolder:
    """Copies each exported photo once into ``<name>.photos/`` and names it relatively."""

    def __init__(self, evidence: EvidenceStore, target: Path) -> None:
        self.evidence = evidence
        self.folder = target.with_name(target.name + ".photos")
        self.placed: dict[str, str] = {}
        self.count = 0

    def place(self, sha256: str, original: str | None) -> str:
        if sha256 in self.placed:
            return self.placed[sha256]
        suffix = Path(original or "").suffix.lower()[:8]
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{sha256}{suffix}"
        if not target.exists():
            self.evidence.copy_to(sha256, target)
            self.count += 1
        relative = f"{self.folder.name}/{target.name}"
        self.placed[sha256] = relative
        return relative


class _SheetWriter:
    """A context manager yielding ``write(record)`` for the file's format."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.suffix = path.suffix.lower()

    def __enter__(self) -> Callable[[dict[str, Any]], None]:
        if self.suffix == ".xlsx":
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            self.book = Workbook(write_only=True)
            sheet = self.book.create_sheet("components")
            sheet.append(list(COLUMNS))

            def write_xlsx(rec: dict[str, Any]) -> None:
                values = [rec.get(c) for c in COLUMNS]
                for column, value in zip(COLUMNS, values, strict=True):
                    # XLSX cannot hold control characters; dropping them would change the
                    # record, so say which cell holds one and which formats can.
                    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                        raise ArmtraceError(
                            f"{column} of item {rec.get('item_id')!r} component "
                            f"{rec.get('component_id')!r} holds a control character that XLSX "
                            "cannot store: export as .csv or .jsonl instead"
                        )
                # openpyxl stores text that starts with "=" as a formula, which a spreadsheet
                # would run on opening (a marking or note typed as "=HYPERLINK(...)"): write such
                # text as a text cell, so the file holds what the store holds and runs nothing.
                cells: list[object] = []
                for value in values:
                    if isinstance(value, str) and value.startswith("="):
                        cell = WriteOnlyCell(sheet, value=value)
                        cell.data_type = "s"
                        cells.append(cell)
                    else:
                        cells.append(value)
                sheet.append(cells)

            return write_xlsx
        self.handle = self.path.open("w", encoding="utf-8", newline="")
        if self.suffix == ".csv":
            writer = csv.writer(self.handle)
            writer.writerow(COLUMNS)
            return lambda rec: writer.writerow([rec.get(c) or "" for c in COLUMNS])
        handle = self.handle

        def write_json(rec: dict[str, Any]) -> None:
            compact = {c: rec[c] for c in COLUMNS if rec.get(c) is not None}
            handle.write(json.dumps(compact, ensure_ascii=False) + "\n")

        return write_json

    def __exit__(self, *exc: object) -> None:
        if self.suffix == ".xlsx":
            self.book.save(self.path)
        else:
            self.handle.close()
