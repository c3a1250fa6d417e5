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

from armtrace.attribution.score import attribute
from armtrace.store import Store
from armtrace.visibility import unpublished_reference_keys, withhold_item_names
from armtrace.web.visibility import Audience


def hidden_reference_keys(store: Store, audience: Audience) -> set[str]:
    """Keys of the reference items this audience may not see (none for a full audience)."""
    return set() if audience.full else unpublished_reference_keys(store)


def attribution_for(store: Store, audience: Audience, item_key: str) -> dict[str, Any]:
    """``armtrace attribute --json`` for ``item_key``, with hidden reference items unnamed."""
    found: dict[str, Any] = attribute(store, item_key).as_json()
    return dict(withhold_item_names(found, hidden_reference_keys(store, audience)))
