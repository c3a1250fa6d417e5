"""The audit trail: entries chain by hash, imports are recorded, tampering is found."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from armtrace.audit import GENESIS, entries, record_change, verify_chain
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from sheetdata import write_csv


def _three_changes(store: Store) -> None:
    with store.begin() as conn:
        record_change(
            conn,
            actor="ana",
            action="create",
            entity="item",
            entity_key="M-1",
            after={"state": "draft"},
        )
    with store.begin() as conn:
        record_change(
            conn,
            actor="ben",
            action="update",
            entity="item",
            entity_key="M-1",
            before={"state": "draft"},
            after={"state": "verified"},
        )
    with store.begin() as conn:
        record_change(
            conn,
            actor="ana",
            action="update",
            entity="item",
            entity_key="M-2",
            before={"state": "draft"},
            after={"state": "published"},
        )


def test_chain_links_each_entry_to_the_one_before(store: Store) -> None:
    _three_changes(store)
    newest_first = entries(store)
    assert [e.actor for e in newest_first] == ["ana", "ben", "ana"]
    oldest = newest_first[-1]
    assert oldest.prev_hash == GENESIS
    assert newest_first[1].prev_hash == oldest.hash
    assert newest_first[1].before == {"state": "draft"}
    assert newest_first[1].after == {"state": "verified"}
    assert verify_chain(store).ok
    assert verify_chain(store).entries == 3
    assert [e.entity_key for e in entries(store, entity_key="M-1")] == ["M-1", "M-1"]


def test_edited_entry_breaks_the_chain_at_that_entry(store: Store) -> None:
    _three_changes(store)
    second = entries(store)[1]
    with store.begin() as conn:
        conn.execute(
            update(tables.audit_log)
            .where(tables.audit_log.c.id == second.id)
            .values(after='{"state":"published"}')
        )
    check = verify_chain(store)
    assert not check.ok
    assert check.broken_at == second.id
    assert check.reason == "its content does not match its hash"


def test_deleted_entry_breaks_the_link_of_the_next(store: Store) -> None:
    _three_changes(store)
    newest, middle, _ = entries(store)
    with store.begin() as conn:
        conn.execute(tables.audit_log.delete().where(tables.audit_log.c.id == middle.id))
    check = verify_chain(store)
    assert check.broken_at == newest.id
    assert check.reason == "it does not point at the entry before it"


def test_rolled_back_change_leaves_no_entry(store: Store) -> None:
    try:
        with store.begin() as conn:
            record_change(conn, actor="ana", action="create", entity="item", entity_key="X")
            raise RuntimeError("the change itself failed")
    except RuntimeError:
        pass
    assert entries(store) == []


def test_import_is_audited_once_and_reimport_adds_nothing(store: Store, tmp_path: Path) -> None:
    sheet = write_csv(
        tmp_path / "a.csv", [{"incident_id": "I-1", "item_id": "M-1", "marking": "STM32F405"}]
    )
    import_sheet(store, sheet)
    import_sheet(store, sheet)
    (entry,) = entries(store, entity="sheet")
    assert entry.action == "import"
    assert entry.after is not None and entry.after["file_name"] == "a.csv"
    assert entry.after["rows"] == 1
    with store.engine.connect() as conn:
        logged = conn.execute(tables.imports.select()).one()
    assert entry.after["file_sha256"] == logged.file_sha256
    assert entry.after["components_written"] == logged.components_written
    assert verify_chain(store).ok
