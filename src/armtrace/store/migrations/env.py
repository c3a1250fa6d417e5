"""Alembic environment: migrations run on the connection armtrace hands over."""

from __future__ import annotations

from alembic import context

from armtrace.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - armtrace always passes its own connection
    raise RuntimeError("armtrace migrations run through armtrace.store.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
