"""Periodic checks: trace deadlines and first sightings become events once each."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from armtrace.alerts.deadlines import check_trace_deadlines
from armtrace.alerts.matching import event_keys, subscription_keys
from armtrace.alerts.sightings import check_first_sightings
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.store.tables_alerts import alert_events
from armtrace.tracing import transitions
from armtrace.tracing.requests import Recipient, create_request
from sheetdata import rows, write_csv


def _payloads(store: Store, kind: str) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        found = conn.execute(
            select(alert_events.c.payload)
            .where(alert_events.c.kind == kind)
            .order_by(alert_events.c.id)
        ).scalars()
        return [json.loads(p) for p in found]


def test_trace_deadlines_warn_once_then_once_overdue(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "s.csv", rows()))
    request = create_request(
        store, Recipient("Fictional Components Ltd", "distributor", "HK"), actor="ana",
        item_key="KH-0001", component_keys=["C1"],
    )  # fmt: skip
    assert check_trace_deadlines(store, today=date(2024, 3, 1)) == 0  # still a draft
    transitions.send(store, request.key, actor="ana", on=date(2024, 3, 1), today=date(2024, 3, 1))
    assert check_trace_deadlines(store, today=date(2024, 3, 10)) == 0  # due 29 March: not yet
    assert check_trace_deadlines(store, today=date(2024, 3, 27)) == 1
    assert check_trace_deadlines(store, today=date(2024, 3, 28)) == 0  # already warned
    assert check_trace_deadlines(store, today=date(2024, 3, 30)) == 1
    assert check_trace_deadlines(store, today=date(2024, 4, 5)) == 0
    stages = [(p["request"], p["stage"], p["due"]) for p in _payloads(store, "trace.deadline")]
    assert stages == [
        (request.key, "due_soon", "2024-03-29"),
        (request.key, "overdue", "2024-03-29"),
    ]
    # Followers of the company hear of it.
    keys = event_keys("trace.deadline", _payloads(store, "trace.deadline")[0])
    assert set(subscription_keys("manufacturer", ["Fictional Components Ltd"])) <= keys
    assert set(subscription_keys("trace_deadline", [])) <= keys


def test_first_sightings_are_announced_once(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "s.csv", rows(weapon_system="KN-23")))
    first = check_first_sightings(store)
    assert first > 0
    assert check_first_sightings(store) == 0
    found = _payloads(store, "first_sighting")
    systems = [p for p in found if p["aspect"] == "weapon_system"]
    assert [(p["value"], p["country"], p["item"]) for p in systems] == [("KN-23", "UA", "KH-0001")]
    assert set(subscription_keys("weapon_system", ["KN-23"])) <= event_keys(
        "first_sighting", systems[0]
    )
    second = [{**r, "item_id": "KH-0002", "incident_id": "UA-KH-2"} for r in rows()]
    second = [{**r, "country": "IL"} for r in second]
    import_sheet(store, write_csv(tmp_path / "t.csv", second))
    assert check_first_sightings(store) > 0  # new in IL
    assert all(p["country"] == "IL" for p in _payloads(store, "first_sighting")[first:])
