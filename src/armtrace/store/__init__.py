"""The store: SQLite by default, PostgreSQL by URL, schema managed by Alembic migrations."""

from armtrace.store.db import Store, migrate

__all__ = ["Store", "migrate"]
