"""The analyses a report quotes, produced by other modules; failed ones say so.

Each function returns the producer's own JSON (``as_json()``) or ``Unavailable`` with the reason
the producer gave (an ``ArmtraceError`` for this subject, such as an unknown item). Nothing here
computes a conclusion of its own, so a report can never disagree with ``armtrace summary``,
``armtrace attribute`` or ``armtrace link``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from armtrace.analytics.scope import Scope
from armtrace.attribution.linking import links_for_item
from armtrace.attribution.score import attribute
from armtrace.attribution.sightings import first_sightings as all_first_sightings
from armtrace.dating.items import item_dating
from armtrace.errors import ArmtraceError
from armtrace.reports.document.model import Unavailable
from armtrace.reports.summary import summarise
from armtrace.store import Store

MAX_ITEMS = 25  # per-item analyses shown in one report; the rest are counted, not listed


def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except ArmtraceError as exc:
        return Unavailable(f"{function.__module__}.{function.__name__}: {exc}")


def summary_sentence(store: Store, scope: Scope) -> str | Unavailable:
    """The quotable summary sentence of the scope."""
    summary = _call(summarise, store, scope)
    return summary if isinstance(summary, Unavailable) else str(summary.sentence)


def per_item(
    store: Store, items: Iterable[str], function: Callable[[Store, str], Any]
) -> list[dict[str, Any]] | Unavailable:
    """``function(store, item)`` for each item, as JSON; Unavailable if the producer fails."""
    found: list[dict[str, Any]] = []
    for item in sorted(items)[:MAX_ITEMS]:
        result = _call(function, store, item)
        if isinstance(result, Unavailable):
            return result
        if isinstance(result, list):
            found.extend({"item": item, **entry.as_json()} for entry in result)
        else:
            found.append({"item": item, **result.as_json()})
    return found


def dating(store: Store, items: Iterable[str]) -> list[dict[str, Any]] | Unavailable:
    """Each item's dating (assembled-not-before bound and the date codes behind it)."""
    return per_item(store, items, item_dating)


def attribution(store: Store, items: Iterable[str]) -> list[dict[str, Any]] | Unavailable:
    """Weapon-system attribution of the items an analyst has not attributed."""
    return per_item(store, items, attribute)


def links(store: Store, items: Iterable[str]) -> list[dict[str, Any]] | Unavailable:
    """Links of the items to identical items elsewhere, each pair once."""
    found = per_item(store, items, links_for_item)
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
    found = _call(all_first_sightings, store, since=since)
    if isinstance(found, Unavailable):
        return found
    return [sighting.as_json() for sighting in found]
