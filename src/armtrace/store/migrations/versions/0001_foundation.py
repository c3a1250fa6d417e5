"""Foundation: incidents, items, components, evidence and its custody log, imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("incident_date", sa.Date()),
        sa.Column("place", sa.Text()),
        sa.Column("country", sa.String(2)),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("exercise", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("created_at", Stamp, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.UniqueConstraint("key", name="uq_incidents_key"),
    )
    op.create_table(
        "items",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("incident_id", BigId, nullable=False),
        sa.Column("item_type", sa.Text()),
        sa.Column("item_markings", sa.Text()),
        sa.Column("weapon_system", sa.Text()),
        sa.Column("notes", sa.Text()),
        sa.Column("created_at", Stamp, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("key", name="uq_items_key"),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_items_incident_id_incidents"
        ),
    )
    op.create_index("ix_items_incident_id", "items", ["incident_id"])
    op.create_table(
        "evidence",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("original_name", sa.Text()),
        sa.Column("created_at", Stamp, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("sha256", name="pk_evidence"),
    )
    op.create_table(
        "components",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("item_id", BigId, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("marking", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("manufacturer", sa.Text()),
        sa.Column("photo", sa.Text()),
        sa.Column("photo_sha256", sa.String(64)),
        sa.Column("notes", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_components"),
        sa.UniqueConstraint("item_id", "key", name="uq_components_item_id_key"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_components_item_id_items"),
        sa.ForeignKeyConstraint(
            ["photo_sha256"], ["evidence.sha256"], name="fk_components_photo_sha256_evidence"
        ),
    )
    op.create_index("ix_components_photo_sha256", "components", ["photo_sha256"])
    op.create_table(
        "evidence_custody",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("origin", sa.Text()),
        sa.Column("host", sa.Text()),
        sa.Column("detail", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_custody"),
        sa.ForeignKeyConstraint(
            ["sha256"], ["evidence.sha256"], name="fk_evidence_custody_sha256_evidence"
        ),
    )
    op.create_index("ix_evidence_custody_sha256", "evidence_custody", ["sha256"])
    op.create_table(
        "imports",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("components_written", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
    )


def downgrade() -> None:
    for table in ("imports", "evidence_custody", "components", "evidence", "items", "incidents"):
        op.drop_table(table)
