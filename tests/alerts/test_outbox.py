"""The outbox: events land with the change that caused them, or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from armtrace.alerts import AlertError, emit
from armtrace.errors import ImportRejected
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from armtrace.store.tables_alerts import alert_events
from sheetdata import rows, write_csv


def _events(store: Store) -> list[tuple[str, dict[str, object]]]:
    with store.engine.connect() as conn:
        found = conn.execute(
            select(alert_events.c.kind, alert_events.c.payload).order_by(alert_events.c.id)
        ).all()
    return [(kind, json.loads(payload)) for kind, payload in found]


def test_emit_commits_with_the_callers_transaction(store: Store) -> None:
    with store.begin() as conn:
        emit(conn, "first_sighting", {"item": "EX-RKT-1977", "country": "UA"})
    assert _events(store) == [("first_sighting", {"item": "EX-RKT-1977", "country": "UA"})]
    with store.engine.connect() as conn:
        event_id = conn.execute(select(alert_events.c.event_id)).scalar_one()
    assert len(event_id) == 36 and event_id.count("-") == 4


def test_a_rolled_back_change_leaves_no_event(store: Store) -> None:
    with pytest.raises(RuntimeError), store.begin() as conn:
        conn.execute(insert(tables.incidents).values(key="EX-INC-1"))
        emit(conn, "item.documented", {"item": "EX-1"})
        raise RuntimeError("the change failed after emitting")
    assert _events(store) == []
    assert store.counts()["incidents"] == 0


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("item.created", {"item": "X"}, "unknown alert kind 'item.created'"),
        ("first_sighting", ["not", "a", "dict"], "must be a JSON object"),
    ],
)
def test_malformed_events_are_refused(
    store: Store, kind: str, payload: object, message: str
) -> None:
    with pytest.raises(AlertError, match=message), store.begin() as conn:
        emit(conn, kind, payload)  # type: ignore[arg-type]  # deliberately malformed
    assert _events(store) == []


def test_dates_in_a_payload_are_written_as_text(store: Store) -> None:
    from datetime import date

    with store.begin() as conn:
        emit(conn, "trace.deadline", {"request": "TR-0001", "due": date(2024, 3, 1)})
    assert _events(store) == [("trace.deadline", {"request": "TR-0001", "due": "2024-03-01"})]


def test_import_emits_one_event_per_new_item(store: Store, tmp_path: Path) -> None:
    second = {**rows()[0], "item_id": "KH-0002", "component_id": "C1", "incident_id": "UA-KH-2"}
    sheet = [*rows(weapon_system="KN-23"), second]
    path = write_csv(tmp_path / "kharkiv.csv", sheet)
    import_sheet(store, path)
    events = _events(store)
    assert [kind for kind, _ in events] == ["item.documented", "item.documented"]
    first = events[0][1]
    assert first == {
        "item": "KH-0001",
        "incident": "UA-KH-2024-01-02",
        "country": "UA",
        "weapon_system": "KN-23",
        "item_type": "ballistic missile",
        "exercise": False,
    }
    # Importing the same file again documents nothing new.
    import_sheet(store, path)
    assert len(_events(store)) == 2
    # A later sheet adding a component to a known item is not a new item either.
    more = write_csv(tmp_path / "more.csv", [{**rows()[0], "component_id": "C9"}])
    import_sheet(store, more)
    assert len(_events(store)) == 2


def test_a_rejected_import_emits_nothing(store: Store, tmp_path: Path) -> None:
    bad = rows()
    bad[2]["latitude"] = "north"
    with pytest.raises(ImportRejected):
        import_sheet(store, write_csv(tmp_path / "bad.csv", bad))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alert_events)).scalar_one() == 0
