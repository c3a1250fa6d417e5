"""Sanctions lists, screening results and analysts' judgements.

Tables registered on the store's metadata (migration 0006 builds them).

Invariants:
- A list version is one file, identified by its SHA-256: loading the same file again changes
  nothing. Only the ``current`` version of each dataset keeps its entities; older versions keep
  their row (what was loaded, when, by whom) for the record.
- ``screening_results`` is machine output, rewritten per party on every screening run.
- ``screening_judgements`` holds people's decisions, keyed by the stable match id (party key +
  listed entity id), so a judgement survives re-screening and new list versions.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from armtrace.store.tables import BigId, metadata

screening_lists = Table(
    "screening_lists",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("dataset", String(200), nullable=False, index=True),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False, unique=True),
    Column("entities", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("actor", Text, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)

# One row per listed company/organisation/person of a current list version; JSON text columns.
screening_entities = Table(
    "screening_entities",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("list_id", BigId, ForeignKey("screening_lists.id"), nullable=False, index=True),
    Column("entity_id", String(200), nullable=False),
    Column("schema", String(40), nullable=False),
    Column("caption", Text, nullable=False),
    Column("names", Text, nullable=False),
    Column("countries", Text, nullable=False),
    Column("identifiers", Text, nullable=False),
    Column("listed_since", Date),
    Column("sanctions", Text, nullable=False),
    UniqueConstraint("list_id", "entity_id"),
)

screening_results = Table(
    "screening_results",
    metadata,
    Column("match_id", String(16), primary_key=True),
    Column("party_key", Text, nullable=False, index=True),
    Column("party_name", Text, nullable=False),
    Column("party_country", String(2)),
    Column("party_source", String(20), nullable=False),
    Column("party_reference", Text),
    Column("transfer_date", Date),
    Column("entity_id", String(200), nullable=False),
    Column("dataset", String(200), nullable=False),
    Column("caption", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("listed_since", Date),
    Column("detail", Text, nullable=False),  # the match as JSON: features, names compared...
    Column("screened_at", DateTime(timezone=True), nullable=False),
)

screening_judgements = Table(
    "screening_judgements",
    metadata,
    Column("match_id", String(16), primary_key=True),
    Column("verdict", String(10), nullable=False),
    Column("note", Text),
    Column("party_name", Text, nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("caption", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Companies named by hand for screening ("screen run --name"): screened again on every run.
screening_parties = Table(
    "screening_parties",
    metadata,
    Column("party_key", String(400), primary_key=True),
    Column("name", Text, nullable=False),
    Column("country", String(2)),
    Column("transfer_date", Date),
    Column("aliases", Text, nullable=False),  # JSON list
    Column("identifiers", Text, nullable=False),  # JSON list
    Column("added_by", Text, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

screening_runs = Table(
    "screening_runs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("trigger", String(40), nullable=False),  # "run" or "list-load"
    Column("parties", Integer, nullable=False),
    Column("matches", Integer, nullable=False),
    Column("list_versions", Text, nullable=False),  # JSON: the file hashes screened against
    Column("changes", Text, nullable=False),  # JSON: new, gone, crossed up/down
)
