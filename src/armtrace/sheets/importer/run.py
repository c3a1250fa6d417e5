"""The state of one import while it streams through a file: rules, merging, batches, duplicates."""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from armtrace.alerts.outbox import emit_many
from armtrace.audit import record_change
from armtrace.errors import ImportRejected, RowError
from armtrace.evidence.files import sha256_file
from armtrace.model.sheet import (
    COLUMNS,
    COMPONENT_FIELDS,
    GENERATED_ID_PREFIX,
    REQUIRED_COLUMNS,
)
from armtrace.sheets.duplicates import candidate_groups, confirmed
from armtrace.sheets.importer.fastpath import scan_rows
from armtrace.sheets.importer.report import MAX_ERRORS_KEPT, ImportReport, ProgressFn
from armtrace.sheets.load import Loader, Pending
from armtrace.sheets.photos import PhotoIntake
from armtrace.sheets.readers import SheetError, open_sheet, unknown
from armtrace.sheets.timings import phase
from armtrace.sheets.validate import (
    FieldError,
    parse_coordinate,
    parse_country,
    parse_date,
    parse_flag,
    parse_key,
    parse_text,
)
from armtrace.store import Store, tables
from armtrace.store.db import store_failure
from armtrace.store.dialect import DRIVER_ERRORS


