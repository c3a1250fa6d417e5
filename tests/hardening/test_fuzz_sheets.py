"""Property-based fuzzing of the sheet importer: random bytes and hostile rows, in every format.

What must hold for every input: ``import_sheet`` returns a report or raises an ArmtraceError
(never anything else), within the deadline, and a rejected import leaves the store as it was.
"""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from armtrace.errors import ArmtraceError, ImportRejected
from armtrace.model.sheet import COLUMNS
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from hardening.fuzzing import fuzz_settings, hostile_text, tried
from hardening.stores import everything

FORMATS = ("csv", "jsonl", "xlsx")
VALID = {
    "incident_id": st.sampled_from(["UA-KH-1", "UA-KH-2"]),
    "incident_date": st.sampled_from(["2024-01-02", "2024-02-30", "", "yesterday"]),
    "country": st.sampled_from(["UA", "ua", "XX", ""]),
    "latitude": st.sampled_from(["49.99", "91", "nan", "", "1e400"]),
    "longitude": st.sampled_from(["36.23", "-181", "inf", ""]),
    "item_id": st.sampled_from(["KH-1", "KH-2", ""]),
    "component_id": st.sampled_from(["C1", "C2", "C3", ""]),
    "marking": st.sampled_from(["STM32F407 / VGT6 / GH21V 93", "ADM3202 ARNZ / #2135", ""]),
    "photo": st.sampled_from(["", "missing.jpg", "../../etc/passwd", "http://example.org/x.jpg"]),
    "exercise": st.sampled_from(["yes", "no", "", "maybe"]),
}
cell = st.one_of(st.none(), hostile_text)
record = st.fixed_dictionaries({name: st.one_of(VALID.get(name, cell), cell) for name in COLUMNS})
records = st.lists(record, min_size=0, max_size=6)


def write(path: Path, rows: list[dict[str, Any]], fmt: str) -> Path:
    """Write rows in a format the way a careless or hostile tool might."""
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="", errors="surrogatepass") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(COLUMNS))
        for row in rows:
            # openpyxl refuses control characters outright; a real XLSX cannot hold them either.
            sheet.append([_xlsx_cell(row[c]) for c in COLUMNS])
        book.save(path)
    return path


def _xlsx_cell(value: str | None) -> str | None:
    return None if value is None else ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]


def _import_holds(store: Store, path: Path, name: str) -> None:
    tried(name)
    before = everything(store)
    try:
        import_sheet(store, path, actor="fuzz")
    except ArmtraceError:
        assert everything(store) == before, "a rejected import must leave the store unchanged"
        return
    # Accepted: importing the same file again changes nothing.
    again = everything(store)
    import_sheet(store, path, actor="fuzz")
    assert {k: v for k, v in everything(store).items() if k not in ("imports", "audit_log")} == {
        k: v for k, v in again.items() if k not in ("imports", "audit_log")
    }


@fuzz_settings(0.25)
@given(st.binary(max_size=4000), st.sampled_from(FORMATS))
def test_random_bytes(store: Store, tmp_path: Path, data: bytes, fmt: str) -> None:
    path = tmp_path / f"{uuid.uuid4().hex}.{fmt}"
    path.write_bytes(data)
    _import_holds(store, path, f"sheets.random_bytes.{fmt}")


@fuzz_settings(0.25)
@given(records, st.sampled_from(FORMATS))
def test_hostile_rows(store: Store, tmp_path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    path = write(tmp_path / f"{uuid.uuid4().hex}.{fmt}", rows, fmt)
    _import_holds(store, path, f"sheets.hostile_rows.{fmt}")


@fuzz_settings(0.1)
@given(st.binary(min_size=1, max_size=2000), st.integers(0, 10_000))
# Found in CI: a NUL in the workbook's parts left openpyxl with no worksheet (IndexError).
@example(junk=b"\x00", offset=4687)
def test_damaged_xlsx(store: Store, tmp_path: Path, junk: bytes, offset: int) -> None:
    # A real workbook with bytes overwritten somewhere: zip and XML damage, not just noise.
    good = write(tmp_path / f"{uuid.uuid4().hex}.xlsx", [dict.fromkeys(COLUMNS, "x")], "xlsx")
    data = bytearray(good.read_bytes())
    at = offset % len(data)
    data[at : at + len(junk)] = junk
    good.write_bytes(bytes(data))
    _import_holds(store, good, "sheets.damaged_xlsx")


def test_overlong_photo_name_is_a_row_error(store: Store, tmp_path: Path) -> None:
    # Found by the fuzzer: a 256-character photo cell made the file system raise OSError
    # (name too long), which escaped the importer instead of becoming a row error.
    row = dict.fromkeys(COLUMNS, "")
    row |= {"incident_id": "UA-KH-1", "item_id": "KH-1", "photo": "A" * 256}
    with pytest.raises(ImportRejected, match="photo"):
        import_sheet(store, write(tmp_path / "long.csv", [row], "csv"))
    assert store.counts()["components"] == 0
