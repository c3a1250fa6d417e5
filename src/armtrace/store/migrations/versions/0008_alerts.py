"""Alerts: subscriptions and outbox (tables in armtrace/store/tables_alerts.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("dispatched_at", When),
        sa.Column("dispatched_by", sa.String(100)),
        sa.PrimaryKeyConstraint("id", name="pk_alert_events"),
        sa.UniqueConstraint("event_id", name="uq_alert_events_event_id"),
    )
    op.create_index("ix_alert_events_dispatched_at", "alert_events", ["dispatched_at"])
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(30), nullable=False),
        sa.Column("value", sa.Text()),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("target", sa.Text()),
        sa.Column("secret", sa.String(100)),
        sa.Column("digest", sa.String(10), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("cancelled_at", When),
        sa.PrimaryKeyConstraint("id", name="pk_alert_subscriptions"),
    )
    op.create_index("ix_alert_subscriptions_user_name", "alert_subscriptions", ["user_name"])
    op.create_table(
        "alert_subscription_keys",
        sa.Column("match_key", sa.String(300), nullable=False),
        sa.Column("subscription_id", BigId, nullable=False),
        sa.PrimaryKeyConstraint("match_key", "subscription_id", name="pk_alert_subscription_keys"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alert_subscriptions.id"],
            name="fk_alert_subscription_keys_subscription_id_alert_subscriptions",
        ),
    )
    op.create_index(
        "ix_alert_subscription_keys_subscription_id",
        "alert_subscription_keys",
        ["subscription_id"],
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("subscription_id", BigId, nullable=False),
        sa.Column("event_id", BigId, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("next_attempt_at", When, nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("sent_at", When),
        sa.PrimaryKeyConstraint("id", name="pk_alert_deliveries"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alert_subscriptions.id"],
            name="fk_alert_deliveries_subscription_id_alert_subscriptions",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["alert_events.id"], name="fk_alert_deliveries_event_id_alert_events"
        ),
        sa.UniqueConstraint(
            "subscription_id", "event_id", name="uq_alert_deliveries_subscription_id_event_id"
        ),
    )
    op.create_index("ix_alert_deliveries_event_id", "alert_deliveries", ["event_id"])
    op.create_index(
        "ix_alert_deliveries_state_next_attempt_at",
        "alert_deliveries",
        ["state", "next_attempt_at"],
    )
    op.create_table(
        "alert_feed_keys",
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("user_name", name="pk_alert_feed_keys"),
        sa.UniqueConstraint("secret_sha256", name="uq_alert_feed_keys_secret_sha256"),
    )


def downgrade() -> None:
    for name in (
        "alert_feed_keys",
        "alert_deliveries",
        "alert_subscription_keys",
        "alert_subscriptions",
        "alert_events",
    ):
        op.drop_table(name)
