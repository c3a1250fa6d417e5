"""Bulk loads: on PostgreSQL a large import drops the components table's search index and foreign
keys and puts them back, checked set-based, before its commit. The threshold is lowered here so
that small sheets take that path; on SQLite the same imports must behave exactly alike.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text

from armtrace.errors import ImportRejected
from armtrace.sheets import load, timings
from armtrace.sheets.importer import fastpath, import_sheet
from armtrace.store import Store, tables
from armtrace.store.dialect import restore_after_bulk_load, suspend_for_bulk_load
from sheetdata import KHARKIV, rows, write_csv


@pytest.fixture(autouse=True)
def bulk_from_one_component(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "REBUILD_MIN_COMPONENTS", 1)


def guards(store: Store) -> list[str]:
    """The indexes and foreign keys on components, as the store's catalogue lists them."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            query = (
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'components' UNION ALL "
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'components'::regclass AND contype = 'f'"
            )
        else:
            query = (
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'components' AND sql IS NOT NULL"
            )
        return sorted(str(row[0]) for row in conn.execute(text(query)))


def many(count: int) -> list[dict[str, str]]:
    return [{**KHARKIV, "component_id": f"C{i}", "marking": f"LM358 / {i}"} for i in range(count)]


def test_bulk_load_lands_whole_and_puts_guards_back(store: Store, tmp_path: Path) -> None:
    before = guards(store)
    if store.engine.dialect.name == "postgresql":
        assert any("gin" in g for g in before) and any("FOREIGN KEY" in g for g in before)
    report = import_sheet(store, write_csv(tmp_path / "s.csv", many(3000)), batch_size=500)
    assert (report.components, report.changed) == (3000, 3002)
    assert store.counts()["components"] == 3000
    assert guards(store) == before
    # The rebuilt trigram index serves the marking search again.
    with store.engine.connect() as conn:
        found = conn.execute(
            select(tables.components.c.key).where(tables.components.c.marking.ilike("%358 / 2999%"))
        ).all()
    assert found == [("C2999",)]


def test_bulk_reimport_changes_nothing(store: Store, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", many(1200))
    import_sheet(store, sheet, batch_size=500)
    before = (store.counts(), guards(store))
    assert import_sheet(store, sheet, batch_size=500).changed == 0
    assert (store.counts(), guards(store)) == before


def test_bulk_load_duplicate_in_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    before = guards(store)
    records = [*many(1200), {**KHARKIV, "component_id": "C17", "marking": "again"}]
    with pytest.raises(ImportRejected) as info:
        import_sheet(store, write_csv(tmp_path / "s.csv", records), batch_size=500)
    assert [(e.row, e.column) for e in info.value.errors] == [(1202, "component_id")]
    assert "already used on row 19" in info.value.errors[0].reason
    assert store.counts()["components"] == store.counts()["items"] == 0
    assert guards(store) == before


def test_bulk_load_of_item_under_another_incident_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    import_sheet(store, write_csv(tmp_path / "a.csv", rows()))
    before = (store.counts(), guards(store))
    moved = [{**r, "incident_id": "UA-KY-2024-01-06"} for r in many(1200)]
    moved.append({**KHARKIV, "item_id": "KH-0002", "component_id": "C1"})
    with pytest.raises(ImportRejected) as info:
        import_sheet(store, write_csv(tmp_path / "b.csv", moved), batch_size=500)
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "incident_id")]
    assert "already stored under incident 'UA-KH-2024-01-02'" in info.value.errors[0].reason
    assert (store.counts(), guards(store)) == before


def test_bulk_load_duplicate_against_store_merges(store: Store, tmp_path: Path) -> None:
    # A component id the store already holds for the item is the same component: merged.
    import_sheet(store, write_csv(tmp_path / "a.csv", many(600)), batch_size=500)
    changed = [
        {**r, "marking": "LM358 / new"} if r["component_id"] == "C5" else r for r in many(900)
    ]
    report = import_sheet(store, write_csv(tmp_path / "b.csv", changed), batch_size=500)
    assert (report.changed, store.counts()["components"]) == (301, 900)


