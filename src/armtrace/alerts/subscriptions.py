"""Subscriptions: who follows what, and how they want to hear about it.

Invariants:
- Subscriptions are keyed by user name (accounts live elsewhere) and carry their own target:
  a webhook URL with a shared secret, an e-mail address, or nothing for the Atom feed.
- Creating or cancelling one writes an audit entry in the same transaction; a cancelled
  subscription keeps its row (its deliveries point at it) and loses its match keys.
- The webhook secret is shown once, when the subscription is created, never listed again.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from armtrace.alerts.matching import subscription_keys
from armtrace.alerts.outbox import AlertError
from armtrace.alerts.validate import validated
from armtrace.audit import record_change
from armtrace.errors import NotFound
from armtrace.store import Store
from armtrace.store.dialect import bulk_insert
from armtrace.store.tables_alerts import alert_subscription_keys, alert_subscriptions


class SubscriptionNotFound(AlertError, NotFound):
    """No such subscription (or not the asking user's own)."""


@dataclass(frozen=True)
class Subscription:
    """One user's interest in one topic, with where and how often to deliver."""

    id: int
    user_name: str
    topic: str
    values: tuple[str, ...]
    channel: str
    target: str | None
    digest: str
    created_at: datetime
    cancelled_at: datetime | None
    secret: str | None = None  # only set on the object ``subscribe`` returns

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values; the secret appears only when it was just created."""
        data: dict[str, Any] = {
            "id": self.id,
            "user": self.user_name,
            "topic": self.topic,
            "values": list(self.values),
            "channel": self.channel,
            "target": self.target,
            "digest": self.digest,
            "created_at": self.created_at.isoformat(),
            "cancelled_at": self.cancelled_at.isoformat() if self.cancelled_at else None,
        }
        if self.secret is not None:
            data["secret"] = self.secret
        return data


def subscribe(
    store: Store,
    *,
    user_name: str,
    topic: str,
    values: Sequence[str] = (),
    channel: str = "feed",
    target: str | None = None,
    digest: str = "none",
    secret: str | None = None,
    actor: str,
) -> Subscription:
    """Create a subscription (validated) with its match keys and an audit entry."""
    clean = validated(user_name, topic, values, channel, target, digest)
    secret = (secret or secrets.token_urlsafe(32)) if channel == "webhook" else None
    now = datetime.now(UTC)
    with store.begin() as conn:
        subscription_id = conn.execute(
            insert(alert_subscriptions)
            .values(
                user_name=user_name.strip(),
                topic=topic,
                value=json.dumps(list(clean)) if clean else None,
                channel=channel,
                target=target,
                secret=secret,
                digest=digest,
                created_at=now,
            )
            .returning(alert_subscriptions.c.id)
        ).scalar_one()
        keys = subscription_keys(topic, clean)
        bulk_insert(
            conn,
            "alert_subscription_keys",
            ("match_key", "subscription_id"),
            [(key, subscription_id) for key in keys],
        )
        created = Subscription(
            int(subscription_id), user_name.strip(), topic, clean, channel, target, digest, now,
            None, secret,
        )  # fmt: skip
        after = {**created.as_json(), "secret": None, "keys": keys}
        record_change(
            conn, actor=actor, action="subscribe", entity="subscription",
            entity_key=str(subscription_id), after=after,
        )  # fmt: skip
    return created


def unsubscribe(
    store: Store, subscription_id: int, *, actor: str, user_name: str | None = None
) -> Subscription:
    """Cancel a subscription; with ``user_name``, only that user's own one."""
    with store.begin() as conn:
        current = _get(conn, subscription_id)
        if current is None or (user_name is not None and current.user_name != user_name):
            raise SubscriptionNotFound(
                f"no subscription {subscription_id}"
                + (f" of user {user_name!r}" if user_name else "")
                + ": see `armtrace alerts list`"
            )
        if current.cancelled_at is not None:
            return current
        now = datetime.now(UTC)
        conn.execute(
            update(alert_subscriptions)
            .where(alert_subscriptions.c.id == subscription_id)
            .values(cancelled_at=now)
        )
        conn.execute(
            delete(alert_subscription_keys).where(
                alert_subscription_keys.c.subscription_id == subscription_id
            )
        )
        before = current.as_json()
        record_change(
            conn, actor=actor, action="unsubscribe", entity="subscription",
            entity_key=str(subscription_id), before=before,
            after={**before, "cancelled_at": now.isoformat()},
        )  # fmt: skip
    return _replace_cancelled(current, now)


def list_subscriptions(
    store: Store, *, user_name: str | None = None, include_cancelled: bool = False
) -> list[Subscription]:
    """Subscriptions, oldest first, optionally of one user and with cancelled ones."""
    t = alert_subscriptions
    query = select(t).order_by(t.c.id)
    if user_name is not None:
        query = query.where(t.c.user_name == user_name)
    if not include_cancelled:
        query = query.where(t.c.cancelled_at.is_(None))
    with store.engine.connect() as conn:
        return [_from_row(row._mapping) for row in conn.execute(query)]


def get_subscription(store: Store, subscription_id: int) -> Subscription:
    """One subscription by id; raises AlertError when there is none."""
    with store.engine.connect() as conn:
        found = _get(conn, subscription_id)
    if found is None:
        raise SubscriptionNotFound(f"no subscription {subscription_id}: see `armtrace alerts list`")
    return found


def _get(conn: Connection, subscription_id: int) -> Subscription | None:
    row = conn.execute(
        select(alert_subscriptions).where(alert_subscriptions.c.id == subscription_id)
    ).first()
    return _from_row(row._mapping) if row is not None else None


def _from_row(row: Any) -> Subscription:
    return Subscription(
        id=int(row["id"]),
        user_name=row["user_name"],
        topic=row["topic"],
        values=tuple(json.loads(row["value"])) if row["value"] else (),
        channel=row["channel"],
        target=row["target"],
        digest=row["digest"],
        created_at=_utc(row["created_at"]),
        cancelled_at=_utc(row["cancelled_at"]) if row["cancelled_at"] else None,
    )


def _replace_cancelled(sub: Subscription, at: datetime) -> Subscription:
    return Subscription(
        sub.id, sub.user_name, sub.topic, sub.values, sub.channel, sub.target, sub.digest,
        sub.created_at, at,
    )  # fmt: skip


def _utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes (written in UTC), PostgreSQL aware ones.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
