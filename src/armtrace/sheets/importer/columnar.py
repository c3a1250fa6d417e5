"""A columnar fast path for CSV sheets: Arrow parses in C, whole batches are checked at once.

Invariants:
- Results and error reports are those of the per-row path (tests/sheets/test_columnar.py).
- Arrow and Python's csv module split records alike, except that Arrow reads a blank line (which
  csv skips) as a row of empty cells, as it reads a line of bare commas (which csv reports). A
  byte scan finds files where either may occur; those take the ``eligible`` pre-pass and, if
  any such row is there, the per-row path.
- Where the per-row reader refuses a file (a row of the wrong width, text that is not UTF-8, a
  cell over csv's field limit), Arrow raises ``Rejected``; nothing of that file will be written,
  and the caller rescans it row by row for the exact report.
- Row numbers are the record index + 2 (header = row 1), as the per-row reader counts them: a
  quoted multi-line cell is one record in both parsers.
- Every row that is not a plain continuation of the row before it (first row of a batch, a new
  incident or item value, a photo, no component cells, a NUL, an over-long cell, a component id
  that is not plain ASCII) goes through the run's own rules, so messages and merges stay
  identical. The plain rows after it are taken in bulk only when that row left the run in the
  state where the per-row loop would skip the incident and item rules too; batches are flushed
  after the same rows as the per-row loop.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from armtrace.model.sheet import (
    GENERATED_ID_PREFIX,
    INCIDENT_FIELDS,
    ITEM_FIELDS,
    MAX_KEY_LENGTH,
    MAX_TEXT_LENGTH,
)
from armtrace.sheets.importer.report import ProgressFn
from armtrace.sheets.load import PlainBlock
from armtrace.sheets.validate import FieldError, parse_key

if TYPE_CHECKING:
    from armtrace.sheets.importer.run import _Run

BLOCK_SIZE = 1 << 20
# One parsing thread: the database server (and the COPY thread) need the other cores.
THREADS = False
# ASCII printable without a space at either end: strip() and isprintable() leave such a key as is.
_PLAIN_KEY = r"^[!-~]([ -~]*[!-~])?$"
_TEXT = ("marking", "description", "manufacturer", "notes")
_BOUNDARY = ("incident_id", "item_id", *INCIDENT_FIELDS, *ITEM_FIELDS)


# Python's csv module refuses a field longer than this many characters (csv.field_size_limit()).
CSV_FIELD_LIMIT = 131_072
_BREAKS = np.zeros(256, dtype=bool)
_BREAKS[[ord("\n"), ord("\r"), ord(","), ord('"')]] = True


class Rejected(Exception):
    """The per-row reader would refuse this file; it must be scanned again row by row."""


def may_hold_blank_lines(path: Path, chunk: int = 1 << 20) -> bool:
    """True unless no line can be blank or hold only commas and quotes (a cheap byte scan).

    Arrow reads both as a row of empty cells; Python's csv skips the first and reports the
    second, so files where either may occur are checked by the slower ``eligible`` pre-pass.
    """
    carried = b""
    with path.open("rb") as handle:
        while data := handle.read(chunk):
            data = carried + data
            codes = np.frombuffer(data, dtype=np.uint8)
            ends = np.flatnonzero(codes < 14)
            ends = ends[(codes[ends] == 10) | (codes[ends] == 13)]
            carried = b""
            if len(ends) and ends[-1] == len(codes) - 1:
                carried, ends = data[-1:], ends[:-1]
            following = codes[ends + 1]
            crlf = (codes[ends] == 13) & (following == 10)
            if (_BREAKS[following] & ~crlf).any():
                return True
    return False


class _Counter:
    """A binary file that counts bytes read (for the progress bar) and hashes them.

    The hash is taken as Arrow reads, so the import log's file hash costs no second pass over
    the file; it is only offered once the file was read to its end.
    """

    def __init__(self, path: Path) -> None:
        self.handle = path.open("rb")
        self.count = 0
        self.closed = False
        self.hash = hashlib.sha256()
        self.at_end = False

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.count += len(data)
        self.hash.update(data)
        if not data and size != 0:
            self.at_end = True
        return data

    def sha256(self) -> str | None:
        """The hex SHA-256 of the whole file, or None when it was not read to its end."""
        return self.hash.hexdigest() if self.at_end else None

    def close(self) -> None:
        self.handle.close()
        self.closed = True


def _batches(source: _Counter, width: int, invalid: list[Any]) -> Iterator[Any]:
    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    reader = pcsv.open_csv(
        source,
        read_options=pcsv.ReadOptions(
            column_names=names, skip_rows=1, block_size=BLOCK_SIZE, use_threads=THREADS
        ),
        parse_options=pcsv.ParseOptions(
            newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False
        ),
    )
    return iter(reader)


def eligible(path: Path, width: int, col: dict[str, int]) -> bool:
    """True when every record parses into ``width`` plain cells (see the module invariants)."""
    invalid: list[Any] = []
    source = _Counter(path)
    try:
        for batch in _batches(source, width, invalid):
            if invalid or batch.num_columns != width:
                return False
            for i in range(width):
                if (pc.max(pc.utf8_length(batch.column(i))).as_py() or 0) > MAX_TEXT_LENGTH:
                    return False
            for name in ("incident_id", "item_id"):
                if pc.any(pc.equal(batch.column(col[name]), "")).as_py():
                    return False
        return not invalid
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError):
        return False
    finally:
        source.close()


def _texts(array_: pa.Array) -> list[str | None]:
    """Cells as Python text, empty and whitespace-only cells as None (str.isspace decides)."""
    values: list[str | None] = pc.if_else(pc.equal(array_, ""), None, array_).to_pylist()
    # A cell with a visible ASCII character is not blank; only the rest need isspace().
    doubtful = pc.invert(pc.match_substring_regex(array_, "[!-~]|^$"))
    for i in np.flatnonzero(doubtful.to_numpy(zero_copy_only=False)):
        cell = values[i]
        if cell is not None and cell.isspace():
            values[i] = None
    return values


def scan_columnar(
    run: _Run,
    path: Path,
    col: dict[str, int],
    width: int,
    batch_rows: int,
    progress: ProgressFn | None,
) -> None:
    """Scan an eligible CSV file batch by batch; the run's rules see every non-plain row."""
    invalid: list[Any] = []
    source = _Counter(path)
    pad = any(index >= width for index in col.values())
    incident_cells = itemgetter(*(col[name] for name in INCIDENT_FIELDS))
    first_row = 2
    flusher = _Flusher(run, batch_rows, progress, source, path)
    try:
        for batch in _batches(source, width, invalid):
            n = batch.num_rows
            if invalid:
                raise Rejected(f"a row has {invalid[0].actual_columns} cells, expected {width}")
            if n:
                _scan_batch(run, batch, first_row, col, width, pad, incident_cells, flusher)
                run.rows += n
                first_row += n
        if invalid:
            raise Rejected(f"a row has {invalid[0].actual_columns} cells, expected {width}")
        run.file_sha256 = source.sha256()
    except pa.ArrowInvalid as exc:  # text that is not UTF-8, most often
        raise Rejected(str(exc)) from exc
    finally:
        source.close()