def test_foreign_keys_are_checked_at_the_end(store: Store) -> None:
    # A component of an item that does not exist never lands: on PostgreSQL the foreign key
    # put back before the commit finds it; on SQLite the key is never dropped.
    before = guards(store)
    bad = (987654, "C1")
    with (
        store.engine.connect() as conn,
        pytest.raises((psycopg.Error, sqlite3.Error)),
        conn.begin(),
    ):
        statements = suspend_for_bulk_load(conn, "components", 1000)
        assert bool(statements) == (conn.dialect.name == "postgresql")
        raw: Any = conn.connection.driver_connection
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        raw.cursor().execute(f"INSERT INTO components (item_id, key) VALUES ({mark}, {mark})", bad)
        restore_after_bulk_load(conn, statements)
    assert store.counts()["components"] == 0
    assert guards(store) == before


def test_import_log_holds_the_file_hash(store: Store, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", many(700))
    import_sheet(store, sheet, batch_size=500)
    with store.engine.connect() as conn:
        logged = conn.execute(select(tables.imports.c.file_sha256)).scalar_one()
    assert logged == hashlib.sha256(sheet.read_bytes()).hexdigest()


@pytest.mark.parametrize("columnar", [True, False], ids=["columnar", "per-row"])
def test_bulk_load_is_taken_by_both_csv_paths(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columnar: bool
) -> None:
    # While a bulk load runs on PostgreSQL it holds the exclusive lock that dropping the
    # components table's index and keys took; another session sees it in pg_locks.
    monkeypatch.setattr(fastpath, "COLUMNAR", columnar)
    postgres = store.engine.dialect.name == "postgresql"
    seen: list[bool] = []

    def progress(_done: int, _total: int) -> None:
        if postgres:
            with store.engine.connect() as other:
                locked = other.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' "
                        "AND relation = 'components'::regclass AND granted"
                    )
                ).scalar_one()
            seen.append(bool(locked))

    before = guards(store)
    sheet = write_csv(tmp_path / "s.csv", many(1200))
    import_sheet(store, sheet, batch_size=500, on_progress=progress)
    assert store.counts()["components"] == 1200
    assert guards(store) == before
    assert seen[:2] == ([True, True] if postgres else [])


# Text that COPY's formats treat specially (quotes, separators, line breaks, backslashes, the
# end-of-data marker on a line of its own, NULL's spelling in text format) and non-ASCII text.
AWKWARD = [
    'say "hi", ok',
    "line one\nline two",
    "carriage\r\nreturn",
    "back\\slash \\N",
    "\\.",
    "before\n\\.\nafter",
    "tab\there",
    "ünïcödé ✓ 中文",
    " padded ",
    ",",
    '""',
    "\\N",
]


@pytest.mark.parametrize("columnar", [True, False], ids=["columnar", "per-row"])
def test_bulk_load_keeps_every_character(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columnar: bool
) -> None:
    monkeypatch.setattr(fastpath, "COLUMNAR", columnar)
    records = [
        {**KHARKIV, "component_id": f"C{i}", "marking": text_, "description": text_[::-1]}
        for i, text_ in enumerate(AWKWARD)
    ]
    records.append({**KHARKIV, "component_id": "EMPTY", "marking": "LM358", "notes": ""})
    import_sheet(store, write_csv(tmp_path / "awkward.csv", records), batch_size=5)
    t = tables.components
    with store.engine.connect() as conn:
        stored = {
            key: (marking, description, notes)
            for key, marking, description, notes in conn.execute(
                select(t.c.key, t.c.marking, t.c.description, t.c.notes)
            )
        }
    expected = {f"C{i}": (text_, text_[::-1], None) for i, text_ in enumerate(AWKWARD)}
    assert stored == {**expected, "EMPTY": ("LM358", None, None)}


def test_timings_name_the_phases_when_asked(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(timings, "ENABLED", True)
    import_sheet(store, write_csv(tmp_path / "s.csv", many(20)), batch_size=5)
    printed = capsys.readouterr().err
    assert "import timings (wall" in printed
    assert "scan: read, validate, write batches" in printed
    if store.engine.dialect.name == "postgresql":
        assert "COPY components (background thread)" in printed
        assert "restore: CREATE INDEX ix_components_marking_trgm" in printed
