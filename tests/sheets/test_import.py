"""Importing component sheets: what lands, what is rejected, and that nothing is half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from armtrace.errors import ImportRejected
from armtrace.model.sheet import COLUMNS
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from sheetdata import KHARKIV, rows, write_csv

EMPTY = {"incidents": 0, "items": 0, "components": 0, "evidence": 0, "imports": 0}


def domain_counts(store: Store) -> dict[str, int]:
    counts = store.counts()
    return {k: counts[k] for k in EMPTY}


def rejected(store: Store, path: Path) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        import_sheet(store, path)
    assert domain_counts(store) == EMPTY, "a rejected import must write nothing"
    return info.value


def test_good_sheet_lands_whole(store: Store, tmp_path: Path) -> None:
    report = import_sheet(store, write_csv(tmp_path / "s.csv", rows()))
    assert (report.rows, report.incidents, report.items, report.components) == (4, 1, 1, 4)
    assert domain_counts(store) == {
        **EMPTY,
        "incidents": 1,
        "items": 1,
        "components": 4,
        "imports": 1,
    }


def test_same_file_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", rows())
    import_sheet(store, sheet)
    before = store.counts()
    again = import_sheet(store, sheet)
    assert again.changed == 0
    assert store.counts() == before


def test_changed_cell_is_updated_on_reimport(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "a.csv", rows()))
    fixed = rows()
    fixed[0]["marking"] = "ADM3202ARNZ / 2135"
    report = import_sheet(store, write_csv(tmp_path / "b.csv", fixed))
    assert report.changed == 1
    assert store.counts()["components"] == 4


def test_missing_required_column(store: Store, tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c != "item_id"]
    error = rejected(store, write_csv(tmp_path / "s.csv", rows(), columns)).errors[0]
    assert (error.row, error.column) == (1, "item_id")
    assert "required column" in error.reason


def test_unknown_column_is_not_silently_dropped(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("incident_id,item_id,colour\nA,B,red\n", encoding="utf-8")
    error = rejected(store, path).errors[0]
    assert (error.row, error.column) == (1, "colour")


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("incident_date", "02/01/2024", "not an ISO date"),
        ("incident_date", "2024-02-30", "not an ISO date"),
        ("incident_date", "2999-01-01", "in the future"),
        ("latitude", "91.5", "outside -90..90"),
        ("longitude", "east", "not a decimal number"),
        ("longitude", "nan", "outside"),
        ("country", "Ukraine", "did you mean UA"),
        ("incident_id", " ", "required"),
    ],
)
def test_bad_cell_names_row_and_column(
    store: Store, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    records = rows()
    records[2][column] = value
    errors = rejected(store, write_csv(tmp_path / "s.csv", records)).errors
    assert any(e.row == 4 and e.column == column and reason in e.reason for e in errors), errors


def test_coordinates_come_in_pairs(store: Store, tmp_path: Path) -> None:
    records = rows()
    for record in records:
        record["longitude"] = ""
    errors = rejected(store, write_csv(tmp_path / "s.csv", records)).errors
    assert errors[0].column == "longitude" and "give both" in errors[0].reason


def test_every_bad_row_is_reported(store: Store, tmp_path: Path) -> None:
    records = rows()
    records[0]["incident_date"] = "yesterday"
    records[1]["incident_date"] = "yesterday"
    records[3]["latitude"] = "200"
    error = rejected(store, write_csv(tmp_path / "s.csv", records))
    assert sorted((e.row, e.column) for e in error.errors) == [
        (2, "incident_date"),
        (3, "incident_date"),
        (5, "latitude"),
    ]
    assert "s.csv, row 2, column 'incident_date'" in str(error)


def test_duplicate_component_id(store: Store, tmp_path: Path) -> None:
    records = rows()
    records[3]["component_id"] = "C1"
    errors = rejected(store, write_csv(tmp_path / "s.csv", records)).errors
    assert [(e.row, e.column) for e in errors] == [(5, "component_id")]
    assert "already used on row 2" in errors[0].reason


def test_duplicate_found_across_many_batches(store: Store, tmp_path: Path) -> None:
    records = [{**KHARKIV, "component_id": f"C{i}", "marking": f"LM358 / {i}"} for i in range(3000)]
    records.append({**KHARKIV, "component_id": "C17", "marking": "again"})
    with pytest.raises(ImportRejected) as info:
        import_sheet(store, write_csv(tmp_path / "s.csv", records), batch_size=500)
    assert [(e.row, e.column) for e in info.value.errors] == [(3002, "component_id")]
    assert domain_counts(store) == EMPTY


def test_conflicting_incident_cells(store: Store, tmp_path: Path) -> None:
    records = rows()
    records[1]["incident_date"] = "2024-01-03"
    errors = rejected(store, write_csv(tmp_path / "s.csv", records)).errors
    assert (errors[0].row, errors[0].column) == (3, "incident_date")


def test_item_already_under_another_incident(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "a.csv", rows()))
    before = store.counts()
    moved = rows(incident_id="UA-KY-2024-01-06")
    with pytest.raises(ImportRejected) as info:
        import_sheet(store, write_csv(tmp_path / "b.csv", moved))
    assert "already stored under incident 'UA-KH-2024-01-02'" in info.value.errors[0].reason
    assert store.counts() == before


def test_non_utf8_text_names_row_and_column(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", rows())
    data = path.read_bytes().replace(b"Kharkiv", "Харків".encode("cp1251"), 2)
    path.write_bytes(data)
    error = rejected(store, path).errors[0]
    assert (error.row, error.column) == (2, "place")
    assert "not UTF-8" in error.reason and "Windows-1251" in error.reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX"),
        ("sheet.ods", b"whatever", "unknown format"),
        ("bad.jsonl", b'{"incident_id": "A", "item_id": "B"}\n{oops\n', "not valid JSON"),
        ("ragged.csv", b"incident_id,item_id\nA,B,C\n", "has 3 cells but the header has 2"),
    ],
)
def test_unreadable_file(
    store: Store, tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    error = rejected(store, path).errors[0]
    assert reason in error.reason and error.file == str(path)


def test_item_without_components_is_one_row(store: Store, tmp_path: Path) -> None:
    rocket = {
        **KHARKIV,
        "item_id": "ROCKET-1",
        "item_type": "artillery rocket",
        "item_markings": "122 9M22U / 1977",
        "notes": "motor only",
    }
    report = import_sheet(store, write_csv(tmp_path / "s.csv", [rocket]))
    assert (report.items, report.components) == (1, 0)


def test_generated_component_ids_are_stable(store: Store, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", rows(component_id=""))
    import_sheet(store, sheet)
    assert import_sheet(store, sheet).changed == 0
    assert store.counts()["components"] == 4


def test_exercise_label_is_sticky(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "a.csv", rows(exercise="yes")))
    import_sheet(store, write_csv(tmp_path / "b.csv", rows()))
    with store.engine.connect() as conn:
        from sqlalchemy import select

        from armtrace.store.tables import incidents

        assert conn.execute(select(incidents.c.exercise)).scalar_one() is True


def test_records_are_numbered_in_the_order_the_sheet_names_them(
    store: Store, tmp_path: Path
) -> None:
    # Ids follow the sheet, not a hash order that changes from process to process; exports and
    # pages list items by id.
    keys = [f"KH-{n:04d}" for n in (7, 3, 42, 1, 19, 5, 28, 11, 36, 2, 23, 14)]
    sheet = [
        {**KHARKIV, "incident_id": f"UA-{key}", "item_id": key, "marking": "STM32F405"}
        for key in keys
    ]
    import_sheet(store, write_csv(tmp_path / "order.csv", sheet))
    with store.engine.connect() as conn:
        by_id = conn.execute(select(tables.items.c.key).order_by(tables.items.c.id)).scalars()
        incidents = conn.execute(
            select(tables.incidents.c.key).order_by(tables.incidents.c.id)
        ).scalars()
        assert list(by_id) == keys
        assert list(incidents) == [f"UA-{key}" for key in keys]
