"""A crash halfway through an import leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from armtrace.errors import ImportRejected
from armtrace.settings import Settings, load_settings
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from sheetdata import KHARKIV, rows, write_csv


class Crash(Exception):
    """Stands in for anything that stops an import between two batches."""


def test_exception_between_batches_rolls_back(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "first.csv", rows()))
    before = store.counts()
    photo = tmp_path / "chip.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo of a chip")
    records = [
        {**KHARKIV, "item_id": "KH-0002", "component_id": f"C{i}", "marking": f"LM358 {i}"}
        for i in range(2000)
    ]
    records[0]["photo"] = "chip.jpg"
    sheet = write_csv(tmp_path / "big.csv", records)
    calls = []

    def crash_after_first_batch(done: int, total: int) -> None:
        calls.append(done)
        raise Crash("power cut")

    with pytest.raises(Crash):
        import_sheet(store, sheet, batch_size=300, on_progress=crash_after_first_batch)
    assert calls, "the crash must happen after a batch was written"
    assert store.counts() == before
    objects = list((tmp_path / "evidence" / "objects").rglob("*"))
    assert not [p for p in objects if p.is_file()], "a rolled-back photo must not stay stored"


def test_killed_process_leaves_nothing(store_url: str, tmp_path: Path) -> None:
    records = [
        {**KHARKIV, "item_id": f"KH-{i // 200:05d}", "component_id": f"C{i}", "marking": "LM358"}
        for i in range(400_000)
    ]
    sheet = write_csv(tmp_path / "big.csv", records)
    env = {**os.environ, "ARMTRACE_DB": store_url, "ARMTRACE_EVIDENCE": str(tmp_path / "ev")}
    code = (
        "import sys; from pathlib import Path; from armtrace.settings import load_settings;"
        "from armtrace.store import Store; from armtrace.sheets.importer import import_sheet;"
        "s = Store.open(load_settings());"
        "import_sheet(s, Path(sys.argv[1]), batch_size=20000,"
        " on_progress=lambda d, t: print('batch', flush=True))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(sheet)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for _ in range(3):  # three batches written inside the open transaction
        assert proc.stdout.readline().startswith("batch")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.2)
    store = Store.open(_settings(store_url, tmp_path))
    try:
        counts = store.counts()
        assert (counts["items"], counts["components"], counts["imports"]) == (0, 0, 0)
        if store_url.startswith("sqlite"):
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.close()


def test_rejected_file_after_good_one_keeps_the_good_one(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "good.csv", rows()))
    before = store.counts()
    bad = rows(item_id="KH-0009")
    bad[-1]["latitude"] = "north"
    with pytest.raises(ImportRejected):
        import_sheet(store, write_csv(tmp_path / "bad.csv", bad))
    assert store.counts() == before


def _settings(url: str, tmp_path: Path) -> Settings:
    return load_settings(db=url, evidence=str(tmp_path / "ev"))