class _Run:
    """State of one import while it streams through the file."""

    def __init__(self, store: Store, path: Path, actor: str, exercise: bool, today: date) -> None:
        self.store, self.path, self.file = store, path, str(path)
        self.actor, self.exercise, self.today = actor, exercise, today
        self.errors: list[RowError] = []
        self.error_count = 0
        self.rows = 0
        self.incidents: dict[str, list[Any]] = {}
        self.incident_raw: dict[str, tuple[str | None, ...]] = {}
        self.items: dict[str, list[Any]] = {}
        self.item_raw: dict[str, tuple[str | None, ...]] = {}
        self.item_rows: dict[str, int] = {}
        # Insertion-ordered (dicts, not sets), so records are written, and get their ids, in the
        # order the sheet first names them, whatever the process's hash seed.
        self.dirty_incidents: dict[str, None] = {}
        self.dirty_items: dict[str, None] = {}
        self.generated: dict[str, int] = {}
        self.pending: list[Pending] = []
        self.components = 0
        self.hashes = array("q")
        self.hash_rows = array("q")
        self.photos = PhotoIntake(store.evidence, path, actor)
        self.loader: Loader | None = None
        self.writing = True
        self.db_error: Exception | None = None
        # PostgreSQL batches are COPYed by one background thread while the next batch is read.
        self.writer: ThreadPoolExecutor | None = None
        self.background: Future[None] | None = None
        # Rows whose keys a second, read-only pass collects to confirm suspected duplicates.
        self.probe: set[int] | None = None
        self.probe_keys: dict[int, tuple[str, str]] = {}
        # The share of the file's bytes read so far, set by the scan before each flush.
        self.read_share = 1.0
        # Set by a reader that hashed the whole file as it read it (no second pass needed).
        self.file_sha256: str | None = None

    def error(self, row: int | None, column: str | None, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(self.file, row, column, reason))
        self.writing = False

    def scan(self, conn: Any, reader: Any, batch: int, on_progress: ProgressFn | None) -> None:
        try:
            self._scan(conn, reader, batch, on_progress)
        finally:
            # Also on a crash: the transaction must not roll back under a running COPY.
            self._wait_for_writes()
            if self.writer is not None:
                self.writer.shutdown()
                self.writer = None

    def _scan(self, conn: Any, reader: Any, batch: int, on_progress: ProgressFn | None) -> None:
        self.loader = Loader(conn, self.file)
        header: list[str] = reader.header
        for name in header:
            if name not in COLUMNS:
                self.error(1, name, unknown(name))
        for name in REQUIRED_COLUMNS:
            if name not in header:
                self.error(1, name, "required column is missing")
        if self.errors:
            return
        # A column the sheet lacks reads as the None appended past its last cell.
        width = len(header)
        pad = any(name not in header for name in COLUMNS)
        col = {name: header.index(name) if name in header else width for name in COLUMNS}
        try:
            scan_rows(self, reader, col, pad, batch, on_progress)
        except SheetError as exc:
            self.error(exc.error.row, exc.error.column, exc.error.reason)
        self.read_share = 1.0
        self.flush()
        if on_progress:
            on_progress(reader.total_bytes, reader.total_bytes)

    def _incident(self, row: int, key: str, raw: tuple[str | None, ...]) -> None:
        parsed: list[Any] = [None] * 6
        parsers: list[tuple[str, Callable[[str | None], Any]]] = [
            ("incident_date", lambda v: parse_date(v, self.today)),
            ("place", parse_text),
            ("country", parse_country),
            ("latitude", lambda v: parse_coordinate(v, "latitude")),
            ("longitude", lambda v: parse_coordinate(v, "longitude")),
            ("exercise", parse_flag),
        ]
        ok = True
        for i, (name, parse) in enumerate(parsers):
            try:
                parsed[i] = parse(raw[i])
            except FieldError as exc:
                self.error(row, name, str(exc))
                ok = False
        if ok and (parsed[3] is None) != (parsed[4] is None):
            missing = "longitude" if parsed[4] is None else "latitude"
            self.error(row, missing, "latitude and longitude go together: give both or neither")
            ok = False
        if parsed[5] is None:
            parsed[5] = self.exercise
        if not ok:
            return
        self.incident_raw.setdefault(key, raw)
        self._merge(row, key, parsed, self.incidents, self.dirty_incidents, "incident", _INC_NAMES)

    def _item(self, row: int, key: str, raw: tuple[str | None, ...]) -> None:
        parsed: list[Any] = [raw[0]]
        for name, value in zip(_ITEM_NAMES[1:], raw[1:], strict=True):
            try:
                parsed.append(parse_text(value))
            except FieldError as exc:
                self.error(row, name, str(exc))
                return
        self.item_raw.setdefault(key, raw)
        self.item_rows.setdefault(key, row)
        self._merge(row, key, parsed, self.items, self.dirty_items, "item", _ITEM_NAMES)

    def _merge(
        self,
        row: int,
        key: str,
        parsed: list[Any],
        known: dict[str, list[Any]],
        dirty: dict[str, None],
        what: str,
        names: tuple[str, ...],
    ) -> None:
        # The same incident or item repeats on many rows; a filled cell must agree with the
        # first row that filled it, and an empty cell adds nothing.
        stored = known.get(key)
        if stored is None:
            known[key] = parsed
            dirty[key] = None
            return
        for i, value in enumerate(parsed):
            if value is None or value == stored[i]:
                continue
            if stored[i] is None or (names[i] == "exercise" and value is True):
                stored[i] = value
                dirty[key] = None
            elif names[i] != "exercise":
                self.error(
                    row,
                    names[i],
                    f"{what} {key!r} has {stored[i]!r} on an earlier row, {value!r} here",
                )

    def _component(self, row: int, item: str, key: str | None, comp: list[str | None]) -> None:
        if key is None or not key.strip():
            n = self.generated.get(item, 0) + 1
            self.generated[item] = n
            key = f"{GENERATED_ID_PREFIX}{n}"
        else:
            try:
                key = parse_key(key, "component_id")
            except FieldError as exc:
                self.error(row, "component_id", str(exc))
                return
        cells: list[str | None] = []
        for name, value in zip(COMPONENT_FIELDS, comp, strict=True):
            try:
                cells.append(parse_text(value))
            except FieldError as exc:
                self.error(row, name, str(exc))
                return
        marking, description, manufacturer, photo, notes = cells
        if self.probe is not None and row in self.probe:
            self.probe_keys[row] = (item, key)
        self.hashes.append(hash((item, key)))
        self.hash_rows.append(row)
        self.components += 1
        photo_sha = None
        if photo is not None:
            try:
                photo_sha = self.photos.take(photo.strip(), row, item, key, store=self.writing)
            except FieldError as exc:
                self.error(row, "photo", str(exc))
                return
        self.pending.append(
            [item, key, marking, description, manufacturer, photo, photo_sha, notes]
        )

    def flush(self) -> None:
        self._wait_for_writes()
        loader = self.loader
        if not self.writing or loader is None:
            self.pending.clear()
            return
        try:
            with phase("flush: merge incidents and items"):
                loader.write_incidents({k: self.incidents[k] for k in self.dirty_incidents})
                self.dirty_incidents.clear()
                errors = loader.write_items(
                    {k: self.items[k] for k in self.dirty_items}, self.item_rows
                )
            self.dirty_items.clear()
            for e in errors:
                self.error(e.row, e.column, e.reason)
            if self.writing:
                self.photos.record(loader.conn)
                expected = int(self.components / max(self.read_share, 1e-6))
                with phase("flush: components to COPY CSV (client)"):
                    job = loader.write_components(self.pending, expected)
                if job is not None:
                    if self.writer is None:
                        self.writer = ThreadPoolExecutor(1, thread_name_prefix="armtrace-import")
                    self.background = self.writer.submit(job)
        except (DBAPIError, *DRIVER_ERRORS) as exc:
            # Keep scanning so every bad row is reported; the duplicate check usually explains
            # a constraint the database hit first.
            self.writing = False
            self.db_error = exc
        self.pending.clear()

    def _wait_for_writes(self) -> None:
        """Finish the batch being written in the background; its database error is kept."""
        job, self.background = self.background, None
        try:
            if job is not None:
                with phase("client waits for the background COPY"):
                    job.result()
        except (DBAPIError, *DRIVER_ERRORS) as exc:
            if self.db_error is None:
                self.writing = False
                self.db_error = exc

    def duplicates(self) -> list[tuple[int, int, str, str]]:
        groups = candidate_groups(self.hashes, self.hash_rows)
        if not groups:
            return []
        probe = _Run(self.store, self.path, self.actor, self.exercise, self.today)
        probe.writing = False
        probe.probe = {row for group in groups for row in group}
        reader = open_sheet(self.path)
        try:
            probe.scan(None, reader, 1 << 62, None)
        finally:
            reader.close()
        return confirmed(groups, probe.probe_keys)

    def finish(self, conn: Any, started: float) -> ImportReport:
        with phase("duplicate check"):
            duplicates = self.duplicates()
        for first, second, item, key in duplicates:
            self.error(second, "component_id", _duplicate(item, key, first))
        if self.error_count:
            raise ImportRejected(self.file, self.errors, self.error_count)
        if self.db_error is not None:
            raise store_failure(self.db_error, f"{self.file}: the store refused the import")
        assert self.loader is not None
        self.loader.finish()
        changed = self.loader.changed
        if changed or self.photos.added:
            record = {
                "file_name": self.path.name,
                "file_sha256": self.file_sha256 or sha256_file(self.path),
                "rows": self.rows,
                "components_written": changed,
            }
            conn.execute(
                insert(tables.imports).values(**record, actor=self.actor, at=datetime.now(UTC))
            )
            # One audit entry per import (not per row): the file's hash pins what changed.
            record_change(
                conn,
                actor=self.actor,
                action="import",
                entity="sheet",
                entity_key=str(record["file_sha256"]),
                after={**record, "evidence_added": self.photos.added},
            )
            # One outbox event per item new in this import, in this transaction (bulk insert);
            # the alert worker adds the makers and part numbers identified so far.
            new_items = sorted(self.loader.new_items)
            emit_many(conn, [("item.documented", self._item_event(k)) for k in new_items])
        return ImportReport(
            file=self.file,
            rows=self.rows,
            incidents=len(self.incidents),
            items=len(self.items),
            item_keys=tuple(self.items),
            components=self.components,
            changed=changed,
            evidence_added=self.photos.added,
            seconds=time.perf_counter() - started,
        )

    def _item_event(self, key: str) -> dict[str, Any]:
        incident_key, item_type, _markings, weapon_system, _notes = self.items[key]
        incident = self.incidents.get(incident_key) or [None] * 6
        return {
            "item": key,
            "incident": incident_key,
            "country": incident[2],
            "weapon_system": weapon_system,
            "item_type": item_type,
            "exercise": bool(incident[5]),
        }


_INC_NAMES = ("incident_date", "place", "country", "latitude", "longitude", "exercise")
_ITEM_NAMES = ("incident_id", "item_type", "item_markings", "weapon_system", "notes")


def _duplicate(item: str, key: str, first: int) -> str:
    generated = " (generated for a row without component_id)" if key.startswith("#") else ""
    return f"component id {key!r}{generated} of item {item!r} is already used on row {first}"
