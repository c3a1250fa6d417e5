"""SIGKILL during a schema upgrade: the store keeps its old schema or has the new one, never a
mix, the next upgrade completes and every row is still there.

A store at revision 0002 (the oldest with components) holds an imported sheet with photos; each
round clones it, opens the clone in a child process (opening a store upgrades it to head, as
every armtrace command and ``armtrace serve`` do) and kills that process after a random delay
between its measured start-up and the end of a measured whole upgrade. The 0002 -> 0003 step
rebuilds the items table on SQLite (a batch copy), the longest window.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, insert, inspect, select, text

from armtrace.settings import load_settings
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, migrate
from armtrace.store.dialect import make_engine
from hardening.faults import (
    SLOW_KINDS,
    check_sound,
    kill_after,
    pg_admin,
    pg_url,
    store_env,
    timed_run,
)
from hardening.fuzzing import RESULTS
from sheetdata import KHARKIV, write_csv

OLD = "0002"
KILLS = int(os.environ.get("ARMTRACE_MIGRATE_KILLS", "1"))
ITEMS = int(os.environ.get("ARMTRACE_MIGRATE_ITEMS", "5000"))
# Open the store from the environment, as every command does (that is what upgrades it).
OPENS = "from armtrace.settings import load_settings; from armtrace.store import Store; " + (
    "Store.open(load_settings()).close()"
)
OPEN = [sys.executable, "-c", OPENS]


def _content(engine: Engine, tables: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the old schema's tables (its columns only), sorted."""
    with engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in tables.sorted_tables
            if t.name != "alembic_version"
        }


def _revision(engine: Engine) -> tuple[str, set[str]]:
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        return str(revision), set(inspect(conn).get_table_names())


class _Clones:
    """Copies of the old store: a file copy on SQLite, a template copy on PostgreSQL."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind, self.tmp_path = kind, tmp_path
        self.made: list[str] = []
        self.golden = self.url("golden")

    def url(self, name: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.tmp_path / name}.db"
        database = f"armtrace_mig_{name}_{uuid.uuid4().hex[:8]}"
        pg_admin(f'CREATE DATABASE "{database}"')
        self.made.append(database)
        return str(pg_url(database))

    def clone(self) -> str:
        if self.kind == "sqlite":
            target = self.tmp_path / f"clone-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(self.golden[len("sqlite:///") :], target)
            return f"sqlite:///{target}"
        database = f"armtrace_mig_clone_{uuid.uuid4().hex[:8]}"
        golden = self.golden.rsplit("/", 1)[1]
        pg_admin(f'CREATE DATABASE "{database}" TEMPLATE "{golden}"')
        self.made.append(database)
        return str(pg_url(database))

    def drop(self) -> None:
        for database in self.made:
            pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def clones(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[_Clones]:
    kind = request.param
    if kind == "postgres":
        try:
            made = _Clones(kind, tmp_path)
        except Exception as exc:  # psycopg.Error: server down
            pytest.skip(f"PostgreSQL not reachable: {exc}")
    else:
        made = _Clones(kind, tmp_path)
    yield made
    made.drop()


def _fill_old(clones: _Clones, filled: Store) -> MetaData:
    """Migrate the golden store to OLD and copy the filled store's rows into it."""
    engine = make_engine(clones.golden)
    try:
        migrate(engine, OLD)
        old = MetaData()
        old.reflect(engine)
        new = MetaData()
        new.reflect(filled.engine)
        with filled.engine.connect() as source, engine.begin() as target:
            for table in old.sorted_tables:
                if table.name == "alembic_version":
                    continue
                columns = [new.tables[table.name].c[c.name] for c in table.columns]
                rows = [dict(r._mapping) for r in source.execute(select(*columns))]
                if rows:
                    target.execute(insert(table), rows)
            if target.dialect.name == "postgresql":  # ids were copied: move sequences past them
                for table in old.sorted_tables:
                    if "id" in table.c and table.name != "alembic_version":
                        target.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"coalesce(max(id), 0) + 1, false) FROM {table.name}"
                            )
                        )
    finally:
        engine.dispose()
    return old


KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("clones", KINDS, indirect=True)
def test_failed_upgrade_leaves_the_old_schema(clones: _Clones) -> None:
    # Regression: on SQLite every DDL statement of an upgrade committed on its own, so an
    # upgrade stopped half-way (killed, or failing) left a schema no revision describes.
    engine = make_engine(clones.golden)
    try:
        migrate(engine, OLD)
        with engine.begin() as conn:  # makes step 0008 fail, after 0003-0007 did their DDL
            conn.execute(text("CREATE TABLE alert_events (x INTEGER)"))
        before = _revision(engine)
        with pytest.raises(Exception, match="alert_events"):
            migrate(engine)
        assert _revision(engine) == before
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alert_events"))
        migrate(engine)
        assert "alert_feed_keys" in _revision(engine)[1]
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("clones", SLOW_KINDS, indirect=True)
def test_kill_during_upgrade(
    clones: _Clones, empty_store_factory: Callable[[str], Store], tmp_path: Path
) -> None:
    filled = empty_store_factory("sqlite")
    for n in range(3):
        (tmp_path / f"p{n}.jpg").write_bytes(b"\xff\xd8\xff\xe0 chip photo " + bytes([n]) * 999)
    records = [
        {**KHARKIV, "item_id": f"M-{i // 2:06d}", "component_id": f"C{i}", "marking": "LM358"}
        | {"photo": f"p{i}.jpg" if i < 3 else ""}
        for i in range(2 * ITEMS)
    ]
    import_sheet(filled, write_csv(tmp_path / "m.csv", records), actor="migration-kill")
    old = _fill_old(clones, filled)
    evidence = filled.evidence.root
    engine = make_engine(clones.golden)
    before = _content(engine, old)
    old_tables = _revision(engine)[1]
    engine.dispose()
    # Calibrate: start-up on an up-to-date store, then a whole upgrade.
    scratch = clones.clone()
    whole = timed_run(OPEN, store_env(scratch, evidence))
    startup = min(timed_run(OPEN, store_env(scratch, evidence)) for _ in range(2))
    engine = make_engine(scratch)
    head, head_tables = _revision(engine)
    engine.dispose()
    rng = random.Random()
    outcomes = {"old schema": 0, "new schema": 0}
    for _ in range(KILLS):
        url = clones.clone()
        kill_after(OPEN, store_env(url, evidence), rng.uniform(startup * 0.8, whole * 1.05))
        engine = make_engine(url)
        revision, names = _revision(engine)
        engine.dispose()
        assert (revision, names) in ((OLD, old_tables), (head, head_tables)), (revision, names)
        outcomes["old schema" if revision == OLD else "new schema"] += 1
        store = Store.open(load_settings(db=url, evidence=str(evidence)))  # upgrades again
        try:
            assert _revision(store.engine)[0] == head
            assert _content(store.engine, old) == before  # every row, every value
            check_sound(store)
        finally:
            store.close()
    RESULTS[f"kill_upgrade.{clones.kind}"] = {
        "kills": KILLS,
        "from_revision": OLD,
        "to_revision": head,
        "items": ITEMS,
        "components": 2 * ITEMS,
        "upgrade_seconds": round(whole, 1),
        "startup_seconds": round(startup, 1),
        **outcomes,
    }
