"""One exception hierarchy for armtrace.

Every message says what was wrong, where (file, row, field) and, where it helps, what to do.
Interfaces (CLI, API) catch ``ArmtraceError`` and show its message; anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


class ArmtraceError(Exception):
    """Base class for errors a user can act on."""


class ConfigError(ArmtraceError):
    """A setting (database URL, directory) is missing or malformed."""


class StoreError(ArmtraceError):
    """The store cannot be opened, migrated or written."""


class StoreUnavailable(StoreError):
    """The database went away, refused the connection or stayed locked: try again later."""


class NotFound(ArmtraceError):
    """A requested record does not exist."""


class ReferenceDataError(ArmtraceError):
    """A bundled reference-data file breaks its own rules (for example a record with no source)."""


class EvidenceError(ArmtraceError):
    """Evidence could not be stored or no longer matches its recorded hash."""


class EvidenceUnwritable(EvidenceError):
    """The evidence directory cannot take a file: the disk is full, or it cannot be written.

    ``str()`` names the directory for the operator at the command line; ``public`` says the same
    without server paths, for answers to web callers; ``no_space`` tells a full disk from the rest.
    """

    def __init__(self, message: str, *, public: str, no_space: bool) -> None:
        super().__init__(message)
        self.public = public
        self.no_space = no_space


class OCRError(ArmtraceError):
    """A photo could not be read."""


@dataclass(frozen=True)
class RowError:
    """One problem with one row of an input file; ``row`` counts the header as row 1."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"


class ImportRejected(ArmtraceError):
    """An input file had bad rows; nothing from it was written."""

    def __init__(self, file: str, errors: list[RowError], total_errors: int | None = None) -> None:
        self.file = file
        self.errors = errors
        self.total_errors = total_errors if total_errors is not None else len(errors)
        shown = "\n".join(f"  {e}" for e in errors[:20])
        more = self.total_errors - min(len(errors), 20)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{file}: {self.total_errors} bad row(s); nothing was imported. "
            f"Fix them and import the file again.\n{shown}{tail}"
        )
