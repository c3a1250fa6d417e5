"""Sanctions screening (tables in armtrace/store/tables_screening.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "screening_lists",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_lists"),
        sa.UniqueConstraint("file_sha256", name="uq_screening_lists_file_sha256"),
    )
    op.create_index("ix_screening_lists_dataset", "screening_lists", ["dataset"])
    op.create_table(
        "screening_entities",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("list_id", BigId, nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("countries", sa.Text(), nullable=False),
        sa.Column("identifiers", sa.Text(), nullable=False),
        sa.Column("listed_since", sa.Date()),
        sa.Column("sanctions", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["screening_lists.id"],
            name="fk_screening_entities_list_id_screening_lists",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_screening_entities"),
        sa.UniqueConstraint("list_id", "entity_id", name="uq_screening_entities_list_id_entity_id"),
    )
    op.create_index("ix_screening_entities_list_id", "screening_entities", ["list_id"])
    op.create_table(
        "screening_results",
        sa.Column("match_id", sa.String(16), nullable=False),
        sa.Column("party_key", sa.Text(), nullable=False),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("party_country", sa.String(2)),
        sa.Column("party_source", sa.String(20), nullable=False),
        sa.Column("party_reference", sa.Text()),
        sa.Column("transfer_date", sa.Date()),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("listed_since", sa.Date()),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("match_id", name="pk_screening_results"),
    )
    op.create_index("ix_screening_results_party_key", "screening_results", ["party_key"])
    op.create_table(
        "screening_judgements",
        sa.Column("match_id", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("match_id", name="pk_screening_judgements"),
    )
    op.create_table(
        "screening_parties",
        sa.Column("party_key", sa.String(400), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("transfer_date", sa.Date()),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("identifiers", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("party_key", name="pk_screening_parties"),
    )
    op.create_table(
        "screening_runs",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("trigger", sa.String(40), nullable=False),
        sa.Column("parties", sa.Integer(), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=False),
        sa.Column("list_versions", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_runs"),
    )


def downgrade() -> None:
    op.drop_table("screening_runs")
    op.drop_table("screening_parties")
    op.drop_table("screening_judgements")
    op.drop_index("ix_screening_results_party_key", table_name="screening_results")
    op.drop_table("screening_results")
    op.drop_index("ix_screening_entities_list_id", table_name="screening_entities")
    op.drop_table("screening_entities")
    op.drop_index("ix_screening_lists_dataset", table_name="screening_lists")
    op.drop_table("screening_lists")
