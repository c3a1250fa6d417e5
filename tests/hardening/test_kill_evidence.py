"""SIGKILL during ``armtrace evidence add``: the files are recorded together or not at all.

Each round adds three photos (8 MiB each, one transaction) in a child process and kills it after
a random delay between the measured start-up and the end of a measured whole add. After each
kill: evidence and custody rows are the baseline or the baseline plus all three, every object
in the directory hashes to its name (a kill mid-copy leaves at most a temporary file, never an
object), ``armtrace evidence verify`` and ``armtrace audit verify`` pass. Kills per store:
ARMTRACE_FAULT_KILLS.
"""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from hardening.faults import (
    DEEP,
    KILLS,
    SLOW_KINDS,
    armtrace,
    check_sound,
    kill_after,
    store_env,
    timed_run,
)
from hardening.fuzzing import RESULTS
from sheetdata import KHARKIV, write_csv

SIZE = (8 if DEEP else 2) << 20


def _state(store: Store) -> tuple[int, int]:
    counts = store.counts()
    return counts["evidence"], counts["evidence_custody"]


def _fresh(factory: Callable[[str], Store], kind: str, tmp_path: Path) -> Store:
    store = factory(kind)
    (tmp_path / "base.jpg").write_bytes(b"\xff\xd8\xff\xe0 baseline photo")
    record = {**KHARKIV, "component_id": "C1", "marking": "LM358", "photo": "base.jpg"}
    import_sheet(store, write_csv(tmp_path / "base.csv", [record]), actor="baseline")
    return store


def _cli_checks(store: Store) -> None:
    env = store_env(store.settings.db_url, store.evidence.root)
    for command in (armtrace("evidence", "verify"), armtrace("audit", "verify")):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind", SLOW_KINDS)
def test_kill_during_evidence_add(
    kind: str, empty_store_factory: Callable[[str], Store], tmp_path: Path
) -> None:
    photos = []
    for n in range(3):
        photo = tmp_path / f"photo{n}.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(SIZE))
        photos.append(str(photo))
    command = armtrace("evidence", "add", *photos, "--note", "kill test")
    scratch = _fresh(empty_store_factory, kind, tmp_path)
    whole_seconds = timed_run(command, store_env(scratch.settings.db_url, scratch.evidence.root))
    startup = timed_run(armtrace("--help"), dict(os.environ))
    store = _fresh(empty_store_factory, kind, tmp_path)
    baseline = _state(store)
    whole = (baseline[0] + 3, baseline[1] + 3)
    rng = random.Random()
    outcomes = {"nothing": 0, "all three": 0, "temporary files left": 0}
    for round_ in range(KILLS):
        env = store_env(store.settings.db_url, store.evidence.root)
        kill_after(command, env, rng.uniform(startup * 0.8, whole_seconds * 1.05))
        state = _state(store)
        assert state in (baseline, whole), f"half-recorded evidence: {state}"
        check_sound(store)
        if round_ == 0:  # the same checks through the commands a user runs
            _cli_checks(store)
        outcomes["temporary files left"] += len(list((store.evidence.root / "tmp").glob("*")))
        outcomes["nothing" if state == baseline else "all three"] += 1
        if state == whole:
            store = _fresh(empty_store_factory, kind, tmp_path)
    timed_run(command, store_env(store.settings.db_url, store.evidence.root))
    assert _state(store) == whole
    check_sound(store)
    RESULTS[f"kill_evidence_add.{kind}"] = {
        "kills": KILLS,
        "files_per_add": 3,
        "mib_per_file": SIZE >> 20,
        "add_seconds": round(whole_seconds, 1),
        "startup_seconds": round(startup, 1),
        **outcomes,
    }
