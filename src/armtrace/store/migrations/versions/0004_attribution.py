"""Attribution: link judgements (tables in armtrace/store/tables_attribution.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "link_judgements",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("item_a_id", BigId, nullable=False),
        sa.Column("item_b_id", BigId, nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text()),
        sa.CheckConstraint("item_a_id < item_b_id", name="ck_link_judgements_ordered_pair"),
        sa.CheckConstraint("verdict IN ('same', 'different')", name="ck_link_judgements_verdict"),
        sa.ForeignKeyConstraint(
            ["item_a_id"], ["items.id"], name="fk_link_judgements_item_a_id_items"
        ),
        sa.ForeignKeyConstraint(
            ["item_b_id"], ["items.id"], name="fk_link_judgements_item_b_id_items"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_link_judgements"),
        sa.UniqueConstraint(
            "item_a_id", "item_b_id", name="uq_link_judgements_item_a_id_item_b_id"
        ),
    )
    op.create_index("ix_link_judgements_item_a_id", "link_judgements", ["item_a_id"])
    op.create_index("ix_link_judgements_item_b_id", "link_judgements", ["item_b_id"])


def downgrade() -> None:
    op.drop_index("ix_link_judgements_item_b_id", table_name="link_judgements")
    op.drop_index("ix_link_judgements_item_a_id", table_name="link_judgements")
    op.drop_table("link_judgements")
