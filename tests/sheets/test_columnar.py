"""The columnar CSV path and the per-row path give the same store and the same error report.

Each sheet is imported twice into the same (emptied) database, once per path, and everything
analysts see is compared: incidents, items, components, evidence and custody, the import record,
and for a rejected sheet the full list of (file, row, column, reason).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import delete, select

from armtrace.errors import ImportRejected
from armtrace.model.sheet import COLUMNS
from armtrace.settings import load_settings
from armtrace.sheets.importer import fastpath, import_sheet
from armtrace.sheets.importer.columnar import may_hold_blank_lines
from armtrace.store import Store, tables

TODAY = date(2025, 6, 1)
HEADER = ",".join(COLUMNS)


def _line(**cells: str) -> str:
    return ",".join(cells.get(name, "") for name in COLUMNS)


def _row(incident: str = "INC-1", item: str = "IT-1", **cells: str) -> str:
    base = {
        "incident_id": incident,
        "incident_date": "2024-01-02",
        "place": '"Kharkiv, north"',
        "country": "UA",
        "latitude": "49.9935",
        "longitude": "36.2304",
        "item_id": item,
        "item_type": "ballistic missile",
        "exercise": "yes",
    }
    return _line(**{**base, **cells})


def _plain(count: int, item: str = "IT-1", incident: str = "INC-1", start: int = 0) -> list[str]:
    # Generated ids, given ids, multi-line cells, blank-looking cells, non-ASCII text.
    lines = []
    for i in range(start, start + count):
        kind = i % 5
        if kind == 0:
            lines.append(_row(incident, item, marking=f"ADM{i} / #2135", description="RS-232"))
        elif kind == 1:
            lines.append(_row(incident, item, component_id=f"C{i}", marking=f'"STM{i}\nVGT6"'))
        elif kind == 2:
            lines.append(_row(incident, item, marking=f"КТ{i}", manufacturer="\u3000", notes=" "))
        elif kind == 3:
            lines.append(_row(incident, item, component_id=f"K {i}", description='"5"" gauge"'))
        else:
            lines.append(_row(incident, item, marking=f"M{i}", notes="\x1c", manufacturer="TI"))
    return lines


def _sheet(path: Path, lines: list[str], newline: str = "\n", prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + newline.join([HEADER, *lines, ""]).encode("utf-8"))
    return path


def _append(path: Path, data: bytes) -> Path:
    path.write_bytes(path.read_bytes() + data)
    return path


def _snapshot(store: Store) -> dict[str, Any]:
    inc, it, comp = tables.incidents, tables.items, tables.components
    with store.engine.connect() as conn:
        incidents = conn.execute(
            select(*[c for c in inc.c if c.name not in ("id", "created_at")]).order_by(inc.c.key)
        ).all()
        items = conn.execute(
            select(it.c.key, inc.c.key, it.c.item_type, it.c.item_markings, it.c.notes)
            .join(inc, inc.c.id == it.c.incident_id)
            .order_by(it.c.key)
        ).all()
        components = conn.execute(
            select(it.c.key, *[c for c in comp.c if c.name not in ("id", "item_id")])
            .join(it, it.c.id == comp.c.item_id)
            .order_by(it.c.key, comp.c.key)
        ).all()
        evidence = conn.execute(
            select(tables.evidence.c.sha256, tables.evidence.c.original_name)
        ).all()
        custody = conn.execute(
            select(tables.evidence_custody.c.sha256, tables.evidence_custody.c.detail)
        ).all()
        imports = conn.execute(
            select(tables.imports.c.rows, tables.imports.c.components_written)
        ).all()
    return {
        "incidents": incidents,
        "items": items,
        "components": components,
        "evidence": sorted(evidence),
        "custody": sorted(custody, key=str),
        "imports": imports,
    }


def _empty(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in reversed(tables.metadata.sorted_tables):
            conn.execute(delete(table))


def _outcome(store: Store, path: Path, **options: Any) -> Any:
    try:
        report = import_sheet(store, path, actor="tester", today=TODAY, **options)
    except ImportRejected as exc:
        return ("rejected", exc.errors, exc.total_errors)
    return (report.rows, report.incidents, report.items, report.components, report.changed)


def both_paths(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sheets: list[Path],
    **options: Any,
) -> Any:
    """Import the sheets in order on each path; assert identical outcomes and stores."""
    seen = []
    for columnar in (False, True):
        _empty(store)
        monkeypatch.setattr(fastpath, "COLUMNAR", columnar)
        evidence = tmp_path / f"evidence-{columnar}"
        opened = Store.open(load_settings(db=store.settings.db_url, evidence=str(evidence)))
        try:
            outcomes = [_outcome(opened, sheet, **options) for sheet in sheets]
            seen.append((outcomes, _snapshot(opened)))
        finally:
            opened.close()
    assert seen[0] == seen[1]
    return seen[1]


def test_clean_sheet_same_store(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = tmp_path / "photo.png"
    Image.new("RGB", (4, 4), "red").save(photo)
    lines = [
        _line(incident_id="INC-1", item_id="IT-1", notes="item-only row: tail section"),
        *_plain(40),
        _row(marking="with photo", photo="photo.png"),
        *_plain(30, item="IT-2"),
        # A later row fills a cell the first rows left empty; another incident follows.
        _row(item="IT-2", item_markings="9M723", marking="late"),
        *_plain(25, item="IT-2", start=100),
        *_plain(20, item="IT-3", incident="INC-2"),
        _row(item="ІТ-кир", component_id="К-1", marking="non-ASCII keys"),
        _row(item="IT-3", incident="INC-2", component_id="\tTAB", marking="tab in key"),
    ]
    sheet = _sheet(tmp_path / "clean.csv", lines)
    assert not may_hold_blank_lines(sheet), "this sheet must take the columnar path"
    outcomes, snapshot = both_paths(store, tmp_path, monkeypatch, [sheet, sheet], batch_size=16)
    assert len(outcomes[0]) == 5, outcomes[0]
    assert outcomes[0][3] == 119
    assert outcomes[1][4] == 0, "second import changes nothing"
    assert len(snapshot["evidence"]) == 1 and "row 43" in snapshot["custody"][0][1]


def test_components_added_to_stored_items(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _sheet(tmp_path / "a.csv", _plain(12))
    second = _sheet(tmp_path / "b.csv", [*_plain(12), _row(component_id="C99", marking="new")])
    both_paths(store, tmp_path, monkeypatch, [first, second], batch_size=5)


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "bad values": lambda p: _sheet(
        p,
        [
            *_plain(8),
            _row(incident_date="2024-13-01", marking="x"),
            _row(latitude="91", marking="y"),
            _row(latitude="1", longitude="", marking="z"),
            _row(country="Ukraine", marking="w"),
            *_plain(8),
        ],
    ),
    "conflicting incident": lambda p: _sheet(p, [*_plain(6), _row(place="Kyiv", marking="q")]),
    "duplicate ids": lambda p: _sheet(
        p, [*_plain(7), _row(component_id="C1", marking="again"), _row(component_id="#1")]
    ),
    "nul and long cells": lambda p: _sheet(
        p,
        [
            *_plain(6),
            _row(marking="a\x00b"),
            _row(description="d" * 20_001),
            _row(place="p" * 20_001, marking="m"),
            *_plain(6),
        ],
    ),
    "missing ids": lambda p: _sheet(
        p, [*_plain(4), _row(incident=" ", marking="m"), _row(item="")]
    ),
    "blank and comma lines": lambda p: _sheet(
        p, [*_plain(5), "", ",,,,,,,,,,,,,,,,", *_plain(5), ""]
    ),
    "blank lines only": lambda p: _sheet(
        p, [*_plain(5), "", *_plain(5, start=10), ""], newline="\r\n"
    ),
    "wrong width late": lambda p: _sheet(p, [*_plain(40), "a,b,c", *_plain(3)]),
    "not utf-8 late": lambda p: _append(
        _sheet(p, _plain(15_000)), "INC-1,,,,,,IT-1,,,,,Ж,,,,,\n".encode("cp1251")
    ),
    "huge cell": lambda p: _sheet(p, [*_plain(30), _row(marking="x" * 140_000)]),
    "bom and crlf": lambda p: _sheet(p, _plain(30), newline="\r\n", prefix=b"\xef\xbb\xbf"),
    "unterminated quote": lambda p: _sheet(p, [*_plain(10), _row(marking='"open')]),
    "missing photo": lambda p: _sheet(p, [*_plain(10), _row(photo="nowhere.jpg")]),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_sheet_same_report(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    sheet = HOSTILE[case](tmp_path / "hostile.csv")
    both_paths(store, tmp_path, monkeypatch, [sheet], batch_size=8)


def test_missing_optional_columns(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["item_id", "incident_id", "component_id", "marking"]
    body = [f"IT-{i // 7},INC-{i // 21},{'' if i % 3 else f'C{i}'},M{i}" for i in range(60)]
    sheet = tmp_path / "narrow.csv"
    sheet.write_text("\n".join([",".join(names), *body, ""]), encoding="utf-8")
    outcomes, snapshot = both_paths(store, tmp_path, monkeypatch, [sheet], batch_size=10)
    assert outcomes[0][3] == 60 and len(snapshot["items"]) == 9


def test_refused_file_reports_stored_item_conflicts(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _sheet(tmp_path / "a.csv", _plain(5, item="IT-9"))
    moved = [*_plain(30, item="IT-9", incident="INC-7"), *_plain(30, item="IT-8"), "a,b"]
    second = _sheet(tmp_path / "b.csv", moved)
    outcomes, _snapshot = both_paths(store, tmp_path, monkeypatch, [first, second], batch_size=8)
    reasons = [e.reason for e in outcomes[1][1]]
    assert any("already stored under incident 'INC-1'" in r for r in reasons), reasons
    assert any("cells but the header has" in r for r in reasons), reasons
