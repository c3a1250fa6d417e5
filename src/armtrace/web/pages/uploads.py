"""Uploads from the pages: a component sheet with its photos, imported all or nothing.

Invariants:
- Files are bounded in size (the web settings' ``max_upload_bytes`` for the request, checked
  again while copying) and checked by content: a sheet by its name and first bytes, a photo by
  its magic number (images only).
- Uploaded files are staged under the evidence directory (``incoming/``) and removed after the
  import; only the evidence store keeps photos. Names are reduced to a safe base name.
- A photo cell in an uploaded sheet must name one of the uploaded photos (or be a URL): a path
  cannot reach files on the server. Every bad row is reported with its row number, like import.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from armtrace.errors import ImportRejected, RowError
from armtrace.evidence.files import sniff_media_type
from armtrace.markings.readings import identify_components
from armtrace.sheets.importer import ImportReport, import_sheet
from armtrace.sheets.readers import SheetError, open_sheet
from armtrace.store import Store

SHEET_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the browser sent and its content."""

    name: str
    stream: BinaryIO


def safe_name(name: str) -> str:
    """The base name of an uploaded file with unsafe characters replaced (never empty)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = _SAFE_NAME.sub("_", base).lstrip(".")
    return cleaned or "upload"


def _copy(upload: Upload, target: Path, limit: int) -> int:
    written = 0
    with target.open("wb") as out:
        while chunk := upload.stream.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise ImportRejected(
                    upload.name,
                    [RowError(upload.name, None, None, f"larger than {limit // 2**20} MB")],
                )
            out.write(chunk)
    return written


def _check_sheet(name: str, path: Path) -> RowError | None:
    suffix = Path(name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        return RowError(name, None, None, "not a component sheet: name it .csv, .jsonl or .xlsx")
    with path.open("rb") as handle:
        head = handle.read(4096)
    binary = b"\x00" in head or sniff_media_type(head) != "application/octet-stream"
    if suffix == ".xlsx" and not head.startswith(b"PK\x03\x04"):
        return RowError(name, None, None, "named .xlsx but its content is not an Excel workbook")
    if suffix != ".xlsx" and binary:
        return RowError(name, None, None, f"named {suffix} but its content is not text")
    return None


def _photo_errors(sheet_name: str, path: Path, photos: set[str]) -> list[RowError]:
    """Rows whose photo cell is not a URL and not the name of an uploaded photo."""
    errors: list[RowError] = []
    reader = open_sheet(path)
    try:
        if "photo" not in reader.header:
            return []
        column = reader.header.index("photo")
        for row, cells in reader.rows():
            cell = (cells[column] or "").strip() if column < len(cells) else ""
            if not cell or cell.lower().startswith(("http://", "https://")):
                continue
            if cell not in photos:
                reason = (
                    f"photo {cell!r} was not uploaded with the sheet: add the file to the photos"
                    if safe_name(cell) == cell
                    else f"photo {cell!r} must be the plain name of an uploaded photo, not a path"
                )
                errors.append(RowError(sheet_name, row, "photo", reason))
    finally:
        reader.close()
    return errors


def import_upload(
    store: Store,
    sheet: Upload,
    photos: Iterable[Upload],
    *,
    actor: str,
    exercise: bool = False,
    max_bytes: int = 100 * 2**20,
) -> ImportReport:
    """Import an uploaded sheet with its photos; raises ``ImportRejected`` listing every bad row."""
    sheet_name = safe_name(sheet.name)
    incoming = store.settings.evidence_dir / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=incoming))
    try:
        errors: list[RowError] = []
        names: set[str] = set()
        for photo in photos:
            name = safe_name(photo.name)
            target = staging / "photos" / name
            target.parent.mkdir(exist_ok=True)
            _copy(photo, target, max_bytes)
            with target.open("rb") as handle:
                media_type = sniff_media_type(handle.read(16))
            if not media_type.startswith("image/"):
                errors.append(RowError(name, None, None, "not an image (checked by content)"))
            names.add(name)
        path = staging / "photos" / sheet_name
        path.parent.mkdir(exist_ok=True)
        if sheet_name in names:
            errors.append(RowError(sheet_name, None, None, "a photo has the sheet's name"))
        _copy(sheet, path, max_bytes)
        problem = _check_sheet(sheet_name, path)
        if problem is None:
            try:
                errors += _photo_errors(sheet_name, path, names)
            except SheetError as exc:
                errors.append(_renamed(exc.error, sheet_name))
        else:
            errors.append(problem)
        if errors:
            raise ImportRejected(sheet_name, errors)
        try:
            report = import_sheet(store, path, actor=actor, exercise=exercise)
            # Identify what this file brought in (not the whole store) for the item page.
            identify_components(store, item_keys=report.item_keys)
            return report
        except ImportRejected as exc:
            raise ImportRejected(
                sheet_name, [_renamed(e, sheet_name) for e in exc.errors], exc.total_errors
            ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _renamed(error: RowError, name: str) -> RowError:
    """The error naming the uploaded file, not the staging path on the server."""
    return RowError(name, error.row, error.column, error.reason.replace(str(error.file), name))
