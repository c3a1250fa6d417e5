"""Where-seen look-up: part keys filed under their symmetric-deletion variants and prefixes.

``where_seen`` used to read only readings whose part key began with the query's first five
characters, so a misread among those characters hid every sighting. This table files each stored
part key under itself, every spelling with one or two characters dropped, and its prefixes of six
or more characters; a query looks up its own such spellings with equality only, which both stores
index (see armtrace.markings.readings). Existing readings are filed here as well.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PREFIX_MIN = 6
DELETE_DEPTH = 2
BATCH = 5_000


def _filed_under(key: str) -> set[str]:
    # The rule of armtrace.markings.readings.filed_under as of this revision, copied so the
    # migration keeps building the same rows whatever the code does later: the key, its spellings
    # with one or two characters dropped, and its prefixes of six characters or more.
    found = {key}
    layer = {key}
    for _ in range(DELETE_DEPTH):
        layer = {word[:i] + word[i + 1 :] for word in layer for i in range(len(word))}
        found |= layer
    found.update(key[:n] for n in range(PREFIX_MIN, len(key)))
    found.discard("")
    return found


def upgrade() -> None:
    table = op.create_table(
        "part_key_variants",
        sa.Column("variant", sa.String(80), nullable=False),
        sa.Column("part_key", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("variant", "part_key", name="pk_part_key_variants"),
    )
    conn = op.get_bind()
    keys = [
        row[0]
        for row in conn.execute(
            sa.text("SELECT DISTINCT part_key FROM readings WHERE part_key IS NOT NULL")
        )
    ]
    for at in range(0, len(keys), BATCH):
        rows = [
            {"variant": variant, "part_key": key}
            for key in keys[at : at + BATCH]
            for variant in sorted(_filed_under(key))
        ]
        if rows:
            op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("part_key_variants")
