"""The evidence directory: files stored by SHA-256 of their content.

Invariants:
- A file is written to a temporary name, flushed to disk, then renamed to ``objects/aa/bb/<sha>``;
  a reader never sees a half-written object, and a crash leaves at most a stray temp file,
  which the next store into the same directory removes once it is a day old (no write takes that
  long, so a file that old has no writer left).
- Objects are made read-only and never rewritten: the same content always has the same name.
- Every read re-computes the hash; a mismatch raises ``EvidenceError`` instead of returning bytes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from armtrace.errors import EvidenceError, EvidenceUnwritable

CHUNK = 1 << 20
STALE_TEMP_SECONDS = 24 * 3600

# Magic numbers of the formats field teams send; anything else is stored as opaque bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"%PDF-", "application/pdf"),
    (b"BM", "image/bmp"),
)


def sniff_media_type(head: bytes) -> str:
    """The media type a file's first bytes show, or ``application/octet-stream``."""
    for magic, media_type in _SIGNATURES:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "image/heic"
    return "application/octet-stream"


def sha256_file(path: Path) -> str:
    """The SHA-256 hex digest of a file, read in chunks so any size fits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class EvidenceFile:
    """One stored object."""

    sha256: str
    size: int
    media_type: str
    created: bool  # False when identical content was already stored


class EvidenceStore:
    """Content-addressed files under one root directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._swept = False

    def sweep_stale_temp(self, max_age: float = STALE_TEMP_SECONDS) -> int:
        """Remove temp files a killed writer left behind; returns how many went."""
        removed = 0
        cutoff = time.time() - max_age
        try:
            entries = list(os.scandir(self.root / "tmp"))
        except FileNotFoundError:
            return 0
        for entry in entries:
            try:
                if entry.name.startswith("incoming-") and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:  # another process swept it first
                continue
        return removed

    def path_for(self, sha256: str) -> Path:
        """Where the object with this hash lives (it may not exist)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise EvidenceError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / "objects" / sha256[:2] / sha256[2:4] / sha256

    def put_file(self, path: Path) -> EvidenceFile:
        """Store a copy of a file; the original is only read."""
        try:
            with path.open("rb") as source:
                return self.put_stream(source)
        except OSError as exc:
            raise EvidenceError(f"{path}: cannot read the file ({exc.strerror})") from exc

    def put_stream(self, source: BinaryIO) -> EvidenceFile:
        """Store bytes read from a stream, hashing while copying.

        A failure to write (disk full, file size limit, permissions) raises ``EvidenceError``
        naming the evidence directory and leaves no partial file; a failure to read the source
        propagates as ``OSError`` for the caller to name the source.
        """
        tmp_name: str | None = None
        try:
            tmp_dir = self.root / "tmp"
            tmp_dir.mkdir(parents=True, exist_ok=True)
            if not self._swept:
                self._swept = True
                self.sweep_stale_temp()
            digest = hashlib.sha256()
            size = 0
            head = b""
            fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
            with os.fdopen(fd, "wb") as out:
                while chunk := _read(source):
                    if not head:
                        head = chunk[:16]
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.exists():
                os.unlink(tmp_name)
                return EvidenceFile(sha, size, sniff_media_type(head), created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_name, 0o444)
            os.replace(tmp_name, final)
            _fsync_dir(final.parent)
            return EvidenceFile(sha, size, sniff_media_type(head), created=True)
        except _SourceError as exc:
            raise exc.cause from None
        except OSError as exc:
            no_space = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
            raise EvidenceUnwritable(
                f"cannot write to the evidence directory {self.root}: "
                f"{exc.strerror or exc}; nothing was stored",
                public=(
                    "the evidence store is out of space; nothing was stored"
                    if no_space
                    else "the evidence store cannot be written; nothing was stored"
                ),
                no_space=no_space,
            ) from exc
        finally:
            if tmp_name is not None and os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def read(self, sha256: str) -> bytes:
        """The object's bytes, after checking they still hash to ``sha256``."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise EvidenceError(f"evidence {sha256} is missing from {self.root}") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EvidenceError(
                f"evidence {sha256} at {path} no longer matches its hash: it was altered or "
                "damaged; restore it from a backup"
            )
        return data

    def verify(self, sha256: str) -> bool:
        """True when the object exists and still hashes to its name."""
        path = self.path_for(sha256)
        return path.is_file() and sha256_file(path) == sha256

    def copy_to(self, sha256: str, target: Path) -> None:
        """Write a verified copy of an object to ``target``."""
        if not self.verify(sha256):
            raise EvidenceError(f"evidence {sha256} is missing or altered; not copied")
        shutil.copyfile(self.path_for(sha256), target)

    def discard(self, sha256: str) -> None:
        """Remove an object that no record refers to (used when an import is rolled back)."""
        path = self.path_for(sha256)
        if path.exists():
            os.chmod(path, 0o644)
            path.unlink()


class _SourceError(Exception):
    """Reading the source failed (kept apart from write failures in the evidence directory)."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _read(source: BinaryIO) -> bytes:
    try:
        return source.read(CHUNK)
    except OSError as exc:
        raise _SourceError(exc) from exc


def _fsync_dir(directory: Path) -> None:
    # The rename is only durable once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
