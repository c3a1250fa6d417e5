"""Fixtures for the hardening tests: empty stores of either kind, made on demand."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from armtrace.settings import load_settings
from armtrace.store import Store
from hardening.fuzzing import RESULTS, TRIED

PG_ADMIN = os.environ.get("ARMTRACE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def empty_store_factory(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """Makes empty stores of a given kind ("sqlite" or "postgres"), each with its own evidence."""
    opened: list[Store] = []
    databases: list[str] = []

    def make(kind: str) -> Store:
        name = uuid.uuid4().hex[:10]
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / name / 'armtrace.db'}"
        else:
            try:
                with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'CREATE DATABASE "armtrace_hard_{name}"')
            except psycopg.Error as exc:
                if os.environ.get("ARMTRACE_REQUIRE_POSTGRES") == "1":
                    pytest.fail(f"PostgreSQL not reachable: {exc}")
                pytest.skip(f"PostgreSQL not reachable: {exc}")
            databases.append(f"armtrace_hard_{name}")
            url = f"{PG_ADMIN.rsplit('/', 1)[0]}/armtrace_hard_{name}"
        store = Store.open(load_settings(db=url, evidence=str(tmp_path / name / "evidence")))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
    if databases:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for database in databases:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write inputs tried and other figures to $ARMTRACE_RELIABILITY_OUT/results-PID.json."""
    target = os.environ.get("ARMTRACE_RELIABILITY_OUT")
    if target and (TRIED or RESULTS):
        Path(target).mkdir(parents=True, exist_ok=True)
        figures = {"inputs_tried": dict(sorted(TRIED.items())), **RESULTS}
        out = Path(target) / f"results-{os.getpid()}.json"
        out.write_text(json.dumps(figures, indent=1, default=str) + "\n")
