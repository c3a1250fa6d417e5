"""SQLAlchemy Core tables: the store's schema.

Invariants:
- Natural keys from the field (incident key, item key, component key within its item) are unique,
  so importing the same sheet twice finds the same rows and changes nothing.
- Component markings are stored verbatim; derived readings live in their own tables.
- Evidence rows are content-addressed (SHA-256); the file itself lives in the evidence directory.
- Migrations in ``migrations/versions`` must build exactly this schema (a test checks it).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants BIGINT for 10M+ rows.
BigId = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("incident_date", Date),
    Column("place", Text),
    Column("country", String(2)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("exercise", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

items = Table(
    "items",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("incident_id", BigId, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("item_type", Text),
    Column("item_markings", Text),
    Column("weapon_system", Text),
    Column("notes", Text),
    # draft -> verified -> published; viewers and public exports see published items only.
    Column("state", String(12), nullable=False, server_default="draft", index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

evidence = Table(
    "evidence",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("original_name", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

components = Table(
    "components",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("item_id", BigId, ForeignKey("items.id"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("marking", Text),
    Column("description", Text),
    Column("manufacturer", Text),
    Column("photo", Text),
    Column("photo_sha256", String(64), ForeignKey("evidence.sha256")),
    Column("notes", Text),
    UniqueConstraint("item_id", "key"),
)

# Who added which evidence, when and from where; append-only.
evidence_custody = Table(
    "evidence_custody",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("sha256", String(64), ForeignKey("evidence.sha256"), nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("origin", Text),
    Column("host", Text),
    Column("detail", Text),
)

imports = Table(
    "imports",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("rows", BigInteger, nullable=False),
    Column("components_written", BigInteger, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

Index("ix_components_photo_sha256", components.c.photo_sha256)

# Machine identification of each component, recomputed at will; an analyst's identification
# stays in components.manufacturer and is never overwritten by this table.
readings = Table(
    "readings",
    metadata,
    Column("component_id", BigId, ForeignKey("components.id"), primary_key=True),
    Column("part_number", Text),
    Column("part_key", String(80), index=True),  # OCR-folded part number, for look-ups
    Column("part_stem", String(8), index=True),  # first characters of part_key: the search bucket
    Column("manufacturer_id", String(100)),
    Column("parent_id", String(100)),
    Column("country", String(2)),
    Column("date_raw", String(40)),
    Column("date_earliest", Date),
    Column("date_latest", Date),
    Column("confidence", Float, nullable=False),
    Column("why", Text, nullable=False),
    Column("registry_version", String(16), nullable=False),
    Column("source", String(20), nullable=False),  # "marking" (typed) or "photo-ocr"
    Column("ocr_text", Text),  # what OCR read from the photo, when source is photo-ocr
)

# Where-seen look-up: each folded part key stored in readings is filed under its symmetric-deletion
# variants (itself and every spelling with one or two characters dropped) and under its prefixes
# of six characters or more, so a query finds stored keys a misread, dropped or extra character or
# two away, anywhere in the key, and ordering-suffix variants, with equality look-ups only (both
# stores). One row per (variant, key); kept by armtrace.markings.readings when readings are written.
part_key_variants = Table(
    "part_key_variants",
    metadata,
    Column("variant", String(80), primary_key=True),
    Column("part_key", String(80), primary_key=True),
)

# Tamper-evident audit trail of every change: each entry's hash covers its content and the previous
# entry's hash, so editing or deleting a past entry breaks the chain (armtrace audit verify).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(60), nullable=False),
    Column("entity", String(60), nullable=False),
    Column("entity_key", Text, nullable=False),
    Column("before", Text),  # canonical JSON, or null for a creation
    Column("after", Text),  # canonical JSON, or null for a deletion
    # Unique: two writers that read the same last entry cannot both append (no forked chain).
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
)

# Tables owned by later modules register themselves on the same metadata.
from armtrace.store import (  # noqa: E402, F401
    tables_accounts,
    tables_alerts,
    tables_attribution,
    tables_screening,
    tables_tracing,
)
