"""Parquet of components joined with their identification: the analytics snapshot's fact file.

There is one Parquet writer in armtrace, ``armtrace.analytics.snapshot.write_snapshot`` (one
``Fact`` per component, streamed in batches so memory stays bounded); this export writes a
snapshot into a scratch folder and moves its ``components.parquet`` to the requested name, so
``armtrace export x.parquet`` and ``armtrace snapshot DIR`` always agree column for column.

Invariants:
- One row per component; items without components do not appear.
- The fact layout has no coordinates, notes or photos, so a public export keeps published items
  only and replaces company names that disclosure terms withhold (their ids are blanked too,
  since a registry id spells the name); ``company_country`` (headquarters) and
  ``origin_country`` (printed on the part) stay separate columns.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

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


def write_parquet(store: Store, path: Path, *, public: bool = False) -> ExportResult:
    """Write every component (published ones only when public) to one Parquet file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name_for, notes = public_namer(store, public)
    with tempfile.TemporaryDirectory(prefix=".armtrace-export-", dir=path.parent) as scratch:
        folder = write_snapshot(store, Path(scratch), published_only=public)
        facts = folder / SNAPSHOT_FILE
        if public:
            withheld = _withheld_names(facts, name_for)
            if withheld:
                _rewrite_withheld(facts, withheld)
                notes += (f"{len(withheld)} company name(s) replaced under disclosure terms",)
        shutil.move(str(facts), path)
    rows = pq.ParquetFile(path).metadata.num_rows
    return ExportResult(str(path), ".parquet", rows, public, notes=notes)


def _withheld_names(path: Path, name_for: Callable[[str], str]) -> dict[str, str]:
    """Company names in the file that disclosure terms replace, with their public labels."""
    names: set[str] = set()
    for batch in pq.ParquetFile(path).iter_batches(columns=list(NAME_COLUMNS)):
        for column in batch.columns:
            names.update(v for v in pc.unique(column).to_pylist() if v)
    return {name: label for name in names if (label := name_for(name)) != name}


def _rewrite_withheld(path: Path, withheld: dict[str, str]) -> None:
    """Replace withheld names by their labels and blank their ids (an id spells the name)."""
    source = pq.ParquetFile(path)
    target = path.with_name(path.name + ".redacted")
    with pq.ParquetWriter(target, source.schema_arrow) as writer:
        for batch in source.iter_batches():
            columns = {name: batch.column(name) for name in batch.schema.names}
            for name_column, id_column in NAME_COLUMNS.items():
                names = columns[name_column].to_pylist()
                ids = columns[id_column].to_pylist()
                columns[id_column] = pa.array(
                    [None if n in withheld else i for n, i in zip(names, ids, strict=True)],
                    pa.string(),
                )
                columns[name_column] = pa.array([withheld.get(n, n) for n in names], pa.string())
            writer.write_batch(pa.record_batch(columns, schema=batch.schema))
    target.replace(path)
