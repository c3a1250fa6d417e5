"""Matching events to subscriptions by key, never by scanning every subscription.

Invariants:
- A subscription is stored as the match keys of what it follows ("ws:kn23", "cc:UA",
  "co:analog-devices", "pn:AD", "item:EX-MSL-001", "kind:first_sighting").
- An event yields the keys of everything it names; the subscriptions it reaches are one indexed
  look-up of those keys (``alert_subscription_keys`` primary key starts with ``match_key``).
- Both sides go through the same normalisers, so "KN-23" and "kn23", "Analog Devices Inc." and
  "analog-devices", "ad-620" and "AD620" meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, func, select

from armtrace.markings.readings import part_key
from armtrace.refdata.manufacturers import Registry, load_registry
from armtrace.refdata.names import compact_company_name
from armtrace.refdata.vocabulary import weapon_system_for_text
from armtrace.store.tables_alerts import alert_subscription_keys

# Topics a subscription can follow; those without values follow a whole kind of event.
VALUE_TOPICS = ("weapon_system", "manufacturer", "country", "part_number", "item_link")
KIND_TOPICS = {
    "first_sighting": "first_sighting",
    "sanctions": "sanctions.match",
    "trace_deadline": "trace.deadline",
}
TOPICS = (*VALUE_TOPICS, *KIND_TOPICS)
MIN_PREFIX = 2  # a part-number prefix shorter than this would match almost everything
MAX_PREFIX = 40


@cache
def _registry() -> Registry:
    return load_registry()


def weapon_system_key(text: str) -> str:
    """The key of a weapon system: its vocabulary id when known, else its compacted name."""
    system = weapon_system_for_text(text)
    return "ws:" + (system.id if system else "".join(ch for ch in text.casefold() if ch.isalnum()))


def company_keys(name: str) -> list[str]:
    """Keys of a company: its registry id and its current owner's, else its compacted name."""
    registry = _registry()
    maker = registry.resolve_name(name)
    if maker is None:
        return ["co:" + compact_company_name(name)]
    owner = registry.current_owner(maker.id)
    return sorted({"co:" + maker.id, "co:" + owner.id})


def part_prefix_keys(part: str) -> list[str]:
    """Every prefix of a folded part number, each one a key a prefix subscription can hold."""
    folded = part_key(part)[:MAX_PREFIX]
    return ["pn:" + folded[:n] for n in range(MIN_PREFIX, len(folded) + 1)]


def subscription_keys(topic: str, values: Sequence[str]) -> list[str]:
    """The match keys a subscription on ``topic`` with ``values`` is stored under."""
    if topic in KIND_TOPICS:
        return ["kind:" + KIND_TOPICS[topic]]
    keys: set[str] = set()
    for value in values:
        if topic == "weapon_system":
            keys.add(weapon_system_key(value))
        elif topic == "manufacturer":
            # Follow the company itself, not its owner: an owner's key is added on the event side.
            maker = _registry().resolve_name(value)
            keys.add("co:" + (maker.id if maker else compact_company_name(value)))
        elif topic == "country":
            keys.add("cc:" + value.upper())
        elif topic == "part_number":
            keys.add("pn:" + part_key(value)[:MAX_PREFIX])
        elif topic == "item_link":
            keys.add("item:" + value)
    return sorted(keys)


def _texts(payload: Mapping[str, Any], *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        value = payload.get(name)
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
        elif isinstance(value, list):
            found += [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return found


def event_keys(kind: str, payload: Mapping[str, Any]) -> set[str]:
    """Every key an event reaches: its kind and each subject it names."""
    keys = {"kind:" + kind}
    keys.update(weapon_system_key(t) for t in _texts(payload, "weapon_system", "weapon_systems"))
    keys.update("cc:" + t.upper() for t in _texts(payload, "country", "countries"))
    for name in _texts(payload, "manufacturers", "manufacturer", "companies", "company"):
        keys.update(company_keys(name))
    for part in _texts(payload, "part_numbers"):
        keys.update(part_prefix_keys(part))
    if kind == "link.confirmed" or kind == "first_sighting":
        keys.update("item:" + t for t in _texts(payload, "item", "items"))
    return keys


def match_events(
    conn: Connection, events: Iterable[tuple[int, set[str]]], chunk: int = 900
) -> dict[int, set[int]]:
    """Map each event row id to the ids of the live subscriptions its keys reach."""
    by_key: dict[str, list[int]] = {}
    for event_id, keys in events:
        for key in keys:
            by_key.setdefault(key, []).append(event_id)
    reached: dict[int, set[int]] = {}
    names = list(by_key)
    t = alert_subscription_keys
    for start in range(0, len(names), chunk):
        query = select(t.c.match_key, t.c.subscription_id).where(
            t.c.match_key.in_(names[start : start + chunk])
        )
        for key, subscription_id in conn.execute(query):
            for event_id in by_key[key]:
                reached.setdefault(event_id, set()).add(int(subscription_id))
    return reached


class KeyIndex:
    """The subscriptions' match keys held in memory by a worker, reloaded when they change.

    Subscription ids only grow and a cancelled subscription loses its keys, so the pair (number
    of key rows, highest subscription id) changes whenever any subscription is made or
    cancelled: one cheap query per batch tells whether the copy is still current.
    """

    def __init__(self) -> None:
        self.version: tuple[int, int] | None = None
        self.by_key: dict[str, list[int]] = {}

    def match(
        self, conn: Connection, events: Iterable[tuple[int, set[str]]]
    ) -> dict[int, set[int]]:
        """Like ``match_events``, from memory once the copy is checked to be current."""
        self._refresh(conn)
        reached: dict[int, set[int]] = {}
        for event_id, keys in events:
            for key in keys:
                found = self.by_key.get(key)
                if found:
                    reached.setdefault(event_id, set()).update(found)
        return reached

    def _refresh(self, conn: Connection) -> None:
        t = alert_subscription_keys
        count, highest = conn.execute(select(func.count(), func.max(t.c.subscription_id))).one()
        version = (int(count), int(highest or 0))
        if version == self.version:
            return
        by_key: dict[str, list[int]] = {}
        for key, subscription_id in conn.execute(select(t.c.match_key, t.c.subscription_id)):
            by_key.setdefault(key, []).append(int(subscription_id))
        self.by_key, self.version = by_key, version
