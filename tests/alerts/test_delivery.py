"""Deliveries to a real HTTP receiver, a real SMTP server and the Atom feed."""

from __future__ import annotations

import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from armtrace.alerts import emit
from armtrace.alerts.digest import due_at
from armtrace.alerts.feed import atom_feed, history, new_feed_key, user_for_feed_key
from armtrace.alerts.subscriptions import subscribe
from armtrace.alerts.webhook import ALLOW_PRIVATE_ENV, TargetRefused, public_address
from armtrace.alerts.worker import WorkerConfig, run_worker
from armtrace.store import Store
from armtrace.store.tables_alerts import alert_deliveries

ATOM = "{http://www.w3.org/2005/Atom}"
FAST = WorkerConfig(poll_seconds=0.05, retry_base_seconds=0.2, retry_cap_seconds=0.5)


@contextmanager
def worker(store: Store, config: WorkerConfig = FAST) -> Iterator[None]:
    """Run the worker in a thread for the duration of the block."""
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(store, config), kwargs={"stop": stop})
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def _emit_items(store: Store, count: int, **payload: Any) -> None:
    with store.begin() as conn:
        for n in range(count):
            emit(conn, "item.documented", {"item": f"EX-{n:04d}", "country": "UA", **payload})


def _states(store: Store) -> list[tuple[str, int]]:
    with store.engine.connect() as conn:
        return [
            (state, attempts)
            for state, attempts in conn.execute(
                select(alert_deliveries.c.state, alert_deliveries.c.attempts).order_by(
                    alert_deliveries.c.id
                )
            )
        ]


def _webhook(store: Store, receiver: Any, path: str = "/hook", **options: Any) -> int:
    made = subscribe(
        store, user_name="ana", topic="country", values=["UA"], channel="webhook",
        target=receiver.url + path, actor="ana", **options,
    )  # fmt: skip
    assert made.secret is not None
    receiver.secrets[path] = made.secret
    return made.id


def test_webhook_posts_signed_json_once_per_event(
    store: Store, receiver: Any, wait: Callable[..., bool]
) -> None:
    _webhook(store, receiver)
    subscribe(store, user_name="ana", topic="country", values=["KP"], channel="webhook",
              target=receiver.url + "/other", actor="ana")  # fmt: skip
    _emit_items(store, 5, weapon_system="KN-23")
    with worker(store):
        assert wait(lambda: receiver.distinct == 5)
    assert receiver.event_posts == 5 and receiver.bad_signatures == 0
    post = receiver.posts[0]
    assert post["kind"] == "item.documented" and post["path"] == "/hook"
    assert post["header_ids"] == post["id"]
    assert post["payload"]["weapon_system"] == "KN-23"
    assert post["summary"].startswith("New item EX-")
    assert _states(store) == [("sent", 1)] * 5


def test_a_forged_signature_is_caught_by_the_receiver(
    store: Store, receiver: Any, wait: Callable[..., bool]
) -> None:
    _webhook(store, receiver)
    receiver.secrets["/hook"] = "not-the-shared-secret"
    _emit_items(store, 1)
    with worker(store):
        assert wait(lambda: receiver.distinct == 1)
    assert receiver.bad_signatures == 1


def test_email_goes_through_the_smtp_server(
    store: Store, smtp: Any, wait: Callable[..., bool]
) -> None:
    subscribe(store, user_name="ana", topic="weapon_system", values=["KN-23"], channel="email",
              target="ana@example.org", actor="ana")  # fmt: skip
    _emit_items(store, 2, weapon_system="KN-23", exercise=True)
    with worker(store):
        assert wait(lambda: len(smtp.messages) == 2)
    message = smtp.messages[0]
    assert message["To"] == "ana@example.org" and message["From"] == "alerts@example.org"
    assert message["Subject"].startswith("[armtrace] EXERCISE DATA: New item EX-")
    body = message.get_payload()
    assert "weapon_system: KN-23" in body and "not proof of wrongdoing" in body
    assert len({m["Message-ID"] for m in smtp.messages}) == 2


def test_email_without_a_server_waits_and_retries(
    store: Store, monkeypatch: Any, wait: Callable[..., bool]
) -> None:
    monkeypatch.delenv("ARMTRACE_SMTP_URL", raising=False)
    subscribe(store, user_name="ana", topic="country", values=["UA"], channel="email",
              target="ana@example.org", actor="ana")  # fmt: skip
    _emit_items(store, 1)
    with worker(store):
        assert wait(lambda: _states(store) and _states(store)[0][1] >= 2)
    with store.engine.connect() as conn:
        state, error = conn.execute(
            select(alert_deliveries.c.state, alert_deliveries.c.last_error)
        ).one()
    assert state == "pending" and "ARMTRACE_SMTP_URL" in error


def test_a_receiver_that_was_down_gets_everything_once_it_returns(
    store: Store, receiver: Any, wait: Callable[..., bool]
) -> None:
    _webhook(store, receiver)
    receiver.stop()
    _emit_items(store, 20)
    with worker(store):
        # Every delivery is tried and fails while the receiver is down...
        assert wait(lambda: all(a >= 2 for _, a in _states(store)) and len(_states(store)) == 20)
        assert {s for s, _ in _states(store)} == {"pending"}
        receiver.start()  # ...and goes through once it is back.
        assert wait(lambda: receiver.distinct == 20)
        assert wait(lambda: {s for s, _ in _states(store)} == {"sent"})
    assert receiver.event_posts == 20  # each event posted once: only failed tries repeated


