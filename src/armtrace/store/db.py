"""Open a store, bring its schema up to date, and hand out connections.

Opening a store always runs pending migrations, so a fresh machine needs no set-up step and an
old database is upgraded in place before anything reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from armtrace.errors import StoreError
from armtrace.evidence.files import EvidenceStore
from armtrace.settings import Settings
from armtrace.store import tables
from armtrace.store.dialect import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the bundled migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision``."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


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
            raise StoreError(f"the store failed: {exc.orig}") from exc

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


def redact_url(url: str) -> str:
    """Hide a password in a database URL before it reaches a message or a log."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url
