"""The public-visibility rule, in one place below the web application and the exports.

Invariants:
- The public (anonymous requests, viewers, public exports and reports) sees published items
  only; ``published_filter()`` is the SQL condition and ``PUBLISHED`` the state.
- For the public, coordinates are rounded to ``PUBLIC_DECIMALS`` decimal places (0.1 degree,
  about 11 km), so a strike site or a storage place cannot be read back.
- For the public, notes, photo paths and the names of sources (who added evidence, from where:
  ``PRIVATE_FIELDS``) are withheld as ``None``, and a shaped record lists what was withheld.
- Texts shown to the public never name an unpublished item: ``withhold_item_names`` replaces
  each such key with ``UNPUBLISHED_REFERENCE``.
- This module imports only the store tables, so ``armtrace.web`` and ``armtrace.exports`` can
  both use it without importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select

from armtrace.store import Store, tables

PUBLIC_DECIMALS = 1
PUBLISHED = "published"
STATES = ("draft", "verified", "published")
COORDINATE_FIELDS = ("latitude", "longitude")
# Fields that can name a source or carry unreviewed remarks: never shown to the public.
PRIVATE_FIELDS = ("notes", "photo", "actor", "origin", "host", "original_name", "client")
WITHHELD_NOTE = (
    "exact coordinates are rounded to 0.1 degree and notes, photo paths and source names are "
    "withheld for this audience; sign in with a role that reads drafts to see them"
)
# For ``public_record``, which shapes every public API answer: set look-ups, and plain values
# tested before ``isinstance(value, Mapping)``, an ABC check that cost a third of its time.
_COORDINATES = frozenset(COORDINATE_FIELDS)
_PRIVATE = frozenset(PRIVATE_FIELDS)
_PLAIN = (str, int, float)
UNPUBLISHED_REFERENCE = "an unpublished reference item"


def published_filter() -> ColumnElement[bool]:
    """The SQL condition on ``items`` selecting the items the public may see."""
    return tables.items.c.state == PUBLISHED


def public_coordinate(value: float | None) -> float | None:
    """A latitude or longitude as the public may see it."""
    return None if value is None else round(float(value), PUBLIC_DECIMALS)


def public_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` shaped for the public: coordinates rounded, private fields withheld.

    Nested mappings and lists of mappings (an item's components, an incident inside an item)
    are shaped by the same rule. A shaped record carries ``withheld`` naming what was hidden.
    """
    shaped: dict[str, Any] = {}
    withheld: list[str] = []
    for key, value in record.items():
        if key in _COORDINATES and isinstance(value, int | float):
            shaped[key] = public_coordinate(value)
            withheld.append(f"{key} (rounded to 0.1 degree)")
        elif key in _PRIVATE:
            shaped[key] = None
            if value not in (None, ""):
                withheld.append(key)
        elif value is None or isinstance(value, _PLAIN):
            shaped[key] = value
        elif isinstance(value, Mapping):
            shaped[key] = public_record(value)
        elif isinstance(value, list):
            shaped[key] = [public_record(v) if isinstance(v, Mapping) else v for v in value]
        else:
            shaped[key] = value
    if withheld:
        shaped["withheld"] = withheld
        shaped["withheld_note"] = WITHHELD_NOTE
    return shaped


def withhold_item_names(value: Any, hidden: Collection[str]) -> Any:
    """``value`` (a text, or JSON made of mappings and lists) with every key in ``hidden``
    replaced by ``UNPUBLISHED_REFERENCE``; mapping keys are left alone."""
    if not hidden:
        return value
    # Longest first so "EX-101" never eats the start of "EX-1012"; the look-arounds stop a key
    # matching inside a longer key or marking.
    names = "|".join(re.escape(name) for name in sorted(hidden, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{names})(?![\w-])")
    return _withhold(value, pattern)


def _withhold(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(UNPUBLISHED_REFERENCE, value)
    if isinstance(value, Mapping):
        return {key: _withhold(inner, pattern) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_withhold(inner, pattern) for inner in value]
    return value


def unpublished_reference_keys(store: Store) -> set[str]:
    """Keys of reference items (a confirmed weapon system) that are not published.

    Attribution texts name reference items; a public text replaces these with
    ``UNPUBLISHED_REFERENCE`` (see ``withhold_item_names``).
    """
    items = tables.items
    query = select(items.c.key).where(
        func.length(func.trim(items.c.weapon_system)) > 0, ~published_filter()
    )
    with store.engine.connect() as conn:
        return {row[0] for row in conn.execute(query)}