class _Flusher:
    """Flushes after the same rows as the per-row loop: when a batch of components is pending.

    Flushing at the same points keeps even the import's count of written rows identical (an
    incident filled in on a later row is written once or twice depending on where flushes fall).
    """

    def __init__(
        self, run: _Run, size: int, progress: ProgressFn | None, source: _Counter, path: Path
    ) -> None:
        self.run, self.size, self.progress, self.source = run, size, progress, source
        self.total = path.stat().st_size
        self.pending = 0

    def room(self) -> int:
        """How many more components fit before the next flush."""
        return self.size - self.pending

    def added(self, count: int) -> None:
        """Note components added to the run's pending list; flush when a batch is full."""
        self.pending += count
        if self.pending >= self.size:
            self.pending = 0
            self.run.read_share = self.source.count / self.total if self.total else 1.0
            self.run.flush()
            if self.progress:
                self.progress(self.source.count, self.total)


def _column(batch: Any, col: dict[str, int], name: str, width: int) -> pa.Array | None:
    index = col[name]
    return batch.column(index) if index < width else None


def _scan_batch(
    run: _Run,
    batch: Any,
    first_row: int,
    col: dict[str, int],
    width: int,
    pad: bool,
    incident_cells: Any,
    flusher: _Flusher,
) -> None:
    n = batch.num_rows
    empty = pa.array([""] * n, pa.string())

    def cells(name: str) -> pa.Array:
        found = _column(batch, col, name, width)
        return empty if found is None else found

    # A row needs the per-row rules when it is not a plain continuation of the row before it.
    slow = np.zeros(n, dtype=bool)
    slow[0] = True
    for name in _BOUNDARY:
        found = _column(batch, col, name, width)
        if found is not None and n > 1:
            slow[1:] |= pc.not_equal(found.slice(1), found.slice(0, n - 1)).to_numpy(
                zero_copy_only=False
            )
    for i in range(width):
        lengths = pc.utf8_length(batch.column(i))
        longest = pc.max(lengths).as_py() or 0
        if longest > CSV_FIELD_LIMIT:
            raise Rejected("a cell is longer than Python's csv reader allows")
        if longest > MAX_TEXT_LENGTH:
            slow |= pc.greater(lengths, MAX_TEXT_LENGTH).to_numpy(zero_copy_only=False)
    given = cells("component_id")
    given_empty = pc.equal(given, "").to_numpy(zero_copy_only=False)
    given_plain = pc.and_(
        pc.match_substring_regex(given, _PLAIN_KEY),
        pc.less_equal(pc.utf8_length(given), MAX_KEY_LENGTH),
    ).to_numpy(zero_copy_only=False)
    slow |= ~given_empty & ~given_plain
    has_component = given_plain.copy()
    for name in ("marking", "description", "manufacturer"):
        has_component |= pc.not_equal(cells(name), "").to_numpy(zero_copy_only=False)
    slow |= ~has_component
    slow |= pc.not_equal(cells("photo"), "").to_numpy(zero_copy_only=False)
    for name in _TEXT:
        slow |= pc.match_substring(cells(name), "\x00").to_numpy(zero_copy_only=False)

    heads = np.flatnonzero(slow)
    head_values = _rows(batch.take(pa.array(heads)), pad)
    texts = [_texts(cells(name)) for name in _TEXT]
    givens: list[str] = given.to_pylist()
    ends = [*heads[1:].tolist(), n]
    for k, (head, end) in enumerate(zip(heads.tolist(), ends, strict=True)):
        item_key = _counted_row(run, first_row + head, head_values[k], col, incident_cells, flusher)
        if end == head + 1:
            continue
        if item_key is None:
            # The per-row loop would run the rules again on every row: do the same.
            rest = _rows(batch.slice(head + 1, end - head - 1), pad)
            for offset, values in enumerate(rest, start=head + 1):
                _counted_row(run, first_row + offset, values, col, incident_cells, flusher)
            continue
        start = head + 1
        while start < end:
            stop = min(end, start + flusher.room())
            _take_plain(run, item_key, start, stop, first_row, givens, texts)
            flusher.added(stop - start)
            start = stop


