"""Weapon-system attribution of an item as an audience may read it.

Invariants:
- Attribution compares an item with the reference library (items whose weapon system an analyst
  confirmed), and its texts (``why``, ``reason``, feature sentences, ``closest_item``) name
  those reference items. For an audience without READ_DRAFTS every unpublished reference item
  is replaced by "an unpublished reference item" before the answer leaves the process; scores
  and weapon systems stay, since they are what a published item's page is for.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from armtrace.attribution.score import attribute
from armtrace.store import Store, tables
from armtrace.visibility import withhold_item_names
from armtrace.web.records.connection import reading
from armtrace.web.visibility import Audience

it = tables.items


def hidden_reference_keys(store: Store, audience: Audience) -> set[str]:
    """Keys of the reference items this audience may not see (none for a full audience)."""
    if audience.full:
        return set()
    # The same test as attribution.profiles' reference library: a non-blank weapon system.
    query = select(it.c.key).where(
        func.length(func.trim(it.c.weapon_system)) > 0, ~audience.item_filter()
    )
    with reading(store) as conn:
        return {row[0] for row in conn.execute(query)}


def attribution_for(store: Store, audience: Audience, item_key: str) -> dict[str, Any]:
    """``armtrace attribute --json`` for ``item_key``, with hidden reference items unnamed."""
    found: dict[str, Any] = attribute(store, item_key).as_json()
    return dict(withhold_item_names(found, hidden_reference_keys(store, audience)))
