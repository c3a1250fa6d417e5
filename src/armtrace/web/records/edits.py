"""Document and judge through the API: create and edit incidents, items and components.

Invariants:
- Each function writes one record and its audit entry (before and after) in one transaction.
- Natural keys are never changed once created (sheets and links refer to them).
- ``weapon_system`` on an item and ``manufacturer`` on a component are analysts' judgements:
  they are set by ``judge_item`` / ``judge_manufacturer``, which routes reserve for JUDGE.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from armtrace.audit import record_change
from armtrace.errors import ArmtraceError, NotFound
from armtrace.refdata.countries import is_country_code
from armtrace.store import Store, tables

inc, it, comp = tables.incidents, tables.items, tables.components
INCIDENT_FIELDS = ("incident_date", "place", "country", "latitude", "longitude")
ITEM_FIELDS = ("item_type", "item_markings", "notes")
COMPONENT_FIELDS = ("marking", "description", "notes", "photo_sha256")


class EditError(ArmtraceError):
    """A record cannot be created or changed as asked."""


def _snapshot(
    conn: Connection, table: Table, row_id: int, fields: tuple[str, ...]
) -> dict[str, Any]:
    row = conn.execute(select(*(table.c[f] for f in fields)).where(table.c.id == row_id)).one()
    return {f: (str(v) if isinstance(v, date) else v) for f, v in row._mapping.items()}


def _check_incident(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("country"):
        code = str(values["country"]).strip().upper()
        if not is_country_code(code):
            raise EditError(f"country {values['country']!r} is not an ISO 3166 alpha-2 code")
        values["country"] = code
    for field, bound in (("latitude", 90.0), ("longitude", 180.0)):
        value = values.get(field)
        if value is not None and not -bound <= float(value) <= bound:
            raise EditError(f"{field} {value} is outside -{bound:g}..{bound:g} degrees")
    return values


def create_incident(store: Store, key: str, values: dict[str, Any], *, actor: str) -> None:
    """Create an incident with its date and place (fields of ``INCIDENT_FIELDS``)."""
    values = _check_incident({k: v for k, v in values.items() if k in INCIDENT_FIELDS})
    with store.begin() as conn:
        if conn.execute(select(inc.c.id).where(inc.c.key == key)).first() is not None:
            raise EditError(f"incident {key!r} exists already: edit it instead")
        new_id = conn.execute(
            insert(inc).values(key=key, **values).returning(inc.c.id)
        ).scalar_one()
        after = _snapshot(conn, inc, int(new_id), INCIDENT_FIELDS)
        record_change(conn, actor=actor, action="incident.create", entity="incident",
                      entity_key=key, after=after)  # fmt: skip


def edit_incident(store: Store, key: str, values: dict[str, Any], *, actor: str) -> None:
    """Change an incident's date or place."""
    values = _check_incident({k: v for k, v in values.items() if k in INCIDENT_FIELDS})
    with store.begin() as conn:
        row_id = _id(conn, inc, inc.c.key == key, f"no incident {key!r}")
        _update(conn, inc, row_id, values, INCIDENT_FIELDS, actor, "incident.edit", key)


def create_item(
    store: Store, incident_key: str, key: str, values: dict[str, Any], *, actor: str
) -> None:
    """Create a draft item in an existing incident."""
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS}
    with store.begin() as conn:
        incident_id = _id(conn, inc, inc.c.key == incident_key, f"no incident {incident_key!r}")
        if conn.execute(select(it.c.id).where(it.c.key == key)).first() is not None:
            raise EditError(f"item {key!r} exists already: item keys are unique across incidents")
        new_id = conn.execute(
            insert(it).values(key=key, incident_id=incident_id, state="draft", **values)
            .returning(it.c.id)
        ).scalar_one()  # fmt: skip
        after = _snapshot(conn, it, int(new_id), (*ITEM_FIELDS, "state"))
        record_change(conn, actor=actor, action="item.create", entity="item", entity_key=key,
                      after={**after, "incident": incident_key})  # fmt: skip


def edit_item(store: Store, key: str, values: dict[str, Any], *, actor: str) -> None:
    """Change an item's type, markings or notes."""
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS}
    with store.begin() as conn:
        row_id = _id(conn, it, it.c.key == key, f"no item {key!r}")
        _update(conn, it, row_id, values, ITEM_FIELDS, actor, "item.edit", key)