def test_an_answer_that_cannot_improve_fails_the_delivery(
    store: Store, receiver: Any, wait: Callable[..., bool]
) -> None:
    _webhook(store, receiver)
    receiver.status = 410  # Gone: retrying will not help
    _emit_items(store, 1)
    with worker(store):
        assert wait(lambda: _states(store) == [("failed", 1)])
    with store.engine.connect() as conn:
        error = conn.execute(select(alert_deliveries.c.last_error)).scalar_one()
    assert "HTTP 410" in error


def test_a_target_on_an_internal_address_is_refused_and_not_posted_to(
    store: Store, receiver: Any, wait: Callable[..., bool], monkeypatch: Any
) -> None:
    # The receiver listens on 127.0.0.1; without the operator's switch armtrace must not post
    # there (SSRF), and retrying cannot help, so the delivery fails at once.
    monkeypatch.delenv(ALLOW_PRIVATE_ENV)
    _webhook(store, receiver)
    _emit_items(store, 1)
    with worker(store):
        assert wait(lambda: _states(store) == [("failed", 1)])
    with store.engine.connect() as conn:
        error = conn.execute(select(alert_deliveries.c.last_error)).scalar_one()
    assert "127.0.0.1" in error and ALLOW_PRIVATE_ENV in error
    assert receiver.posts == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.1", "169.254.169.254", "[::1]",
             "[::ffff:127.0.0.1]", "0.0.0.0", "100.64.0.1"],
)  # fmt: skip
def test_internal_addresses_are_refused(host: str, monkeypatch: Any) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    with pytest.raises(TargetRefused) as caught:
        public_address(host.strip("[]"), 80)
    assert caught.value.permanent


def test_a_name_with_any_internal_address_is_refused(monkeypatch: Any) -> None:
    # One public and one internal answer: refused, whichever the resolver would give next.
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.7"):
        public_address("mixed.example.org", 443)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers[:1])
    assert public_address("public.example.org", 443) == (socket.AF_INET, "93.184.215.14")


def test_internal_addresses_are_allowed_when_the_operator_says_so(monkeypatch: Any) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    assert public_address("127.0.0.1", 80) == (socket.AF_INET, "127.0.0.1")


def test_events_older_than_the_max_age_stop_being_retried(
    store: Store, receiver: Any, wait: Callable[..., bool]
) -> None:
    _webhook(store, receiver)
    receiver.stop()
    _emit_items(store, 1)
    config = WorkerConfig(poll_seconds=0.05, retry_base_seconds=0.1, max_age_seconds=0.5)
    with worker(store, config):
        assert wait(lambda: bool(_states(store)) and _states(store)[0][0] == "failed")
    assert _states(store)[0][1] >= 2


def test_hourly_digest_batches_a_period_into_one_post(
    store: Store, receiver: Any, wait: Callable[..., bool]
) -> None:
    _webhook(store, receiver, digest="hourly")
    _emit_items(store, 3)
    with worker(store):
        assert wait(lambda: len(_states(store)) == 3)
        with store.engine.connect() as conn:
            due = conn.execute(select(alert_deliveries.c.next_attempt_at)).scalars().all()
        expected = due_at("hourly", datetime.now(UTC))
        assert {d.replace(tzinfo=UTC) if d.tzinfo is None else d for d in due} == {expected}
        assert receiver.posts == []  # nothing before the hour is over
        with store.begin() as conn:  # the hour ends
            past = datetime.now(UTC) - timedelta(seconds=1)
            conn.execute(update(alert_deliveries).values(next_attempt_at=past))
        assert wait(lambda: receiver.distinct == 3)
    assert len(receiver.posts) == 1
    digest = receiver.posts[0]
    assert digest["kind"] == "digest" and digest["period"] == "hourly"
    assert len(digest["events"]) == 3 and receiver.bad_signatures == 0


def test_digest_periods_end_on_the_hour_and_at_midnight() -> None:
    at = datetime(2026, 11, 24, 20, 41, 7, tzinfo=UTC)
    assert due_at("hourly", at) == datetime(2026, 11, 24, 21, tzinfo=UTC)
    assert due_at("daily", at) == datetime(2026, 11, 25, tzinfo=UTC)
    assert due_at("none", at) == at


def test_atom_feed_is_valid_and_holds_the_users_events(store: Store) -> None:
    subscribe(store, user_name="ana", topic="country", values=["UA"], actor="ana")
    subscribe(store, user_name="bob", topic="country", values=["KP"], actor="bob")
    empty = ET.fromstring(atom_feed(store, "ana"))
    assert empty.tag == f"{ATOM}feed" and empty.findall(f"{ATOM}entry") == []
    _emit_items(store, 3, exercise=True)
    run_worker(store, FAST, once=True)
    feed = ET.fromstring(atom_feed(store, "ana", base_url="http://x/alerts/feed/ana.atom"))
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
        assert entry.findtext(f"{ATOM}title", "").startswith("EXERCISE DATA: New item")
        assert entry.findtext(f"{ATOM}updated", "").endswith("Z")
    assert ET.fromstring(atom_feed(store, "bob")).findall(f"{ATOM}entry") == []
    assert [h.deliveries for h in history(store, user_name="ana")] == [{"sent": 1}] * 3


def test_feed_keys_open_one_users_feed(store: Store) -> None:
    first = new_feed_key(store, "ana", actor="ana")
    assert user_for_feed_key(store, first) == "ana"
    second = new_feed_key(store, "ana", actor="ana")
    assert user_for_feed_key(store, first) is None  # replaced
    assert user_for_feed_key(store, second) == "ana"
    assert user_for_feed_key(store, "guess") is None
