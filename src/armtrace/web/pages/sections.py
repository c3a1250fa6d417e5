"""The analysis sections of an item page, each from its own library function.

Invariants:
- A section whose library function is not installed or not implemented yet reads as
  "not available yet" instead of breaking the page; an ``ArmtraceError`` shows its message.
- Links to items the audience may not see are dropped here, before any template gets them,
  and attribution texts name no reference item the audience may not see.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from armtrace.errors import ArmtraceError
from armtrace.store import Store
from armtrace.web.records.reads import visible_item_keys
from armtrace.web.visibility import Audience

T = TypeVar("T")
NOT_AVAILABLE = "not available yet"


@dataclass(frozen=True)
class Section(Generic[T]):
    """A section's value, or the reason it has none."""

    value: T | None
    missing: str | None = None


def library(module: str, name: str) -> Any:
    """A function or class from another armtrace module, looked up when first used, so a
    module still being built only disables its own section."""
    found = getattr(importlib.import_module(module), name, None)
    if found is None:
        raise ImportError(f"{module}.{name} is not available")
    return found


def section(compute: Callable[[], T]) -> Section[T]:
    try:
        return Section(compute())
    except (ImportError, NotImplementedError):
        return Section(None, NOT_AVAILABLE)
    except ArmtraceError as exc:
        return Section(None, str(exc))


def summary_section(store: Store, audience: Audience, **scope: str) -> Section[Any]:
    """The supply-chain summary (sentence and counts) of a scope such as ``item_key=...`` or
    ``weapon_system=...``, over the items the audience may see."""

    def compute() -> Any:
        make_scope = library("armtrace.reports.summary", "Scope")
        summarise = library("armtrace.reports.summary", "summarise")
        return summarise(store, make_scope(**scope, published_only=not audience.full))

    return section(compute)


def dating_section(store: Store, item_key: str) -> Section[Any]:
    """The item's "assembled not before" bound with the components that set it."""

    def compute() -> Any:
        return library("armtrace.dating.items", "item_dating")(store, item_key)

    return section(compute)


def attribution_section(store: Store, audience: Audience, item_key: str) -> Section[Any]:
    """Ranked weapon-system candidates for the item (JSON), unpublished reference items unnamed
    for an audience that may not see them."""

    def compute() -> Any:
        return library("armtrace.web.records.attribution", "attribution_for")(
            store, audience, item_key
        )

    return section(compute)


def links_section(store: Store, audience: Audience, item_key: str) -> Section[list[Any]]:
    """Items linked to this one (same build), limited to those the audience may see."""

    def compute() -> list[Any]:
        links = library("armtrace.attribution.linking", "links_for_item")(store, item_key)
        visible = visible_item_keys(store, audience, {_other(link, item_key) for link in links})
        return [link for link in links if _other(link, item_key) in visible]

    return section(compute)


def _other(link: Any, item_key: str) -> str:
    return str(link.item_b if link.item_a == item_key else link.item_a)
