"""Streaming readers for component sheets: CSV, JSON Lines and XLSX, with the same row shape.

Each reader yields ``(row_number, values)`` where ``values`` is aligned with ``header``: row numbers
count the header as row 1 (as spreadsheets do); in JSON Lines the row number is the line number.
Readers never hold more than one row in memory, and report how many bytes they have consumed so
long imports can show progress.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol, cast

from armtrace.errors import RowError
from armtrace.model.sheet import COLUMNS

# An XLSX is a zip archive. Real workbooks inflate 10-20 times (a 50,000-row sheet: 16 times);
# one that inflates over 100 times to more than 64 MiB, or to more than 2 GiB at all, is refused
# before openpyxl inflates it (its shared strings are held in memory whole). zipfile stops
# inflating a member at its declared size (and fails its CRC), so the declared sizes are binding.
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR = 64 * 1024 * 1024
XLSX_MAX_INFLATED = 2 * 1024 * 1024 * 1024


class SheetError(Exception):
    """A reader found a problem it cannot read past; carries the located error."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


class SheetReader(Protocol):
    """What the importer needs from a reader."""

    path: Path
    header: list[str]
    total_bytes: int

    def rows(self) -> Iterator[tuple[int, list[str | None]]]: ...
    def bytes_read(self) -> int: ...
    def close(self) -> None: ...


class _CountingReader(io.RawIOBase):
    """A raw binary stream that counts the bytes handed to the decoder and notes any NUL byte."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0
        # In UTF-8 a NUL character can only come from a NUL byte; while none has been read, no
        # cell can hold one and the importer skips that check (rows are read after their bytes).
        self.seen = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        if not self.seen and b"\x00" in data:
            self.seen = True
        return n


def normalise_header(names: Sequence[str | None], path: Path) -> list[str]:
    """Column names as armtrace spells them ("Incident ID" -> incident_id); no duplicates."""
    header = [str(n or "").strip().lower().replace(" ", "_").replace("-", "_") for n in names]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise SheetError(RowError(str(path), 1, name, "the column appears twice"))
        seen.add(name)
    return header


def cell_text(value: object) -> str | None:
    """A cell from JSON or XLSX as sheet text; None stays None, numbers keep full precision."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | str):
        return str(value)
    raise ValueError(f"expected text or a number, found {type(value).__name__}")


class CSVReader:
    """CSV with a header row, UTF-8 (a byte-order mark is allowed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total_bytes = path.stat().st_size
        self._raw = path.open("rb")
        self._counter = _CountingReader(self._raw)
        self.nul_guard = self._counter
        buffered = io.BufferedReader(self._counter, buffer_size=1 << 20)
        self._text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="strict", newline="")
        self._reader = cast("Iterator[list[str | None]]", csv.reader(self._text))
        try:
            first = next(self._reader, None)
        except UnicodeDecodeError as exc:
            raise SheetError(locate_bad_utf8(path, exc)) from exc
        except csv.Error as exc:
            raise SheetError(
                RowError(str(path), 1, None, f"not a readable CSV file ({exc})")
            ) from exc
        if not first:
            raise SheetError(RowError(str(path), None, None, "the file is empty: no header row"))
        self.header = normalise_header(first, path)

    def rows(self) -> Iterator[tuple[int, list[str | None]]]:
        width = len(self.header)
        row_number = 1
        try:
            for record in self._reader:
                row_number += 1
                if not record or (len(record) == 1 and not record[0]):
                    continue  # blank line
                if len(record) != width:
                    raise SheetError(
                        RowError(
                            str(self.path),
                            row_number,
                            None,
                            f"has {len(record)} cells but the header has {width}",
                        )
                    )
                yield row_number, record  # csv makes a new list per row: no copy needed
        except UnicodeDecodeError as exc:
            raise SheetError(locate_bad_utf8(self.path, exc)) from exc
        except csv.Error as exc:
            raise SheetError(RowError(str(self.path), row_number + 1, None, str(exc))) from exc

    def bytes_read(self) -> int:
        return self._counter.count

    def close(self) -> None:
        self._raw.close()


class JSONLReader:
    """One JSON object per line, keys are column names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total_bytes = path.stat().st_size
        self._handle = path.open("rb")
        self._read = 0
        self.header = list(COLUMNS)

    def rows(self) -> Iterator[tuple[int, list[str | None]]]:
        index = {name: i for i, name in enumerate(self.header)}
        for line_number, line in enumerate(self._handle, start=1):
            self._read += len(line)
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except UnicodeDecodeError as exc:
                raise SheetError(
                    RowError(str(self.path), line_number, None, f"not UTF-8 text ({exc.reason})")
                ) from exc
            except json.JSONDecodeError as exc:
                raise SheetError(
                    RowError(str(self.path), line_number, None, f"not valid JSON ({exc.msg})")
                ) from exc
            if not isinstance(obj, dict):
                raise SheetError(
                    RowError(str(self.path), line_number, None, "expected a JSON object")
                )
            values: list[str | None] = [None] * len(self.header)
            for key, value in obj.items():
                name = str(key).strip().lower()
                if name not in index:
                    raise SheetError(RowError(str(self.path), line_number, name, unknown(name)))
                try:
                    values[index[name]] = cell_text(value)
                except ValueError as exc:
                    raise SheetError(RowError(str(self.path), line_number, name, str(exc))) from exc
            yield line_number, values

    def bytes_read(self) -> int:
        return self._read

    def close(self) -> None:
        self._handle.close()


