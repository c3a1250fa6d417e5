"""Helpers for the fault tests: run armtrace in a child process, kill it, check the store.

Repetitions come from the environment so the suite stays short and scripts/reliability can run
many: ARMTRACE_FAULT_KILLS (default 1 per store and fault). The suite runs the slowest fault
tests (each kill starts a process) on SQLite only; with ARMTRACE_FAULT_KILLS set, as
scripts/reliability does, they run on PostgreSQL too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest

from armtrace.audit import verify_chain
from armtrace.evidence.files import sha256_file
from armtrace.evidence.records import verify_all
from armtrace.store import Store

KILLS = int(os.environ.get("ARMTRACE_FAULT_KILLS", "1"))
DEEP = "ARMTRACE_FAULT_KILLS" in os.environ
# Store kinds for the slow fault tests: PostgreSQL only in the long runs.
SLOW_KINDS: list[Any] = ["sqlite"] + (
    [pytest.param("postgres", marks=pytest.mark.postgres)] if DEEP else []
)
PG_ADMIN = os.environ.get("ARMTRACE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def store_env(url: str, evidence: Path, **extra: str) -> dict[str, str]:
    """The environment of an armtrace child process working on one store."""
    return {
        **os.environ,
        "ARMTRACE_DB": url,
        "ARMTRACE_EVIDENCE": str(evidence),
        "ARMTRACE_USER": "fault-test",
        **extra,
    }


def armtrace(*args: str) -> list[str]:
    """The command line of ``armtrace ARGS`` run by this interpreter."""
    return [sys.executable, "-m", "armtrace", *args]


def timed_run(command: Sequence[str], env: dict[str, str]) -> float:
    """Run a command to completion (it must succeed); returns its wall time."""
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return time.monotonic() - started


def kill_after(command: Sequence[str], env: dict[str, str], delay: float) -> int:
    """Start a command, SIGKILL it after ``delay`` seconds; returns its exit status."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60)


def check_sound(store: Store) -> None:
    """Audit chain verifies, every recorded evidence file hashes to its name, no stray object
    is partial and, on SQLite, the integrity check passes."""
    assert verify_chain(store).ok
    with store.engine.connect() as conn:
        assert verify_all(conn, store.evidence) == []
        if store.settings.db_url.startswith("sqlite"):
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    for path in (store.evidence.root / "objects").rglob("*"):
        if path.is_file():
            assert sha256_file(path) == path.name


def pg_url(database: str) -> str:
    """The URL of a database on the test PostgreSQL server."""
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{database}"


def pg_admin(sql: str) -> None:
    """Run one statement as the administrator (autocommit: CREATE/DROP DATABASE)."""
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)
