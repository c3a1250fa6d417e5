"""Uploaded sheets and photos: bounded, checked by content, kept only where they belong.

Invariants:
- An uploaded sheet is written to a private temporary directory under a fixed name (never the
  client's file name), imported all-or-nothing, then deleted; it is not evidence.
- An uploaded sheet may name photos only by URL: a path in its photo column could otherwise make
  the server read its own files into the evidence store. Photos go up through ``store_photo``.
- An uploaded photo's type is decided by its first bytes (``sniff_media_type``), never by its name
  or the client's Content-Type; only image types and PDF are accepted. It is written only
  through ``EvidenceStore`` (content-addressed), with a custody event naming the uploader.
- Size is bounded while streaming: ``UploadTooLarge`` as soon as the limit is passed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import insert, select

from armtrace.errors import ArmtraceError, ImportRejected, NotFound, RowError
from armtrace.evidence.files import CHUNK, sniff_media_type
from armtrace.evidence.records import custody_log, log_custody
from armtrace.markings.readings import identify_components
from armtrace.sheets.importer import ImportReport, import_sheet
from armtrace.sheets.readers import SheetError, open_sheet
from armtrace.store import Store, tables

SHEET_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx")
PHOTO_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/tiff", "image/bmp", "image/webp", "image/heic",
     "application/pdf"}
)  # fmt: skip
URL_SCHEMES = ("http://", "https://")


class UploadTooLarge(ArmtraceError):
    """An upload passed its size limit; nothing was kept."""


class UploadRefused(ArmtraceError):
    """An upload is not of an accepted type; nothing was kept."""


def _copy_bounded(source: BinaryIO, target: BinaryIO, limit: int, what: str) -> int:
    size = 0
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(f"{what} is larger than {limit / 2**20:g} MiB; nothing was kept")
        target.write(chunk)
    return size


class _Bounded:
    """A reader that replays ``head`` then reads ``rest``, refusing to pass ``limit`` bytes."""

    def __init__(self, head: bytes, rest: BinaryIO, limit: int, what: str) -> None:
        self.head, self.rest, self.limit, self.what, self.size = head, rest, limit, what, 0

    def read(self, size: int = -1) -> bytes:
        if self.head:
            chunk, self.head = self.head, b""
        else:
            chunk = self.rest.read(size)
        self.size += len(chunk)
        if self.size > self.limit:
            raise UploadTooLarge(
                f"{self.what} is larger than {self.limit / 2**20:g} MiB; nothing was kept"
            )
        return chunk


def import_upload(
    store: Store, source: BinaryIO, file_name: str, *, actor: str, exercise: bool, limit: int
) -> ImportReport:
    """Import an uploaded component sheet (all or nothing); the upload is deleted afterwards."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise UploadRefused(
            f"{file_name!r} is not a component sheet: send a {', '.join(SHEET_SUFFIXES)} file"
        )
    work = Path(tempfile.mkdtemp(prefix="armtrace-upload-"))
    try:
        path = work / f"upload{suffix}"
        with path.open("wb") as target:
            _copy_bounded(source, target, limit, file_name)
        _refuse_local_photos(path, file_name)
        report = import_sheet(store, path, actor=actor, exercise=exercise)
        # Identify what this file brought in, not the whole store, so the item page has readings.
        identify_components(store, item_keys=report.item_keys)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _is_url_or_empty(cell: str | None) -> bool:
    return not cell or not cell.strip() or cell.strip().lower().startswith(URL_SCHEMES)


def _refuse_local_photos(path: Path, file_name: str) -> None:
    try:
        reader = open_sheet(path)
    except SheetError as exc:
        error = exc.error
        raise ImportRejected(file_name, [RowError(file_name, error.row, error.column,
                                                  error.reason)]) from None  # fmt: skip
    try:
        if "photo" not in reader.header:
            return
        column = reader.header.index("photo")
        errors = [
            RowError(file_name, number, "photo",
                     "an uploaded sheet can name photos by http(s) URL only; upload the photo "
                     "itself to /api/evidence and put its URL or leave the cell empty")
            for number, values in reader.rows()
            if not _is_url_or_empty(values[column])
        ]  # fmt: skip
    finally:
        reader.close()
    if errors:
        raise ImportRejected(file_name, errors[:1000], total_errors=len(errors))


def store_photo(
    store: Store, source: BinaryIO, file_name: str, *, actor: str, limit: int, note: str | None
) -> dict[str, Any]:
    """Store an uploaded photo or PDF as evidence; returns its hash, size and media type."""
    head = source.read(64)
    media_type = sniff_media_type(head)
    if media_type not in PHOTO_TYPES:
        raise UploadRefused(
            f"{file_name!r} is not a photo or PDF by its content (starts like {media_type}); "
            "send JPEG, PNG, GIF, TIFF, BMP, WebP, HEIC or PDF"
        )
    stored = store.evidence.put_stream(_Bounded(head, source, limit, file_name))  # type: ignore[arg-type]
    evidence = tables.evidence
    with store.begin() as conn:
        known = conn.execute(
            select(evidence.c.sha256).where(evidence.c.sha256 == stored.sha256)
        ).first()
        if known is None:
            conn.execute(
                insert(evidence).values(
                    sha256=stored.sha256, size=stored.size, media_type=stored.media_type,
                    original_name=Path(file_name).name[:200],
                )
            )  # fmt: skip
        log_custody(conn, stored.sha256, "added" if known is None else "added-again",
                    actor=actor, origin=f"web upload {Path(file_name).name[:200]!r}",
                    detail=note)  # fmt: skip
    return {
        "sha256": stored.sha256, "size": stored.size, "media_type": stored.media_type,
        "created": known is None,
    }  # fmt: skip


def read_evidence(store: Store, sha256: str) -> tuple[bytes, str]:
    """A stored file's bytes (hash re-checked) and its media type; NotFound when unknown."""
    with store.engine.connect() as conn:
        media_type = conn.execute(
            select(tables.evidence.c.media_type).where(tables.evidence.c.sha256 == sha256)
        ).scalar_one_or_none()
    if media_type is None:
        raise NotFound(f"no evidence {sha256!r}")
    return store.evidence.read(sha256), str(media_type)


def evidence_custody(store: Store, sha256: str) -> list[dict[str, Any]]:
    """Who added a stored file, when, from where; NotFound when unknown."""
    with store.engine.connect() as conn:
        events = custody_log(conn, sha256)
    if not events:
        raise NotFound(f"no evidence {sha256!r}")
    return [dict(event.__dict__) for event in events]
