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

import hashlib
import time
from array import array
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from armtrace.errors import ImportRejected, RowError, StoreError
from armtrace.model.sheet import (
    COLUMNS,
    COMPONENT_FIELDS,
    GENERATED_ID_PREFIX,
    INCIDENT_FIELDS,
    ITEM_FIELDS,
    MAX_KEY_LENGTH,
    MAX_TEXT_LENGTH,
    REQUIRED_COLUMNS,
)
from armtrace.sheets.duplicates import candidate_groups, confirmed
from armtrace.sheets.load import Loader, Pending
from armtrace.sheets.photos import PhotoIntake
from armtrace.sheets.readers import SheetError, open_sheet, unknown
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
from armtrace.store.dialect import DRIVER_ERRORS

ProgressFn = Callable[[int, int], None]
MAX_ERRORS_KEPT = 1000


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    file: str
    rows: int
    incidents: int
    items: int
    components: int
    changed: int  # rows inserted or updated in the store; 0 when the store already held the file
    evidence_added: int
    seconds: float


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
                run.scan(conn, reader, batch_size, on_progress)
                report = run.finish(conn, started)
            except BaseException:
                transaction.rollback()
                run.photos.discard_new()
                raise
            transaction.commit()
    except (DBAPIError, *DRIVER_ERRORS) as exc:
        cause = getattr(exc, "orig", exc)
        raise StoreError(
            f"{path}: the store refused the import ({cause}); nothing was written"
        ) from exc
    finally:
        reader.close()
    return report


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
        self.dirty_incidents: set[str] = set()
        self.dirty_items: set[str] = set()
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
            self._scan_rows(reader, col, pad, batch, on_progress)
        except SheetError as exc:
            self.error(exc.error.row, exc.error.column, exc.error.reason)
        self.flush()
        if on_progress:
            on_progress(reader.total_bytes, reader.total_bytes)

    def _scan_rows(
        self,
        reader: Any,
        col: dict[str, int],
        pad: bool,
        batch: int,
        on_progress: ProgressFn | None,
    ) -> None:
        # The hot loop: millions of rows, so lookups are bound to locals and the common case (a
        # clean row of a known incident and item, no photo) is checked inline. Any row off that
        # path goes through _incident, _item and _component, which hold the rules and messages.
        incident_cells = itemgetter(*(col[name] for name in INCIDENT_FIELDS))
        i_inc, i_item, i_comp = col["incident_id"], col["item_id"], col["component_id"]
        i_type, i_item_markings, i_system = (col[name] for name in ITEM_FIELDS)
        i_mark, i_desc, i_maker, i_photo, i_notes = (col[name] for name in COMPONENT_FIELDS)
        incident_raw, item_raw_known, generated = self.incident_raw, self.item_raw, self.generated
        add_hash, add_hash_row = self.hashes.append, self.hash_rows.append
        add_pending = self.pending.append
        nul_guard = getattr(reader, "nul_guard", _ALWAYS_CHECK)
        probing = self.probe is not None
        text_limit, key_limit = MAX_TEXT_LENGTH, MAX_KEY_LENGTH
        last_incident_cell: object = _UNSET
        last_item_cell: object = _UNSET
        incident_key = item_key = ""
        rows = components = 0
        try:
            for row, values in reader.rows():
                rows += 1
                if pad:
                    values.append(None)
                cell = values[i_inc]
                if cell != last_incident_cell:
                    try:
                        incident_key = parse_key(cell, "incident_id")
                    except FieldError as exc:
                        self.error(row, "incident_id", str(exc))
                        continue
                    last_incident_cell = cell
                cell = values[i_item]
                if cell != last_item_cell:
                    try:
                        item_key = parse_key(cell, "item_id")
                    except FieldError as exc:
                        self.error(row, "item_id", str(exc))
                        continue
                    last_item_cell = cell
                inc_raw = incident_cells(values)
                if incident_raw.get(incident_key) != inc_raw:
                    self._incident(row, incident_key, inc_raw)
                given = values[i_comp]
                marking, description, maker = values[i_mark], values[i_desc], values[i_maker]
                photo, notes = values[i_photo], values[i_notes]
                is_component = bool(
                    (given and not given.isspace()) or marking or description or maker or photo
                )
                item_raw = (
                    incident_key,
                    values[i_type],
                    values[i_item_markings],
                    values[i_system],
                    None if is_component else notes,
                )
                if item_raw_known.get(item_key) != item_raw:
                    self._item(row, item_key, item_raw)
                if is_component:
                    fast = not probing and not photo
                    key = None
                    if fast and given and not given.isspace():
                        key = given.strip()
                        # isprintable() rules out newline, CR and NUL at once; a key it
                        # refuses (a tab, say) takes the slow path and parse_key decides.
                        fast = len(key) <= key_limit and key.isprintable()
                    if fast and nul_guard.seen:
                        fast = not any(
                            "\x00" in v for v in (marking, description, maker, notes) if v
                        )
                    if fast and (
                        (marking and len(marking) > text_limit)
                        or (description and len(description) > text_limit)
                        or (maker and len(maker) > text_limit)
                        or (notes and len(notes) > text_limit)
                    ):
                        fast = False
                    if fast:
                        if key is None:
                            n = generated.get(item_key, 0) + 1
                            generated[item_key] = n
                            key = f"{GENERATED_ID_PREFIX}{n}"
                        add_hash(hash((item_key, key)))
                        add_hash_row(row)
                        components += 1
                        add_pending(
                            [
                                item_key,
                                key,
                                marking if marking and not marking.isspace() else None,
                                description if description and not description.isspace() else None,
                                maker if maker and not maker.isspace() else None,
                                None,
                                None,
                                notes if notes and not notes.isspace() else None,
                            ]
                        )
                    else:
                        comp = [marking, description, maker, photo, notes]
                        self._component(row, item_key, given, comp)
                if len(self.pending) >= batch:
                    self.flush()
                    add_pending = self.pending.append
                    if on_progress:
                        on_progress(reader.bytes_read(), reader.total_bytes)
        finally:
            self.rows += rows
            self.components += components

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
        dirty: set[str],
        what: str,
        names: tuple[str, ...],
    ) -> None:
        # The same incident or item repeats on many rows; a filled cell must agree with the
        # first row that filled it, and an empty cell adds nothing.
        stored = known.get(key)
        if stored is None:
            known[key] = parsed
            dirty.add(key)
            return
        for i, value in enumerate(parsed):
            if value is None or value == stored[i]:
                continue
            if stored[i] is None or (names[i] == "exercise" and value is True):
                stored[i] = value
                dirty.add(key)
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
        try:
            marking = parse_text(comp[0])
            description = parse_text(comp[1])
            manufacturer = parse_text(comp[2])
            photo = parse_text(comp[3])
            notes = parse_text(comp[4])
        except FieldError as exc:
            self.error(row, _field_of(comp, exc), str(exc))
            return
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
                job = loader.write_components(self.pending)
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
        for first, second, item, key in self.duplicates():
            self.error(second, "component_id", _duplicate(item, key, first))
        if self.error_count:
            raise ImportRejected(self.file, self.errors, self.error_count)
        if self.db_error is not None:
            raise StoreError(f"{self.file}: the store refused the import ({self.db_error})")
        assert self.loader is not None
        changed = self.loader.changed
        if changed or self.photos.added:
            conn.execute(
                insert(tables.imports).values(
                    file_name=self.path.name,
                    file_sha256=_file_sha256(self.path),
                    rows=self.rows,
                    components_written=changed,
                    actor=self.actor,
                    at=datetime.now(UTC),
                )
            )
        return ImportReport(
            file=self.file,
            rows=self.rows,
            incidents=len(self.incidents),
            items=len(self.items),
            components=self.components,
            changed=changed,
            evidence_added=self.photos.added,
            seconds=time.perf_counter() - started,
        )


_INC_NAMES = ("incident_date", "place", "country", "latitude", "longitude", "exercise")
_ITEM_NAMES = ("incident_id", "item_type", "item_markings", "weapon_system", "notes")


class _NulGuard:
    seen = True


# Readers that cannot rule out NUL characters (JSON may spell one as \\u0000) check every cell.
_ALWAYS_CHECK = _NulGuard()
_UNSET = object()


def _has_nul(*cells: str | None) -> bool:
    return any("\x00" in cell for cell in cells if cell)


def _field_of(comp: list[str | None], exc: FieldError) -> str:
    names = ("marking", "description", "manufacturer", "photo", "notes")
    for name, value in zip(names, comp, strict=True):
        try:
            parse_text(value)
        except FieldError:
            return name
    return names[0]


def _duplicate(item: str, key: str, first: int) -> str:
    generated = " (generated for a row without component_id)" if key.startswith("#") else ""
    return f"component id {key!r}{generated} of item {item!r} is already used on row {first}"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