def judge_item(store: Store, key: str, weapon_system: str | None, *, actor: str) -> None:
    """Record an analyst's confirmed attribution of an item (None withdraws it)."""
    with store.begin() as conn:
        row_id = _id(conn, it, it.c.key == key, f"no item {key!r}")
        _update(conn, it, row_id, {"weapon_system": weapon_system}, ("weapon_system",), actor,
                "item.judge", key)  # fmt: skip


def create_component(
    store: Store, item_key: str, key: str, values: dict[str, Any], *, actor: str
) -> None:
    """Add a component (marking verbatim, description, notes) to an item."""
    values = {k: v for k, v in values.items() if k in COMPONENT_FIELDS}
    with store.begin() as conn:
        item_id = _id(conn, it, it.c.key == item_key, f"no item {item_key!r}")
        _check_photo(conn, values.get("photo_sha256"))
        taken = conn.execute(select(comp.c.id).where(comp.c.item_id == item_id, comp.c.key == key))
        if taken.first() is not None:
            raise EditError(f"item {item_key!r} has a component {key!r} already")
        new_id = conn.execute(
            insert(comp).values(item_id=item_id, key=key, **values).returning(comp.c.id)
        ).scalar_one()
        after = _snapshot(conn, comp, int(new_id), COMPONENT_FIELDS)
        record_change(conn, actor=actor, action="component.create", entity="component",
                      entity_key=f"{item_key}/{key}", after=after)  # fmt: skip


def edit_component(
    store: Store, item_key: str, key: str, values: dict[str, Any], *, actor: str
) -> None:
    """Change a component's marking, description or notes."""
    values = {k: v for k, v in values.items() if k in COMPONENT_FIELDS}
    with store.begin() as conn:
        row_id = _component_id(conn, item_key, key)
        _check_photo(conn, values.get("photo_sha256"))
        _update(conn, comp, row_id, values, COMPONENT_FIELDS, actor, "component.edit",
                f"{item_key}/{key}")  # fmt: skip


def judge_manufacturer(
    store: Store, item_key: str, key: str, manufacturer: str | None, *, actor: str,
    note: str | None = None,
) -> None:  # fmt: skip
    """Record an analyst's identification of a component's maker (None withdraws it), with
    the analyst's note on why kept in the audit entry."""
    note = note.strip() if note else None
    with store.begin() as conn:
        row_id = _component_id(conn, item_key, key)
        before = _snapshot(conn, comp, row_id, ("manufacturer",))
        conn.execute(update(comp).where(comp.c.id == row_id).values(manufacturer=manufacturer))
        after = _snapshot(conn, comp, row_id, ("manufacturer",))
        if note:
            # The note lives in the audit entry only: it is the reason for this judgement,
            # not a property of the component (whose own notes are the investigator's).
            after = {**after, "note": note}
        if after != before:
            record_change(conn, actor=actor, action="component.judge_manufacturer",
                          entity="component", entity_key=f"{item_key}/{key}",
                          before=before, after=after)  # fmt: skip


def _check_photo(conn: Connection, sha256: str | None) -> None:
    if sha256 is None:
        return
    known = conn.execute(select(tables.evidence.c.sha256).where(tables.evidence.c.sha256 == sha256))
    if known.first() is None:
        raise EditError(f"no evidence {sha256!r}: upload the photo to /api/evidence first")


def _component_id(conn: Connection, item_key: str, key: str) -> int:
    item_id = _id(conn, it, it.c.key == item_key, f"no item {item_key!r}")
    return _id(conn, comp, (comp.c.item_id == item_id) & (comp.c.key == key),
               f"item {item_key!r} has no component {key!r}")  # fmt: skip


def _id(conn: Connection, table: Table, condition: Any, missing: str) -> int:
    row = conn.execute(select(table.c.id).where(condition)).first()
    if row is None:
        raise NotFound(missing)
    return int(row[0])


def _update(
    conn: Connection, table: Table, row_id: int, values: dict[str, Any],
    fields: tuple[str, ...], actor: str, action: str, key: str,
) -> None:  # fmt: skip
    if not values:
        raise EditError(f"nothing to change on {key!r}: give one of {', '.join(fields)}")
    before = _snapshot(conn, table, row_id, fields)
    conn.execute(update(table).where(table.c.id == row_id).values(**values))
    after = _snapshot(conn, table, row_id, fields)
    if after != before:
        record_change(conn, actor=actor, action=action, entity=table.name.rstrip("s"),
                      entity_key=key, before=before, after=after)  # fmt: skip
