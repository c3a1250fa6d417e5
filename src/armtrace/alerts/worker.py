"""The delivery worker: fan out new events, send due deliveries, retry with back-off.

Invariants:
- A delivery is claimed by pushing its ``next_attempt_at`` one lease into the future (and
  counting the attempt) in a short transaction; it is sent outside any transaction and marked
  ``sent`` afterwards. A worker killed before the mark leaves it to be claimed again when the
  lease runs out: at-least-once. A duplicate reaches a receiver only when the kill lands between
  the send and the mark; it carries the same event id, so the receiver drops it.
- A failed send is retried after ``retry_base * 2**(attempts-1)`` seconds (capped); once the
  event is older than ``max_age`` or the receiver refuses for good, the delivery is ``failed``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from armtrace.alerts.deadlines import check_trace_deadlines
from armtrace.alerts.digest import email_text, webhook_body
from armtrace.alerts.dispatch import dispatch
from armtrace.alerts.email import send_email
from armtrace.alerts.matching import KeyIndex
from armtrace.alerts.messages import DeliveryFailed, Event
from armtrace.alerts.sightings import check_first_sightings
from armtrace.alerts.webhook import WebhookSender
from armtrace.store import Store
from armtrace.store.tables_alerts import alert_deliveries, alert_events, alert_subscriptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    """How the worker polls, claims and retries."""

    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    poll_seconds: float = 0.2
    batch: int = 200  # events fanned out per transaction
    delivery_batch: int = 500  # deliveries claimed per round
    threads: int = 8
    lease_seconds: float = 120.0
    retry_base_seconds: float = 5.0
    retry_cap_seconds: float = 3600.0
    max_age_seconds: float = 3 * 24 * 3600.0
    periodic_check_seconds: float = 600.0  # trace deadlines and first sightings


@dataclass(frozen=True)
class _Job:
    subscription: dict[str, Any]
    delivery_ids: list[int]
    attempts: int
    events: list[Event]


def deliver_due(store: Store, config: WorkerConfig, sender: WebhookSender, pool: Any) -> int:
    """Claim due deliveries, send them (in parallel), record each outcome; returns how many."""
    jobs = _claim(store, config)
    # Outcomes are recorded a few dozen at a time, so a worker killed mid-round re-sends at
    # most one chunk (the receiver drops those repeats by event id).
    chunk = config.threads * 8
    for start in range(0, len(jobs), chunk):
        part = jobs[start : start + chunk]
        _record(store, config, part, list(pool.map(lambda job: _send(job, sender), part)))
    return sum(len(job.delivery_ids) for job in jobs)


def run_worker(
    store: Store,
    config: WorkerConfig | None = None,
    *,
    stop: threading.Event | None = None,
    once: bool = False,
    on_round: Callable[[int, int], None] | None = None,
) -> None:
    """Dispatch and deliver until ``stop`` is set (or one pass with ``once``)."""
    config = config or WorkerConfig()
    stop = stop or threading.Event()
    sender = WebhookSender()
    next_check = 0.0
    index = KeyIndex()
    with ThreadPoolExecutor(config.threads, thread_name_prefix="armtrace-alerts") as pool:
        while not stop.is_set():
            if time.monotonic() >= next_check:
                check_trace_deadlines(store)
                check_first_sightings(store)
                next_check = time.monotonic() + config.periodic_check_seconds
            started = time.perf_counter()
            dispatched = dispatch(
                store, worker_id=config.worker_id, batch=config.batch, index=index
            )
            fanned = time.perf_counter()
            delivered = deliver_due(store, config, sender, pool)
            if dispatched or delivered:
                log.debug(
                    "dispatched %d events in %.3f s, delivered %d in %.3f s",
                    dispatched, fanned - started, delivered, time.perf_counter() - fanned,
                )  # fmt: skip
            if on_round is not None:
                on_round(dispatched, delivered)
            if once:
                return
            if not dispatched and not delivered:
                stop.wait(config.poll_seconds)


def _claim(store: Store, config: WorkerConfig) -> list[_Job]:
    d, e, s = alert_deliveries, alert_events, alert_subscriptions
    now = datetime.now(UTC)
    due = (
        select(d.c.id)
        .where(d.c.state == "pending", d.c.next_attempt_at <= now)
        .order_by(d.c.next_attempt_at, d.c.id)
        .limit(config.delivery_batch)
        .with_for_update(skip_locked=True)  # SQLite ignores it: its write lock serialises
    )
    with store.begin() as conn:
        claimed = conn.execute(
            update(d)
            .where(d.c.id.in_(due.scalar_subquery()))
            .values(
                next_attempt_at=now + timedelta(seconds=config.lease_seconds),
                attempts=d.c.attempts + 1,
            )
            .returning(d.c.id)
        ).scalars().all()  # fmt: skip
        if not claimed:
            return []
        rows = conn.execute(
            select(
                d.c.id.label("delivery_id"),
                d.c.attempts,
                e.c.id,
                e.c.event_id,
                e.c.kind,
                e.c.payload,
                e.c.created_at,
                s.c.id.label("subscription_id"),
                s.c.user_name,
                s.c.topic,
                s.c.value,
                s.c.channel,
                s.c.target,
                s.c.secret,
                s.c.digest,
            )
            .select_from(d.join(e, e.c.id == d.c.event_id).join(s, s.c.id == d.c.subscription_id))
            .where(d.c.id.in_(list(claimed)))
            .order_by(e.c.id)
        ).all()
    jobs: dict[object, _Job] = {}
    events: dict[int, Event] = {}  # many deliveries share an event: parse its payload once
    for row in rows:
        m = row._mapping
        # A digest subscription gets one message for all its due deliveries; others one each.
        key: object = m["subscription_id"] if m["digest"] != "none" else m["delivery_id"]
        if key not in jobs:
            subscription = {
                "id": int(m["subscription_id"]),
                "user": m["user_name"],
                "topic": m["topic"],
                "values": json.loads(m["value"]) if m["value"] else [],
                "channel": m["channel"],
                "target": m["target"],
                "secret": m["secret"],
                "digest": m["digest"],
            }
            jobs[key] = _Job(subscription, [], int(m["attempts"]), [])
        jobs[key].delivery_ids.append(int(m["delivery_id"]))
        event = events.get(int(m["id"]))
        if event is None:
            event = events[int(m["id"])] = Event.from_row(m)
        jobs[key].events.append(event)
    return list(jobs.values())


def _send(job: _Job, sender: WebhookSender) -> DeliveryFailed | None:
    sub = job.subscription
    ids = [event.event_id for event in job.events]
    try:
        if sub["channel"] == "webhook":
            body = webhook_body(job.events, sub, sub["digest"])
            sender.post(sub["target"], body, sub["secret"] or "", ids)
        elif sub["channel"] == "email":
            subject, text = email_text(job.events, sub, sub["digest"])
            send_email(sub["target"], subject, text, event_ids=ids, subscription_id=sub["id"])
    except DeliveryFailed as exc:
        return exc
    return None


def _record(
    store: Store, config: WorkerConfig, jobs: list[_Job], outcomes: list[DeliveryFailed | None]
) -> None:
    d = alert_deliveries
    now = datetime.now(UTC)
    sent = [
        i for job, out in zip(jobs, outcomes, strict=True) if out is None for i in job.delivery_ids
    ]
    with store.begin() as conn:
        if sent:
            conn.execute(
                update(d).where(d.c.id.in_(sent)).values(state="sent", sent_at=now, last_error=None)
            )
        for job, failure in zip(jobs, outcomes, strict=True):
            if failure is None:
                continue
            oldest = min(event.created_at for event in job.events)
            too_old = (now - oldest).total_seconds() > config.max_age_seconds
            if failure.permanent or too_old:
                values: dict[str, Any] = {"state": "failed", "last_error": str(failure)}
            else:
                wait = config.retry_base_seconds * 2 ** max(job.attempts - 1, 0)
                wait = min(wait, config.retry_cap_seconds)
                values = {
                    "next_attempt_at": now + timedelta(seconds=wait),
                    "last_error": str(failure),
                }
            conn.execute(update(d).where(d.c.id.in_(job.delivery_ids)).values(**values))
