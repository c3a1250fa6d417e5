"""Subscriptions and the delivery outbox.

Tables registered on the store's metadata (migration 0008 builds them).

Invariants:
- An event row is written in the same transaction as the change that caused it (the outbox), so
  a change and its event commit together or not at all.
- ``dispatched_at`` is set in the same transaction that writes the event's deliveries; a
  delivery is unique per (subscription, event), so fanning out twice writes nothing new.
- A subscription is never deleted (its deliveries point at it); unsubscribing sets
  ``cancelled_at`` and removes its match keys.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from armtrace.store.tables import BigId, metadata

alert_events = Table(
    "alert_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),  # UUID receivers dedupe on
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),  # JSON object
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("dispatched_at", DateTime(timezone=True), index=True),
    Column("dispatched_by", String(100)),
)

alert_subscriptions = Table(
    "alert_subscriptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_name", String(200), nullable=False, index=True),
    Column("topic", String(30), nullable=False),
    Column("value", Text),  # JSON list of what is followed (codes, names, prefixes), or null
    Column("channel", String(10), nullable=False),  # webhook | email | feed
    Column("target", Text),  # URL or e-mail address; null for feed
    Column("secret", String(100)),  # webhook HMAC key
    Column("digest", String(10), nullable=False),  # none | hourly | daily
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("cancelled_at", DateTime(timezone=True)),
)

# One row per value a live subscription follows: matching an event is an indexed look-up of the
# event's keys here, never a scan of all subscriptions.
alert_subscription_keys = Table(
    "alert_subscription_keys",
    metadata,
    Column("match_key", String(300), nullable=False),
    Column(
        "subscription_id",
        BigId,
        ForeignKey("alert_subscriptions.id"),
        nullable=False,
        index=True,
    ),
    PrimaryKeyConstraint("match_key", "subscription_id"),
)

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subscription_id", BigId, ForeignKey("alert_subscriptions.id"), nullable=False),
    Column("event_id", BigId, ForeignKey("alert_events.id"), nullable=False, index=True),
    Column("state", String(10), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("subscription_id", "event_id"),
)
Index(
    "ix_alert_deliveries_state_next_attempt_at",
    alert_deliveries.c.state,
    alert_deliveries.c.next_attempt_at,
)

# The secret that opens a user's Atom feed without a session (feed readers cannot log in);
# only its SHA-256 is kept.
alert_feed_keys = Table(
    "alert_feed_keys",
    metadata,
    Column("user_name", String(200), primary_key=True),
    Column("secret_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
