"""Search indexes: trigram (GIN) indexes for substring search, on PostgreSQL only.

Serial, marking and place search match ``upper(column) LIKE '%FRAGMENT%'``
(armtrace.attribution.serials, armtrace.web.records.search). A B-tree index cannot serve a
pattern that starts with a wildcard, so without these every search reads the whole table;
pg_trgm's GIN operator class serves exactly those expressions. SQLite has no equivalent: on
SQLite this migration does nothing and searches stay sequential scans.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# (index name, table, column): each index is on upper(column), the expression the queries use.
TRIGRAM_INDEXES = (
    ("ix_items_item_markings_trgm", "items", "item_markings"),
    ("ix_items_key_trgm", "items", "key"),
    ("ix_incidents_place_trgm", "incidents", "place"),
    ("ix_incidents_key_trgm", "incidents", "key"),
    ("ix_components_marking_trgm", "components", "marking"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (upper({column}) gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: other databases objects may use it, and it is harmless.
