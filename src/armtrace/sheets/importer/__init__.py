"""Import a component sheet: all rows land, or none do.

Invariants:
- One database transaction per file. Any bad row, a duplicate, a database error or a crash leaves
  the store as it was; evidence files first stored by a failed import are removed again.
- Every bad row is reported (file, row, column, reason), not only the first.
- Importing the same file twice changes nothing: rows are merged by natural key, and a merge that
  changes nothing writes nothing.
- Memory stays bounded whatever the file size: rows stream through in batches; what is kept per
  row is one 8-byte hash and its row number (to find duplicate component ids at the end).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from armtrace.errors import ImportRejected
from armtrace.sheets.importer.report import ImportReport, ProgressFn
from armtrace.sheets.importer.run import _Run
from armtrace.sheets.readers import SheetError, open_sheet
from armtrace.sheets.timings import phase
from armtrace.sheets.timings import report as report_timings
from armtrace.store import Store
from armtrace.store.db import store_failure
from armtrace.store.dialect import DRIVER_ERRORS

__all__ = ["ImportReport", "import_sheet"]


def import_sheet(
    store: Store,
    path: Path,
    *,
    actor: str | None = None,
    exercise: bool = False,
    on_progress: ProgressFn | None = None,
    batch_size: int = 50_000,
    today: date | None = None,
) -> ImportReport:
    """Import one component sheet into the store, all or nothing."""
    started = time.perf_counter()
    try:
        reader = open_sheet(path)
    except SheetError as exc:
        raise ImportRejected(str(path), [exc.error]) from None
    run = _Run(store, path, actor or store.settings.actor, exercise, today or date.today())
    try:
        with store.engine.connect() as conn:
            transaction = conn.begin()
            try:
                with phase("scan: read, validate, write batches"):
                    run.scan(conn, reader, batch_size, on_progress)
                with phase("finish: duplicates, restore, import log"):
                    report = run.finish(conn, started)
            except BaseException:
                transaction.rollback()
                run.photos.discard_new()
                raise
            with phase("commit"):
                transaction.commit()
    except (DBAPIError, *DRIVER_ERRORS) as exc:
        raise store_failure(exc, f"{path}: the store refused the import") from exc
    finally:
        reader.close()
    report_timings(time.perf_counter() - started)
    return report
