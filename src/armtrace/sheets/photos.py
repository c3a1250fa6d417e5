"""Photos named in a component sheet become evidence as the sheet is imported.

A photo cell holds a path (relative to the sheet's folder, or absolute) or a URL. Paths are read
once, stored content-addressed and linked to the component; URLs are kept as references only, since
armtrace does not fetch from the network on its own.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select

from armtrace.evidence.files import EvidenceStore
from armtrace.evidence.records import log_custody
from armtrace.sheets.validate import FieldError
from armtrace.store import tables
from armtrace.store.dialect import bulk_insert

URL_SCHEMES = ("http://", "https://")


class PhotoIntake:
    """Stores each photo of an import once and records it in the same transaction."""

    def __init__(self, store: EvidenceStore, sheet: Path, actor: str) -> None:
        self.store = store
        self.sheet = sheet
        self.actor = actor
        self.by_path: dict[Path, str] = {}
        self.pending: list[tuple[str, int, str, str, str]] = []  # sha, size, type, name, origin
        self.details: dict[str, str] = {}
        self.created: list[str] = []
        self.added = 0

    def take(self, cell: str, row: int, item: str, component: str, *, store: bool) -> str | None:
        """The evidence hash for a photo cell (None for a URL); checks that a path exists."""
        if cell.lower().startswith(URL_SCHEMES):
            return None
        path = Path(cell).expanduser()
        if not path.is_absolute():
            path = self.sheet.parent / path
        path = path.resolve()
        if path in self.by_path:
            return self.by_path[path]
        try:
            found = path.is_file()
        except OSError as exc:  # e.g. a name too long for the file system: the cell is wrong
            raise FieldError(f"photo file {cell!r} cannot be opened ({exc.strerror})") from None
        if not found:
            raise FieldError(f"photo file {cell!r} was not found (looked at {path})")
        if not store:
            return None
        stored = self.store.put_file(path)
        if stored.created:
            self.created.append(stored.sha256)
        self.by_path[path] = stored.sha256
        self.pending.append((stored.sha256, stored.size, stored.media_type, path.name, str(path)))
        self.details[stored.sha256] = (
            f"photo of component {component!r} of item {item!r}, {self.sheet.name} row {row}"
        )
        return stored.sha256

    def record(self, conn: Connection) -> None:
        """Write evidence rows and custody events for photos taken since the last call."""
        if not self.pending:
            return
        shas = [p[0] for p in self.pending]
        t = tables.evidence
        known = {sha for (sha,) in conn.execute(select(t.c.sha256).where(t.c.sha256.in_(shas)))}
        fresh = [p for p in self.pending if p[0] not in known]
        fresh = list({p[0]: p for p in fresh}.values())
        bulk_insert(
            conn,
            "evidence",
            ("sha256", "size", "media_type", "original_name"),
            [p[:4] for p in fresh],
        )
        for sha, _size, _type, _name, origin in fresh:
            log_custody(
                conn, sha, "added", actor=self.actor, origin=origin, detail=self.details[sha]
            )
        self.added += len(fresh)
        self.pending.clear()

    def discard_new(self) -> None:
        """Remove files this import stored for the first time (its transaction rolled back)."""
        for sha in self.created:
            self.store.discard(sha)
        self.created.clear()