def _counted_row(
    run: _Run,
    row: int,
    values: list[str | None],
    col: dict[str, int],
    incident_cells: Any,
    flusher: _Flusher,
) -> str | None:
    before = len(run.pending)
    item_key = _row(run, row, values, col, incident_cells)
    flusher.added(len(run.pending) - before)
    return item_key


def _rows(batch: Any, pad: bool) -> list[list[str | None]]:
    columns = [c.to_pylist() for c in batch.columns]
    rows = [list(values) for values in zip(*columns, strict=True)]
    if pad:
        for values in rows:
            values.append(None)
    return rows


def _row(
    run: _Run, row: int, values: list[str | None], col: dict[str, int], incident_cells: Any
) -> str | None:
    """The per-row loop's rules for one row; the item key when plain rows may follow in bulk."""
    try:
        incident_key = parse_key(values[col["incident_id"]], "incident_id")
    except FieldError as exc:
        run.error(row, "incident_id", str(exc))
        return None
    try:
        item_key = parse_key(values[col["item_id"]], "item_id")
    except FieldError as exc:
        run.error(row, "item_id", str(exc))
        return None
    inc_raw = incident_cells(values)
    if run.incident_raw.get(incident_key) != inc_raw:
        run._incident(row, incident_key, inc_raw)
    given = values[col["component_id"]]
    comp = [values[col[name]] for name in ("marking", "description", "manufacturer", "photo")]
    notes = values[col["notes"]]
    is_component = bool((given and not given.isspace()) or any(comp))
    item_cells = tuple(values[col[name]] for name in ITEM_FIELDS)
    item_raw = (incident_key, *item_cells, None if is_component else notes)
    if run.item_raw.get(item_key) != item_raw:
        run._item(row, item_key, item_raw)
    if is_component:
        run._component(row, item_key, given, [*comp, notes])
    # A plain row after this one is a component row with the same incident and item cells.
    follows = (incident_key, *item_cells, None)
    if run.incident_raw.get(incident_key) == inc_raw and run.item_raw.get(item_key) == follows:
        return item_key
    return None


def _take_plain(
    run: _Run,
    item_key: str,
    start: int,
    end: int,
    first_row: int,
    givens: list[str],
    texts: list[list[str | None]],
) -> None:
    number = run.generated.get(item_key, 0)
    keys: list[str] = []
    add = keys.append
    for given in givens[start:end]:
        if given:
            add(given)
        else:
            number += 1
            add(f"{GENERATED_ID_PREFIX}{number}")
    run.generated[item_key] = number
    run.hashes.extend(array("q", map(hash, zip(repeat(item_key), keys))))
    run.hash_rows.extend(array("q", range(first_row + start, first_row + end)))
    run.components += end - start
    marking, description, maker, notes = (t[start:end] for t in texts)
    run.pending.append(PlainBlock(item_key, keys, marking, description, maker, notes))
