"""Exports of the store for other tools: component sheets, GeoJSON, Parquet and FollowTheMoney.

Invariants:
- The format comes from the file name; an unknown suffix is refused before anything is written.
- A public export (``public=True``) carries published items only, drops notes, photos and exact
  coordinates (rounded to 0.1 degree) and names companies as disclosure terms allow.
- Component sheets (.csv/.jsonl/.xlsx) are the round-trip format and are never public: they
  carry everything needed to import the store elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from armtrace.errors import ArmtraceError
from armtrace.sheets.exporter import SHEET_FORMATS, export_sheet
from armtrace.store import Store

FORMATS = (*SHEET_FORMATS, ".geojson", ".parquet", ".ftm.json")


class ExportError(ArmtraceError):
    """An export was asked for in a way armtrace cannot honour."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: ``records`` counts rows, features or entities by format."""

    file: str
    format: str
    records: int
    public: bool
    photos: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def export_format(path: Path) -> str:
    """The export format a file name asks for (".ftm.json", ".geojson", ".csv", ...)."""
    name = path.name.lower()
    if name.endswith(".ftm.json"):
        return ".ftm.json"
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return suffix
    raise ExportError(
        f"{path}: cannot export to {suffix or 'a file without an extension'}; "
        f"name the file with one of {', '.join(FORMATS)}"
    )


def export(store: Store, path: Path, *, public: bool = False) -> ExportResult:
    """Write the store to ``path`` in the format its name gives."""
    kind = export_format(path)
    if kind in SHEET_FORMATS:
        if public:
            raise ExportError(
                f"{path}: component sheets carry everything (notes, photos, exact places) and "
                "have no public form; export .geojson, .parquet or .ftm.json with --public"
            )
        sheet = export_sheet(store, path)
        return ExportResult(sheet.file, kind, sheet.rows, False, photos=sheet.photos)
    if kind == ".geojson":
        from armtrace.exports.geojson import write_geojson

        return write_geojson(store, path, public=public)
    if kind == ".parquet":
        from armtrace.exports.parquet import write_parquet

        return write_parquet(store, path, public=public)
    from armtrace.exports.ftm import write_ftm

    return write_ftm(store, path, public=public)


__all__ = ["FORMATS", "ExportError", "ExportResult", "export", "export_format"]
