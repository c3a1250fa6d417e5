"""The manifest at the head of every backup archive: what it holds and the hash of each part.

Invariants:
- The manifest names every other member of the archive; a restore rejects a member it does not
  name and a named member that is missing, and checks each member's SHA-256 before loading.
- ``format`` changes only when the archive layout changes; a restore refuses formats it does not
  know instead of guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from armtrace.errors import ArmtraceError

FORMAT = "armtrace-backup/1"
MANIFEST_NAME = "manifest.json"
_SHA = re.compile(r"^[0-9a-f]{64}$")


class BackupError(ArmtraceError):
    """A backup could not be written, or an archive cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class TableEntry:
    """One table's dump in the archive."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class EvidenceEntry:
    """One evidence object in the archive (named by its own SHA-256)."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """Everything a restore needs to check an archive before it trusts it."""

    armtrace_version: str
    alembic_revision: str
    created_at: str
    source: str  # "sqlite" or "postgresql", for the record only: the dump is store-neutral
    audit_entries: int
    audit_chain_ok: bool
    tables: dict[str, TableEntry] = field(default_factory=dict)
    evidence: list[EvidenceEntry] = field(default_factory=list)
    format: str = FORMAT

    def to_bytes(self) -> bytes:
        """The manifest as indented, sorted JSON."""
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode("utf-8") + b"\n"

    def member_names(self) -> set[str]:
        """Every archive member the manifest accounts for, itself included."""
        names = {MANIFEST_NAME}
        names.update(table_member(name) for name in self.tables)
        names.update(evidence_member(entry.sha256) for entry in self.evidence)
        return names


def table_member(name: str) -> str:
    """The archive path of a table's dump."""
    return f"tables/{name}.jsonl"


def evidence_member(sha256: str) -> str:
    """The archive path of an evidence object."""
    return f"evidence/{sha256}"


def parse_manifest(data: bytes, archive: str) -> Manifest:
    """Read and check a manifest; any defect is a BackupError naming the archive."""
    try:
        raw: Any = json.loads(data)
        if raw.get("format") != FORMAT:
            raise BackupError(
                f"{archive}: unknown backup format {raw.get('format')!r} (this armtrace reads "
                f"{FORMAT}); restore it with the armtrace version that wrote it"
            )
        tables = {
            str(name): TableEntry(rows=int(e["rows"]), sha256=str(e["sha256"]))
            for name, e in raw["tables"].items()
        }
        evidence = [
            EvidenceEntry(sha256=str(e["sha256"]), size=int(e["size"])) for e in raw["evidence"]
        ]
        manifest = Manifest(
            armtrace_version=str(raw["armtrace_version"]),
            alembic_revision=str(raw["alembic_revision"]),
            created_at=str(raw["created_at"]),
            source=str(raw["source"]),
            audit_entries=int(raw["audit_entries"]),
            audit_chain_ok=bool(raw["audit_chain_ok"]),
            tables=tables,
            evidence=evidence,
        )
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(
            f"{archive}: the manifest is damaged ({exc}); use another backup"
        ) from None
    hashes = [e.sha256 for e in manifest.tables.values()] + [e.sha256 for e in evidence]
    if not all(_SHA.match(h) for h in hashes):
        raise BackupError(f"{archive}: the manifest holds a malformed SHA-256; use another backup")
    return manifest
