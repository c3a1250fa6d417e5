"""The analyses a report quotes, produced by other modules; missing ones say so.

Each function returns the producer's own JSON (``as_json()``) or ``Unavailable`` with the reason:
a module that is not installed yet, not implemented, or failed for this subject. Nothing here
computes a conclusion of its own, so a report can never disagree with ``armtrace summary``,
``armtrace attribute`` or ``armtrace link``.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterable
from typing import Any

from armtrace.analytics.scope import Scope
from armtrace.errors import ArmtraceError
from armtrace.reports.document.model import Unavailable
from armtrace.store import Store

MAX_ITEMS = 25  # per-item analyses shown in one report; the rest are counted, not listed


def producer(module: str, name: str) -> Callable[..., Any] | Unavailable:
    """The function ``module.name``, or Unavailable when it cannot be imported."""
    try:
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        return Unavailable(f"{module}.{name} is not available ({exc})")


def _call(module: str, name: str, *args: Any, **kwargs: Any) -> Any:
    function = producer(module, name)
    if isinstance(function, Unavailable):
        return function
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        return Unavailable(f"{module}.{name} is not implemented yet")
    except ArmtraceError as exc:
        return Unavailable(f"{module}.{name}: {exc}")


def summary_sentence(store: Store, scope: Scope) -> str | Unavailable:
    """The quotable summary sentence of the scope."""
    summary = _call("armtrace.reports.summary", "summarise", store, scope)
    return summary if isinstance(summary, Unavailable) else str(summary.sentence)


def per_item(
    store: Store, items: Iterable[str], module: str, name: str
) -> list[dict[str, Any]] | Unavailable:
    """``module.name(store, item)`` for each item, as JSON; Unavailable if the producer is."""
    found: list[dict[str, Any]] = []
    for item in sorted(items)[:MAX_ITEMS]:
        result = _call(module, name, store, item)
        if isinstance(result, Unavailable):
            return result
        if isinstance(result, list):
            found.extend({"item": item, **entry.as_json()} for entry in result)
        else:
            found.append({"item": item, **result.as_json()})
    return found


def dating(store: Store, items: Iterable[str]) -> list[dict[str, Any]] | Unavailable:
    """Each item's dating (assembled-not-before bound and the date codes behind it)."""
    return per_item(store, items, "armtrace.dating.items", "item_dating")


def attribution(store: Store, items: Iterable[str]) -> list[dict[str, Any]] | Unavailable:
    """Weapon-system attribution of the items an analyst has not attributed."""
    return per_item(store, items, "armtrace.attribution.score", "attribute")


def links(store: Store, items: Iterable[str]) -> list[dict[str, Any]] | Unavailable:
    """Links of the items to identical items elsewhere, each pair once."""
    found = per_item(store, items, "armtrace.attribution.linking", "links_for_item")
    if isinstance(found, Unavailable):
        return found
    unique: dict[tuple[str, ...], dict[str, Any]] = {}
    for link in found:
        unique.setdefault(tuple(sorted((str(link["item_a"]), str(link["item_b"])))), link)
    return list(unique.values())


def first_sightings(
    store: Store, since: datetime.date | None
) -> list[dict[str, Any]] | Unavailable:
    """Every first sighting since ``since``, as JSON."""
    found = _call("armtrace.attribution.sightings", "first_sightings", store, since=since)
    if isinstance(found, Unavailable):
        return found
    try:
        return [sighting.as_json() for sighting in found]
    except NotImplementedError:
        return Unavailable("armtrace.attribution.sightings FirstSighting.as_json not implemented")
