"""Subscriptions: validated, audited, matched to events by key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, insert, select

from armtrace.alerts import AlertError
from armtrace.alerts.matching import KeyIndex, event_keys, match_events, subscription_keys
from armtrace.alerts.subscriptions import list_subscriptions, subscribe, unsubscribe
from armtrace.audit import entries
from armtrace.store import Store
from armtrace.store.tables_alerts import alert_subscription_keys, alert_subscriptions

ITEM = {
    "item": "EX-MSL-005",
    "country": "UA",
    "weapon_system": "KN-23",
    "manufacturers": ["linear-technology", "Texas Instruments"],
    "part_numbers": ["ADM3202ARNZ", "STM32F407VGT6"],
}
LINK = {"items": ["EX-MSL-001", "EX-MSL-005"]}
SANCTIONS = {"company": "FICTIONAL TRADING LTD"}
Payload = dict[str, object]


@pytest.mark.parametrize(
    ("topic", "values", "kind", "payload", "reached"),
    [
        ("weapon_system", ["kn23"], "item.documented", ITEM, True),
        ("weapon_system", ["KN-24"], "item.documented", ITEM, False),
        ("country", ["ua", "KP"], "item.documented", ITEM, True),
        ("country", ["KP"], "item.documented", ITEM, False),
        ("manufacturer", ["TI"], "item.documented", ITEM, True),
        # A follower of the owner hears about parts of the company it bought.
        ("manufacturer", ["Analog Devices"], "item.documented", ITEM, True),
        ("manufacturer", ["Linear Technology"], "item.documented", ITEM, True),
        ("manufacturer", ["Maxim Integrated"], "item.documented", ITEM, False),
        ("part_number", ["stm32f4"], "item.documented", ITEM, True),
        ("part_number", ["ADM-32"], "item.documented", ITEM, True),
        ("part_number", ["STM32F1"], "item.documented", ITEM, False),
        (
            "item_link",
            ["EX-MSL-001"],
            "link.confirmed",
            LINK,
            True,
        ),
        (
            "item_link",
            ["EX-MSL-002"],
            "link.confirmed",
            LINK,
            False,
        ),
        ("first_sighting", [], "first_sighting", {"item": "EX-RKT-1977"}, True),
        ("first_sighting", [], "item.documented", ITEM, False),
        ("sanctions", [], "sanctions.match", SANCTIONS, True),
        ("trace_deadline", [], "trace.deadline", {"request": "TR-0001"}, True),
        (
            "manufacturer",
            ["Fictional Trading Ltd."],
            "sanctions.match",
            SANCTIONS,
            True,
        ),
    ],
)
def test_keys_meet(
    topic: str, values: list[str], kind: str, payload: dict[str, object], reached: bool
) -> None:
    assert bool(set(subscription_keys(topic, values)) & event_keys(kind, payload)) is reached


def test_subscribe_list_unsubscribe_are_audited(store: Store) -> None:
    made = subscribe(
        store, user_name="ana", topic="country", values=["ua", "KP", "UA"], channel="webhook",
        target="https://hooks.example.org/a", actor="lead",
    )  # fmt: skip
    assert made.values == ("UA", "KP") and made.secret and len(made.secret) > 30
    other = subscribe(store, user_name="bob", topic="first_sighting", actor="lead")
    assert [s.id for s in list_subscriptions(store)] == [made.id, other.id]
    assert [s.id for s in list_subscriptions(store, user_name="ana")] == [made.id]
    assert "secret" not in list_subscriptions(store)[0].as_json()
    with pytest.raises(AlertError, match=r"no subscription \d+ of user 'bob'"):
        unsubscribe(store, made.id, actor="bob", user_name="bob")
    cancelled = unsubscribe(store, made.id, actor="ana", user_name="ana")
    assert cancelled.cancelled_at is not None
    assert [s.id for s in list_subscriptions(store)] == [other.id]
    assert len(list_subscriptions(store, include_cancelled=True)) == 2
    with store.engine.connect() as conn:
        keys = conn.execute(select(alert_subscription_keys.c.subscription_id)).scalars().all()
    assert keys == [other.id]
    log = entries(store, entity="subscription")
    assert [(e.action, e.entity_key, e.actor) for e in log] == [
        ("unsubscribe", str(made.id), "ana"),
        ("subscribe", str(other.id), "lead"),
        ("subscribe", str(made.id), "lead"),
    ]
    assert log[2].after is not None and log[2].after["secret"] is None  # never in the audit log


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"topic": "colour", "values": ["red"]}, "unknown topic 'colour'"),
        (
            {"topic": "country", "values": ["Ukraine"]},
            "alpha-2 country codes: UKRAINE",
        ),
        ({"topic": "country", "values": []}, "needs at least one value"),
        ({"topic": "part_number", "values": ["A"]}, "too short"),
        ({"topic": "sanctions", "values": ["x"]}, "takes no values"),
        ({"topic": "country", "values": ["UA"], "channel": "webhook", "target": "ftp://x"}, "http"),
        ({"topic": "country", "values": ["UA"], "channel": "email", "target": "ana"}, "address"),
        ({"topic": "country", "values": ["UA"], "digest": "hourly"}, "digests are for"),
        ({"topic": "country", "values": ["UA"], "channel": "pager"}, "unknown channel"),
        ({"topic": "country", "values": ["UA"], "user_name": " "}, "needs a user name"),
    ],
)
def test_bad_subscriptions_are_refused(
    store: Store, options: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"user_name": "ana", "actor": "ana", **options}
    with pytest.raises(AlertError, match=message):
        subscribe(store, **arguments)  # type: ignore[arg-type]  # deliberately malformed
    assert list_subscriptions(store, include_cancelled=True) == []


def test_matching_ten_thousand_subscriptions_finds_exactly_the_right_ones(store: Store) -> None:
    countries = ["UA", "KP", "RU", "IR", "CN", "US", "DE", "IL", "SY", "YE"]
    expected: set[int] = set()
    with store.begin() as conn:
        rows = []
        for n in range(10_000):
            code = countries[n % len(countries)]
            rows.append({"match_key": f"cc:{code}", "subscription_id": n + 1})
            if code == "KP":
                expected.add(n + 1)
        _bulk_keys(conn, rows)
        reached = match_events(conn, [(7, event_keys("first_sighting", {"country": "KP"}))])
    assert reached == {7: expected}


def _bulk_keys(conn: Connection, rows: list[dict[str, object]]) -> None:
    now = datetime.now(UTC)
    subs = [
        {"id": r["subscription_id"], "user_name": "u", "topic": "country", "channel": "feed",
         "digest": "none", "created_at": now}
        for r in rows
    ]  # fmt: skip
    conn.execute(insert(alert_subscriptions), subs)
    conn.execute(insert(alert_subscription_keys), rows)


def test_the_workers_key_index_follows_subscribe_and_unsubscribe(store: Store) -> None:
    index = KeyIndex()
    keys = event_keys("item.documented", ITEM)
    first = subscribe(store, user_name="ana", topic="weapon_system", values=["KN-23"], actor="a")
    with store.engine.connect() as conn:
        assert index.match(conn, [(1, keys)]) == {1: {first.id}} == match_events(conn, [(1, keys)])
    second = subscribe(store, user_name="bob", topic="part_number", values=["STM32"], actor="b")
    unsubscribe(store, first.id, actor="a")
    with store.engine.connect() as conn:
        assert index.match(conn, [(1, keys)]) == {1: {second.id}} == match_events(conn, [(1, keys)])
    unsubscribe(store, second.id, actor="b")
    with store.engine.connect() as conn:
        assert index.match(conn, [(1, keys)]) == {} == match_events(conn, [(1, keys)])
