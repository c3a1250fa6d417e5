"""Items' verification state: draft -> verified -> published, each step audited.

Invariants:
- Allowed moves are listed in ``TRANSITIONS``; anything else is refused with the allowed moves.
- A move and its audit entry (``item.state``, before and after) land in one transaction.
- Who may move an item is the route's business (JUDGE permission); this module checks order.
"""

from __future__ import annotations

from sqlalchemy import select, update

from armtrace.audit import record_change
from armtrace.errors import ArmtraceError, NotFound
from armtrace.store import Store, tables

STATES = ("draft", "verified", "published")
# Forward one step at a time; back to draft from anywhere (a finding withdrawn for rework).
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"verified"}),
    "verified": frozenset({"published", "draft"}),
    "published": frozenset({"draft", "verified"}),
}


class StateError(ArmtraceError):
    """An item cannot move to the asked state from the one it is in."""


def set_item_state(store: Store, item_key: str, state: str, *, actor: str) -> tuple[str, str]:
    """Move an item to ``state``; returns (before, after). Same state is a no-op, not audited."""
    if state not in STATES:
        raise StateError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
    items = tables.items
    with store.begin() as conn:
        row = conn.execute(
            select(items.c.id, items.c.state).where(items.c.key == item_key).with_for_update()
        ).first()
        if row is None:
            raise NotFound(f"no item {item_key!r} in the store")
        before = str(row.state)
        if before == state:
            return before, state
        if state not in TRANSITIONS[before]:
            allowed = ", ".join(sorted(TRANSITIONS[before]))
            raise StateError(
                f"item {item_key!r} is {before}: it can move to {allowed}, not to {state}"
            )
        conn.execute(update(items).where(items.c.id == row.id).values(state=state))
        record_change(
            conn,
            actor=actor,
            action="item.state",
            entity="item",
            entity_key=item_key,
            before={"state": before},
            after={"state": state},
        )
    return before, state
