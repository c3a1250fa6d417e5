"""The analysis sections of an item page, each from its own library function.

Invariants:
- A section whose library function fails for this subject (an ``ArmtraceError``) shows its
  message instead of breaking the page.
- Links to items the audience may not see are dropped here, before any template gets them,
  and attribution texts name no reference item the audience may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from armtrace.attribution.linking import links_for_item
from armtrace.dating.items import item_dating
from armtrace.errors import ArmtraceError
from armtrace.reports.summary import Scope, summarise
from armtrace.store import Store
from armtrace.web.records.attribution import attribution_for
from armtrace.web.records.reads import visible_item_keys
from armtrace.web.visibility import Audience

T = TypeVar("T")


@dataclass(frozen=True)
class Section(Generic[T]):
    """A section's value, or the reason it has none."""

    value: T | None
    missing: str | None = None


def section(compute: Callable[[], T]) -> Section[T]:
    try:
        return Section(compute())
    except ArmtraceError as exc:
        return Section(None, str(exc))


def summary_section(store: Store, audience: Audience, **scope: str) -> Section[Any]:
    """The supply-chain summary (sentence and counts) of a scope such as ``item_key=...`` or
    ``weapon_system=...``, over the items the audience may see."""

    def compute() -> Any:
        return summarise(store, Scope(**scope, published_only=not audience.full))  # type: ignore[arg-type]

    return section(compute)


def dating_section(store: Store, item_key: str) -> Section[Any]:
    """The item's "assembled not before" bound with the components that set it."""

    def compute() -> Any:
        return item_dating(store, item_key)

    return section(compute)


def attribution_section(store: Store, audience: Audience, item_key: str) -> Section[Any]:
    """Ranked weapon-system candidates for the item (JSON), unpublished reference items unnamed
    for an audience that may not see them."""

    def compute() -> Any:
        return attribution_for(store, audience, item_key)

    return section(compute)


def links_section(store: Store, audience: Audience, item_key: str) -> Section[list[Any]]:
    """Items linked to this one (same build), limited to those the audience may see."""

    def compute() -> list[Any]:
        links = links_for_item(store, item_key)
        visible = visible_item_keys(store, audience, {_other(link, item_key) for link in links})
        return [link for link in links if _other(link, item_key) in visible]

    return section(compute)


def _other(link: Any, item_key: str) -> str:
    return str(link.item_b if link.item_a == item_key else link.item_a)
