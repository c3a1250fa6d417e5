"""Read a backup archive into a scratch directory, checking every member against the manifest.

Invariants:
- Nothing from an archive is trusted before its hash is checked: the manifest comes first, and
  every later member must be one the manifest names, a regular file, with the hash it states.
- Member names are never used as paths as given: only names the manifest produced (fixed
  ``tables/NAME.jsonl`` and ``evidence/SHA`` patterns) are written, so a hostile archive cannot
  write outside the scratch directory.
- A truncated or damaged archive is a ``BackupError``; nothing outside the scratch directory
  has been touched when it is raised.
"""

from __future__ import annotations

import hashlib
import tarfile
import zlib
from pathlib import Path

from armtrace.backup.manifest import (
    MANIFEST_NAME,
    BackupError,
    Manifest,
    evidence_member,
    parse_manifest,
    table_member,
)
from armtrace.evidence.files import CHUNK

MAX_MANIFEST = 64 << 20


def read_archive(path: Path, work: Path) -> Manifest:
    """Unpack ``path`` into ``work`` after checking every member; return the manifest."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    try:
        return _read(path, work)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            f"{path}: the archive is damaged or truncated ({exc}); nothing was restored. "
            "Use another copy of the backup"
        ) from None


def _read(path: Path, work: Path) -> Manifest:
    label = str(path)
    with tarfile.open(path, "r|gz") as tar:
        members = iter(tar)
        first = next(members, None)
        if first is None or first.name != MANIFEST_NAME or not first.isreg():
            raise BackupError(f"{label}: not an armtrace backup (no manifest at its start)")
        if first.size > MAX_MANIFEST:
            raise BackupError(f"{label}: the manifest is implausibly large; use another backup")
        handle = tar.extractfile(first)
        assert handle is not None  # a regular file always has contents
        manifest = parse_manifest(handle.read(), label)
        expected = _expected(manifest)
        seen = {MANIFEST_NAME}
        for member in members:
            if member.name not in expected or member.name in seen or not member.isreg():
                raise BackupError(
                    f"{label}: unexpected member {member.name!r}; the archive was altered"
                )
            seen.add(member.name)
            target, sha256, size = expected[member.name]
            _extract(tar, member, work / target, sha256, size, label)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                f"{label}: {len(missing)} part(s) missing, first {missing[0]}; "
                "the archive is truncated or incomplete"
            )
    return manifest


def _expected(manifest: Manifest) -> dict[str, tuple[str, str, int | None]]:
    """Member name -> (relative path to write, SHA-256, size or None)."""
    expected: dict[str, tuple[str, str, int | None]] = {}
    for name, entry in manifest.tables.items():
        if not name.isidentifier():
            raise BackupError(f"the manifest names an impossible table {name!r}")
        expected[table_member(name)] = (f"tables/{name}.jsonl", entry.sha256, None)
    for item in manifest.evidence:
        expected[evidence_member(item.sha256)] = (f"evidence/{item.sha256}", item.sha256, item.size)
    return expected


def _extract(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    target: Path,
    sha256: str,
    size: int | None,
    label: str,
) -> None:
    source = tar.extractfile(member)
    assert source is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            written += len(chunk)
    if digest.hexdigest() != sha256 or (size is not None and written != size):
        raise BackupError(
            f"{label}: {member.name} does not match the hash in the manifest; the archive is "
            "damaged or was altered. Nothing was restored; use another copy of the backup"
        )
