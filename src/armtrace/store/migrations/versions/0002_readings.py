"""Readings: machine identification of each component, kept apart from analysts' entries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "readings",
        sa.Column("component_id", BigId, nullable=False),
        sa.Column("part_number", sa.Text()),
        sa.Column("part_key", sa.String(80)),
        sa.Column("part_stem", sa.String(8)),
        sa.Column("manufacturer_id", sa.String(100)),
        sa.Column("parent_id", sa.String(100)),
        sa.Column("country", sa.String(2)),
        sa.Column("date_raw", sa.String(40)),
        sa.Column("date_earliest", sa.Date()),
        sa.Column("date_latest", sa.Date()),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("registry_version", sa.String(16), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("ocr_text", sa.Text()),
        sa.PrimaryKeyConstraint("component_id", name="pk_readings"),
        sa.ForeignKeyConstraint(
            ["component_id"], ["components.id"], name="fk_readings_component_id_components"
        ),
    )
    op.create_index("ix_readings_part_key", "readings", ["part_key"])
    op.create_index("ix_readings_part_stem", "readings", ["part_stem"])


def downgrade() -> None:
    op.drop_table("readings")
