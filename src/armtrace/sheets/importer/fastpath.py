"""The per-row hot loop of an import, kept apart from the rules it falls back to.

Clean rows of a known incident and item take the inline path; anything else goes through the
run's own checks, which hold every rule and message.
"""

from __future__ import annotations

import os
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from armtrace.errors import ArmtraceError
from armtrace.model.sheet import (
    COMPONENT_FIELDS,
    GENERATED_ID_PREFIX,
    INCIDENT_FIELDS,
    ITEM_FIELDS,
    MAX_KEY_LENGTH,
    MAX_TEXT_LENGTH,
)
from armtrace.sheets.importer.columnar import (
    Rejected,
    eligible,
    may_hold_blank_lines,
    scan_columnar,
)
from armtrace.sheets.importer.report import ProgressFn
from armtrace.sheets.load import CheckingLoader
from armtrace.sheets.readers import CSVReader, SheetError
from armtrace.sheets.validate import (
    FieldError,
    parse_key,
)

if TYPE_CHECKING:
    from armtrace.sheets.importer.run import _Run


class ReadersDisagree(ArmtraceError):
    """The two CSV readers disagreed about a file; the import is refused to stay safe."""


class _NulGuard:
    seen = True


# Readers that cannot rule out NUL characters (JSON may spell one as \\u0000) check every cell.
_ALWAYS_CHECK = _NulGuard()
_UNSET = object()
# Tests and bench/import.py switch the columnar CSV path off to compare it with the per-row loop.
COLUMNAR = os.environ.get("ARMTRACE_IMPORT_COLUMNAR", "1") != "0"


def _has_nul(*cells: str | None) -> bool:
    return any("\x00" in cell for cell in cells if cell)


def scan_rows(
    run: _Run,
    reader: Any,
    col: dict[str, int],
    pad: bool,
    batch: int,
    on_progress: ProgressFn | None,
) -> None:
    """Scan the rows: CSV through the columnar path when it reads the file alike, else per row."""
    if not (COLUMNAR and run.probe is None and isinstance(reader, CSVReader)):
        row_loop(run, reader, col, pad, batch, on_progress)
        return
    width = len(reader.header)
    if may_hold_blank_lines(reader.path) and not eligible(reader.path, width, col):
        row_loop(run, reader, col, pad, batch, on_progress)
        return
    try:
        scan_columnar(run, reader.path, col, width, batch, on_progress)
    except Rejected as exc:
        _report_row_by_row(run, reader, col, pad, batch, exc)


def _report_row_by_row(
    run: _Run, reader: Any, col: dict[str, int], pad: bool, batch: int, cause: Rejected
) -> None:
    # The per-row reader refuses this file, so nothing will be written: what was written so far
    # is rolled back with the transaction. A fresh, read-only run rescans it for the exact report.
    run._wait_for_writes()  # a background COPY must not share the connection with the rescan
    fresh = type(run)(run.store, run.path, run.actor, run.exercise, run.today)
    # It checks items against the store as the per-row import would, and shares the photo
    # intake so that photos stored meanwhile are removed with the rollback.
    fresh.loader = CheckingLoader(run.loader.conn, run.file) if run.loader else None
    fresh.photos = run.photos
    try:
        row_loop(fresh, reader, col, pad, batch, None)
    except SheetError as exc:  # as _Run.scan records it
        fresh.error(exc.error.row, exc.error.column, exc.error.reason)
    if not fresh.error_count:
        raise ReadersDisagree(
            f"{run.file}: the fast CSV reader refused the file ({cause}) but the "
            "row-by-row reader did not; nothing was written; please report this"
        )
    run.writing = False
    run.pending.clear()
    run.errors, run.error_count = fresh.errors, fresh.error_count
    run.hashes, run.hash_rows = fresh.hashes, fresh.hash_rows
    run.rows, run.components = fresh.rows, fresh.components


def row_loop(
    run: _Run,
    reader: Any,
    col: dict[str, int],
    pad: bool,
    batch: int,
    on_progress: ProgressFn | None,
) -> None:
    """The per-row loop: every format, and CSV files the columnar path does not take."""
    # The hot loop: millions of rows, so lookups are bound to locals and the common case (a
    # clean row of a known incident and item, no photo) is checked inline. Any row off that
    # path goes through _incident, _item and _component, which hold the rules and messages.
    incident_cells = itemgetter(*(col[name] for name in INCIDENT_FIELDS))
    i_inc, i_item, i_comp = col["incident_id"], col["item_id"], col["component_id"]
    i_type, i_item_markings, i_system = (col[name] for name in ITEM_FIELDS)
    i_mark, i_desc, i_maker, i_photo, i_notes = (col[name] for name in COMPONENT_FIELDS)
    incident_raw, item_raw_known, generated = run.incident_raw, run.item_raw, run.generated
    add_hash, add_hash_row = run.hashes.append, run.hash_rows.append
    add_pending = run.pending.append
    nul_guard = getattr(reader, "nul_guard", _ALWAYS_CHECK)
    probing = run.probe is not None
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
                    run.error(row, "incident_id", str(exc))
                    continue
                last_incident_cell = cell
            cell = values[i_item]
            if cell != last_item_cell:
                try:
                    item_key = parse_key(cell, "item_id")
                except FieldError as exc:
                    run.error(row, "item_id", str(exc))
                    continue
                last_item_cell = cell
            inc_raw = incident_cells(values)
            if incident_raw.get(incident_key) != inc_raw:
                run._incident(row, incident_key, inc_raw)
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
                run._item(row, item_key, item_raw)
            if is_component:
                fast = not probing and not photo
                key = None
                if fast and given and not given.isspace():
                    key = given.strip()
                    # isprintable() rules out newline, CR and NUL at once; a key it
                    # refuses (a tab, say) takes the slow path and parse_key decides.
                    fast = len(key) <= key_limit and key.isprintable()
                if fast and nul_guard.seen:
                    fast = not any("\x00" in v for v in (marking, description, maker, notes) if v)
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
                    run._component(row, item_key, given, comp)
            if len(run.pending) >= batch:
                # The flush estimates the file's components from those so far (bulk loads).
                run.components += components
                components = 0
                total = reader.total_bytes
                run.read_share = reader.bytes_read() / total if total else 1.0
                run.flush()
                add_pending = run.pending.append
                if on_progress:
                    on_progress(reader.bytes_read(), reader.total_bytes)
    finally:
        run.rows += rows
        run.components += components
