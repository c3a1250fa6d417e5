"""Open a store, bring its schema up to date, and hand out connections.

Opening a store always runs pending migrations, so a fresh machine needs no set-up step and an
old database is upgraded in place before anything reads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from armtrace.errors import StoreError, StoreUnavailable
from armtrace.evidence.files import EvidenceStore
from armtrace.settings import Settings
from armtrace.store import tables
from armtrace.store.dialect import make_engine, raw_connection

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration (tests check it is Alembic's head). A store already there opens without
# importing Alembic, which costs about half a second of every command's start.
HEAD_REVISION = "0010"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the bundled migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision``, all steps in one transaction.

    A process killed mid-upgrade leaves the schema it started from, on both stores.
    """
    if revision == "head" and _revisions(engine) == {HEAD_REVISION}:
        # Up to date: nothing to do, and opening a store must not wait for another writer's lock.
        return
    from alembic import command

    cfg = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:  # PostgreSQL DDL is transactional as it is
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return
    with engine.connect() as conn:
        # Python's sqlite3 only opens a transaction before INSERT/UPDATE/DELETE and runs DDL in
        # autocommit: a kill inside a batch table rebuild left a half-built schema that the
        # next upgrade refused ("duplicate column name"). Open the transaction ourselves;
        # IMMEDIATE takes the write lock first, so two processes opening an old store at once
        # queue on the busy timeout instead of failing.
        driver = raw_connection(conn)
        legacy = driver.isolation_level
        driver.isolation_level = None
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
            except BaseException:
                if driver.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        finally:
            driver.isolation_level = legacy
            conn.rollback()  # SQLAlchemy's own (empty) transaction


def _revisions(engine: Engine) -> set[str]:
    """The schema revisions the database records (none for a new database)."""
    with engine.connect() as conn:
        try:
            return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except SQLAlchemyError:
            return set()  # no version table yet: a new store
        finally:
            conn.rollback()


class Store:
    """A database plus its evidence directory."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.evidence = EvidenceStore(settings.evidence_dir)

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """Connect, create the SQLite directory if needed, and apply pending migrations."""
        url = settings.db_url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(url)
        try:
            migrate(engine)
        except OperationalError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store at {redact_url(url)}: {exc.orig}") from exc
        return cls(settings, engine)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection inside one transaction: committed on success, rolled back on error."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise store_failure(exc, "the store failed") from exc

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables, for status lines and tests."""
        names = ("incidents", "items", "components", "evidence", "evidence_custody", "imports")
        try:
            with self.engine.connect() as conn:
                return {
                    name: int(
                        conn.execute(
                            select(func.count()).select_from(tables.metadata.tables[name])
                        ).scalar_one()
                    )
                    for name in names
                }
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store: {exc}") from exc

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()


# Errors of the database's operation (connection lost or refused, server shut down, locked,
# disk full) rather than of the statement: the same request can succeed later.
UNAVAILABLE = (OperationalError, psycopg.OperationalError, sqlite3.OperationalError)


def store_failure(exc: BaseException, doing: str) -> StoreError:
    """A short error for a failed transaction: the driver's first line, never the SQL or its
    parameters; ``StoreUnavailable`` when the database itself failed (try again later)."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    if isinstance(exc, UNAVAILABLE) or isinstance(cause, UNAVAILABLE):
        return StoreUnavailable(
            f"{doing}: the database is unavailable ({first}); nothing was written, try again"
        )
    return StoreError(f"{doing} ({first}); nothing was written")


def redact_url(url: str) -> str:
    """Hide a password in a database URL before it reaches a message or a log."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url
