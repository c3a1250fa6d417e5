"""Analysts' link judgements, kept apart from machine link scores.

Tables registered on the store's metadata (migration 0004 builds them).

Invariants:
- One row per unordered pair of items: ``item_a_id < item_b_id``; a new judgement on the pair
  replaces the row, and the audit log keeps every earlier verdict.
- Machine scores are never stored here; they are recomputed, the judgement survives.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from armtrace.store.tables import BigId, metadata

link_judgements = Table(
    "link_judgements",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("item_a_id", BigId, ForeignKey("items.id"), nullable=False, index=True),
    Column("item_b_id", BigId, ForeignKey("items.id"), nullable=False, index=True),
    Column("verdict", String(12), nullable=False),  # "same" | "different"
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
    UniqueConstraint("item_a_id", "item_b_id"),
    CheckConstraint("item_a_id < item_b_id", name="ck_link_judgements_ordered_pair"),
    CheckConstraint("verdict IN ('same', 'different')", name="ck_link_judgements_verdict"),
)
