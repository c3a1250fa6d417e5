"""Parquet of components joined with their identification: the analytics snapshot's fact file.

There is one Parquet writer in armtrace, ``armtrace.analytics.snapshot.write_snapshot`` (one
``Fact`` per component, streamed in batches so memory stays bounded); this export writes a
snapshot into a scratch folder and moves its ``components.parquet`` to the requested name, with
each row's incident place and coordinates added from the snapshot's ``incidents.parquet``, so
``armtrace export x.parquet`` and ``armtrace snapshot DIR`` agree column for column and a report
built from the one file can draw its map.

Invariants:
- One row per component; items without components do not appear.
- The file has no notes or photos. A public export keeps published items only, rounds
  coordinates to 0.1 degree (the snapshot applies ``armtrace.exports.scope.coordinate``) and
  replaces company names that disclosure terms withhold (their ids are blanked too, since a
  registry id spells the name); ``company_country`` (headquarters) and ``origin_country``
  (printed on the part) stay separate columns.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from armtrace.analytics.snapshot import write_snapshot
from armtrace.exports import ExportResult
from armtrace.exports.scope import public_namer
from armtrace.store import Store

SNAPSHOT_FILE = "components.parquet"
# Name columns and the id column that names the same company (a registry id is a slug of it).
NAME_COLUMNS = {"maker_name": "maker_id", "company_name": "company", "owner_name": "owner"}
PLACE_COLUMNS = ("place", "latitude", "longitude")  # from incidents.parquet, by incident_id


def write_parquet(store: Store, path: Path, *, public: bool = False) -> ExportResult:
    """Write every component (published ones only when public) to one Parquet file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name_for, notes = public_namer(store, public)
    with tempfile.TemporaryDirectory(prefix=".armtrace-export-", dir=path.parent) as scratch:
        folder = write_snapshot(store, Path(scratch), public=public)
        facts = folder / SNAPSHOT_FILE
        withheld = _withheld_names(facts, name_for) if public else {}
        if withheld:
            notes += (f"{len(withheld)} company name(s) replaced under disclosure terms",)
        places = pq.read_table(
            folder / "incidents.parquet", columns=["incident_id", *PLACE_COLUMNS]
        )
        _finish(facts, path, withheld, places)
    rows = pq.ParquetFile(path).metadata.num_rows
    return ExportResult(str(path), ".parquet", rows, public, notes=notes)


def _withheld_names(path: Path, name_for: Callable[[str], str]) -> dict[str, str]:
    """Company names in the file that disclosure terms replace, with their public labels."""
    names: set[str] = set()
    for batch in pq.ParquetFile(path).iter_batches(columns=list(NAME_COLUMNS)):
        for column in batch.columns:
            names.update(v for v in pc.unique(column).to_pylist() if v)
    return {name: label for name, label in ((n, name_for(n)) for n in names) if label != name}


def _finish(source_path: Path, target: Path, withheld: dict[str, str], places: pa.Table) -> None:
    """Copy the fact file to ``target`` batch by batch, adding places and replacing names."""
    source = pq.ParquetFile(source_path)
    schema = source.schema_arrow
    for name in PLACE_COLUMNS:
        schema = schema.append(places.schema.field(name))
    partial = target.with_name(target.name + ".partial")
    with pq.ParquetWriter(partial, schema) as writer:
        for batch in source.iter_batches():
            columns: dict[str, Any] = {name: batch.column(name) for name in batch.schema.names}
            if withheld:
                _replace_names(columns, withheld)
            at = pc.index_in(batch.column("incident_id"), value_set=places.column("incident_id"))
            for name in PLACE_COLUMNS:
                columns[name] = places.column(name).take(at)
            writer.write_table(pa.table(list(columns.values()), schema=schema))
    partial.replace(target)


def _replace_names(columns: dict[str, Any], withheld: dict[str, str]) -> None:
    """Replace withheld names by their labels and blank their ids (an id spells the name)."""
    for name_column, id_column in NAME_COLUMNS.items():
        names = columns[name_column].to_pylist()
        ids = columns[id_column].to_pylist()
        columns[id_column] = pa.array(
            [None if n in withheld else i for n, i in zip(names, ids, strict=True)], pa.string()
        )
        columns[name_column] = pa.array([withheld.get(n, n) for n in names], pa.string())