class XLSXReader:
    """The first worksheet of an Excel workbook, header in row 1, read in streaming mode."""

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook  # imported here: costs 0.3 s and only XLSX needs it

        self.path = path
        self.total_bytes = path.stat().st_size
        self._row = 0
        _refuse_zip_bomb(path, self.total_bytes)
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
            self._sheet = self._book.worksheets[0]
            self._max_row = max(self._sheet.max_row or 1, 1)
            self._iter = self._sheet.iter_rows(values_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise SheetError(
                RowError(str(path), None, None, f"not a readable XLSX workbook ({exc})")
            ) from exc
        first = self._next_cells()
        if not first or all(v is None for v in first):
            raise SheetError(RowError(str(path), None, None, "the first worksheet has no header"))
        while first and first[-1] is None:
            first = first[:-1]
        self.header = normalise_header([str(v or "") for v in first], path)

    def _next_cells(self) -> tuple[Any, ...] | None:
        """The next row's cells; a workbook damaged past its header fails here, in many ways."""
        try:
            return next(self._iter, None)
        except Exception as exc:  # zlib, XML and openpyxl's own errors alike
            raise SheetError(
                RowError(str(self.path), self._row + 1, None, f"not a readable XLSX row ({exc})")
            ) from exc

    def rows(self) -> Iterator[tuple[int, list[str | None]]]:
        width = len(self.header)
        row_number = 1
        while (cells := self._next_cells()) is not None:
            row_number += 1
            self._row = row_number
            if all(v is None for v in cells):
                continue
            if any(v is not None for v in cells[width:]):
                raise SheetError(
                    RowError(str(self.path), row_number, None, "has cells outside the header")
                )
            values: list[str | None] = []
            for name, value in zip(self.header, cells[:width], strict=False):
                try:
                    values.append(cell_text(value))
                except ValueError as exc:
                    raise SheetError(RowError(str(self.path), row_number, name, str(exc))) from exc
            values.extend([None] * (width - len(values)))
            yield row_number, values

    def bytes_read(self) -> int:
        # Workbooks are compressed; progress is the share of rows read.
        return int(self.total_bytes * min(self._row / self._max_row, 1.0))

    def close(self) -> None:
        self._book.close()


def unknown(name: str) -> str:
    """The message for a column armtrace does not know."""
    return f"unknown column; the component sheet has: {', '.join(COLUMNS)}"


def _refuse_zip_bomb(path: Path, size: int) -> None:
    """A SheetError when the workbook would inflate far past what a real sheet does."""
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: openpyxl says so in its own words
    ratio = inflated / max(size, 1)
    if inflated > XLSX_MAX_INFLATED or (inflated > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO):
        raise SheetError(
            RowError(
                str(path), None, None,
                f"the workbook inflates to {inflated:,} bytes from {size:,} ({ratio:,.0f} times "
                "its size): refused as a likely zip bomb; save the sheet as CSV instead",
            )
        )  # fmt: skip


def open_sheet(path: Path) -> SheetReader:
    """A reader for the file, chosen by its name (.csv, .jsonl/.ndjson, .xlsx)."""
    if not path.exists():
        raise SheetError(RowError(str(path), None, None, "no such file"))
    if not path.is_file():
        raise SheetError(RowError(str(path), None, None, "not a file"))
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return CSVReader(path)
        if suffix in (".jsonl", ".ndjson"):
            return JSONLReader(path)
        if suffix == ".xlsx":
            return XLSXReader(path)
    except PermissionError as exc:
        raise SheetError(RowError(str(path), None, None, "permission denied")) from exc
    raise SheetError(
        RowError(str(path), None, None, "unknown format: name it .csv, .jsonl or .xlsx")
    )


def locate_bad_utf8(path: Path, exc: UnicodeDecodeError) -> RowError:
    """Find the first row and column with bytes that are not UTF-8, for an exact message."""
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        for row_number, record in enumerate(reader, start=2):
            for i, cell in enumerate(record):
                if any("\udc80" <= ch <= "\udcff" for ch in cell):
                    column = header[i].strip().lower() if i < len(header) else None
                    return RowError(str(path), row_number, column, _not_utf8(cell))
        for cell in header:
            if any("\udc80" <= ch <= "\udcff" for ch in cell):
                return RowError(str(path), 1, None, _not_utf8(cell))
    return RowError(str(path), None, None, f"not UTF-8 text ({exc.reason})")


def _not_utf8(cell: str) -> str:
    raw = cell.encode("utf-8", errors="surrogateescape")
    guess = ""
    try:
        raw.decode("cp1251")
        guess = " (it may be Windows-1251)"
    except UnicodeDecodeError:
        pass
    return f"text is not UTF-8{guess}: save the sheet as 'CSV UTF-8' and import it again"
