"""Trace requests and custody chains (tables in armtrace/store/tables_tracing.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "trace_requests",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("recipient_name", sa.Text(), nullable=False),
        sa.Column("recipient_kind", sa.String(30), nullable=False),
        sa.Column("recipient_country", sa.String(2)),
        sa.Column("manufacturer_id", sa.String(100)),
        sa.Column("state", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("exercise", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("sent_on", sa.Date()),
        sa.Column("acknowledged_on", sa.Date()),
        sa.Column("answered_on", sa.Date()),
        sa.Column("refused_on", sa.Date()),
        sa.Column("refusal_text", sa.Text()),
        sa.Column("reply_state", sa.String(20)),
        sa.Column("reply_summary", sa.Text()),
        sa.Column("reply_sent_on", sa.Date()),
        sa.Column("replied_on", sa.Date()),
        sa.Column("reply_text", sa.Text()),
        sa.Column("reply_lapsed_on", sa.Date()),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trace_requests"),
        sa.UniqueConstraint("key", name="uq_trace_requests_key"),
    )
    op.create_index("ix_trace_requests_state", "trace_requests", ["state"])
    op.create_table(
        "trace_request_components",
        sa.Column("request_id", BigId, nullable=False),
        sa.Column("component_id", BigId, nullable=False),
        sa.PrimaryKeyConstraint("request_id", "component_id", name="pk_trace_request_components"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["trace_requests.id"],
            name="fk_trace_request_components_request_id_trace_requests",
        ),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["components.id"],
            name="fk_trace_request_components_component_id_components",
        ),
    )
    op.create_index(
        "ix_trace_request_components_component_id", "trace_request_components", ["component_id"]
    )
    op.create_table(
        "trace_answers",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("request_id", BigId, nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("document_sha256", sa.String(64)),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trace_answers"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["trace_requests.id"], name="fk_trace_answers_request_id_trace_requests"
        ),
        sa.ForeignKeyConstraint(
            ["document_sha256"],
            ["evidence.sha256"],
            name="fk_trace_answers_document_sha256_evidence",
        ),
    )
    op.create_index("ix_trace_answers_request_id", "trace_answers", ["request_id"])
    op.create_table(
        "disclosure_terms",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("company_key", sa.String(300), nullable=False),
        sa.Column("company_name", sa.Text(), nullable=False),
        sa.Column("company_kind", sa.String(30)),
        sa.Column("company_country", sa.String(2)),
        sa.Column("request_id", BigId),
        sa.Column("may_name_publicly", sa.Boolean(), nullable=False),
        sa.Column("may_name_after", sa.Date()),
        sa.Column("answer_confidential", sa.Boolean(), nullable=False),
        sa.Column("public_label", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disclosure_terms"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["trace_requests.id"],
            name="fk_disclosure_terms_request_id_trace_requests",
        ),
    )
    op.create_index("ix_disclosure_terms_company_key", "disclosure_terms", ["company_key"])
    op.create_table(
        "custody_transfers",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("from_company", sa.Text(), nullable=False),
        sa.Column("from_country", sa.String(2)),
        sa.Column("to_company", sa.Text(), nullable=False),
        sa.Column("to_country", sa.String(2)),
        sa.Column("transfer_date", sa.Date()),
        sa.Column("lot", sa.Text()),
        sa.Column("document_sha256", sa.String(64)),
        sa.Column("request_id", BigId),
        sa.Column("exercise", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("note", sa.Text()),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_custody_transfers"),
        sa.ForeignKeyConstraint(
            ["document_sha256"],
            ["evidence.sha256"],
            name="fk_custody_transfers_document_sha256_evidence",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["trace_requests.id"],
            name="fk_custody_transfers_request_id_trace_requests",
        ),
    )
    op.create_index("ix_custody_transfers_request_id", "custody_transfers", ["request_id"])
    op.create_table(
        "transfer_components",
        sa.Column("transfer_id", BigId, nullable=False),
        sa.Column("component_id", BigId, nullable=False),
        sa.PrimaryKeyConstraint("transfer_id", "component_id", name="pk_transfer_components"),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["custody_transfers.id"],
            name="fk_transfer_components_transfer_id_custody_transfers",
        ),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["components.id"],
            name="fk_transfer_components_component_id_components",
        ),
    )
    op.create_index("ix_transfer_components_component_id", "transfer_components", ["component_id"])
    op.create_table(
        "diversion_marks",
        sa.Column("transfer_id", BigId, nullable=False),
        sa.Column("last_legitimate_custodian", sa.Text(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("marked_by", sa.Text(), nullable=False),
        sa.Column("marked_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("transfer_id", name="pk_diversion_marks"),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["custody_transfers.id"],
            name="fk_diversion_marks_transfer_id_custody_transfers",
        ),
    )


def downgrade() -> None:
    for name in (
        "diversion_marks",
        "transfer_components",
        "custody_transfers",
        "disclosure_terms",
        "trace_answers",
        "trace_request_components",
        "trace_requests",
    ):
        op.drop_table(name)
