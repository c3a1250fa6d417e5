"""What an export may show: the published-only filter, coordinate rounding and public names.

Invariants:
- Public output follows the one public-visibility rule in ``armtrace.visibility`` (published
  items only, coordinates rounded to 0.1 degree), the same rule the web application applies.
- Company names in public output pass through the tracing module's disclosure terms, so a
  recipient that may not be named publicly is never named in a public export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select

from armtrace import visibility
from armtrace.store import Store
from armtrace.tracing.disclosure import public_name


def only_published(query: Select[Any], public: bool) -> Select[Any]:
    """Restrict a query over items to published items when the output is public."""
    return query.where(visibility.published_filter()) if public else query


def coordinate(value: float | None, public: bool) -> float | None:
    """A latitude or longitude as the output may show it."""
    if public:
        return visibility.public_coordinate(value)
    return None if value is None else float(value)


def public_namer(store: Store, public: bool) -> tuple[Callable[[str], str], tuple[str, ...]]:
    """A function naming companies for this output, and a note when terms cannot be applied."""
    if not public:
        return (lambda name: name), ()
    cache: dict[str, str] = {}

    def name_for(name: str) -> str:
        if name not in cache:
            cache[name] = public_name(store, name, audience="public")
        return cache[name]

    return name_for, ()
