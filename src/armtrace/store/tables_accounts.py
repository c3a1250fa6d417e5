"""Accounts, sessions and API tokens (web application).

Tables registered on the store's metadata (migration 0005 builds them).

Invariants:
- Session and API tokens are stored as SHA-256 hex digests only; the clear value exists in the
  user's cookie or script, never in the database.
- A user is never deleted (audit entries name them); ``disabled`` ends every way of signing in.
- Failed logins are kept per name and client address for the rate limit, and pruned as they age.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, String, Table, Text, func

from armtrace.store.tables import BigId, metadata

users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("client", Text),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("client", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

Index(
    "ix_login_failures_name_client_at",
    login_failures.c.name,
    login_failures.c.client,
    login_failures.c.at,
)
