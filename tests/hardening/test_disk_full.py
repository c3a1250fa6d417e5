"""A full disk: import and evidence add fail with a message naming what failed, exit 1, and
leave the store as it was.

The store's evidence directory (and, on SQLite, the database) lives on a 2 MiB tmpfs when this
process may mount one (root, as on the project's machines); otherwise the child process runs
under RLIMIT_FSIZE with SIGXFSZ ignored, so a write past the limit fails with EFBIG instead.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from armtrace.settings import load_settings
from armtrace.store import Store
from hardening.faults import SLOW_KINDS, armtrace, check_sound, pg_admin, pg_url, store_env
from hardening.fuzzing import RESULTS
from sheetdata import KHARKIV, rows, write_csv

LIMIT = 2 << 20


@contextlib.contextmanager
def _tiny_disk(where: Path) -> Iterator[Callable[[], None] | None]:
    """Mount a 2 MiB tmpfs at ``where``; without the right to mount, a child-process limit."""
    where.mkdir(parents=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={LIMIT}", "tmpfs", str(where)],
            capture_output=True,
        ).returncode
        == 0
    )
    if mounted:
        try:
            yield None
        finally:
            subprocess.run(["umount", "-l", str(where)], check=False)
        return

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    yield limit


@pytest.fixture(params=SLOW_KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _url(kind: str, disk: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{disk / 'armtrace.db'}"
        return
    database = f"armtrace_full_{uuid.uuid4().hex[:8]}"
    try:
        pg_admin(f'CREATE DATABASE "{database}"')
    except Exception as exc:  # psycopg.Error: no server
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        yield pg_url(database)
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _big_sheet(tmp_path: Path) -> Path:
    records = [
        {**KHARKIV, "item_id": f"F-{i // 100:04d}", "component_id": f"C{i}"}
        | {"marking": "LM358 / 2201", "notes": "a note that takes room " * 4}
        for i in range(20_000)
    ]
    return Path(write_csv(tmp_path / "big.csv", records))


def test_disk_full(kind: str, tmp_path: Path) -> None:
    photo = tmp_path / "big.jpg"  # larger than the whole disk
    photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(LIMIT + (1 << 20)))
    small = tmp_path / "small.jpg"
    small.write_bytes(b"\xff\xd8\xff\xe0 a chip")
    sheet_rows = rows()
    sheet_rows[0] |= {"photo": "small.jpg"}
    sheet_rows[1] |= {"photo": "big.jpg"}
    sheet = write_csv(tmp_path / "sheet.csv", sheet_rows)
    disk = tmp_path / "disk"
    with _tiny_disk(disk) as limit:
        for url in _url(kind, disk):
            evidence = disk / "evidence"
            store = Store.open(load_settings(db=url, evidence=str(evidence)))
            try:
                # Something already stored, so "unchanged" means more than "empty".
                base = write_csv(tmp_path / "base.csv", [{**KHARKIV, "item_id": "BASE"}])
                ok = subprocess.run(armtrace("import", str(base)), env=store_env(url, evidence))
                assert ok.returncode == 0
                before = store.counts()
                failures = []
                full = f"cannot write to the evidence directory {evidence}"
                cases = [
                    (armtrace("import", str(sheet)), full),
                    (armtrace("evidence", "add", str(photo)), full),
                ]
                if kind == "sqlite":  # the database file itself fills the disk
                    cases.append((armtrace("import", str(_big_sheet(tmp_path))), "disk is full"))
                for command, expected in cases:
                    done = subprocess.run(
                        command, env=store_env(url, evidence), capture_output=True,
                        text=True, preexec_fn=limit, timeout=300,
                    )  # fmt: skip
                    message = done.stderr.strip()
                    assert done.returncode == 1, message
                    assert "Traceback" not in message
                    assert expected in message, message
                    assert "cannot read" not in message  # the photo itself is fine
                    assert store.counts() == before
                    check_sound(store)
                    assert not [p for p in (evidence / "tmp").iterdir()]  # no partial file
                    failures.append(message.splitlines()[0][:160])
                RESULTS[f"disk_full.{kind}"] = {
                    "cases": len(failures),
                    "how": "tmpfs 2 MiB" if limit is None else "RLIMIT_FSIZE 2 MiB",
                    "messages": failures,
                }
            finally:
                store.close()
