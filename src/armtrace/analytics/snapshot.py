"""A Parquet snapshot of the store for analytics, and DuckDB views over it.

Why a snapshot: DuckDB's sqlite and postgres scanner extensions are not bundled with the wheel
and must be downloaded at first use (``INSTALL sqlite`` fails offline here), so armtrace streams
the store through SQLAlchemy into Parquet with pyarrow instead; the same files then serve DuckDB,
pandas or a distributed engine.

Invariants:
- ``components.parquet`` holds one ``Fact`` per component (maker resolved, company at the time,
  current owner, origin marking, CHPL tier, date code), written in batches: memory stays bounded
  by the batch size whatever the store holds.
- Files are written under temporary names and renamed when complete, so a cut run never leaves
  a half snapshot that looks whole; ``snapshot.json`` says when and from what it was written.
- A snapshot written with ``published_only`` holds published items only, and incidents that
  have a published item. A ``public`` one also rounds coordinates to 0.1 degree (exports' rule);
  no snapshot file holds notes or photos.
- ``components.parquet`` carries each component's marking and description (HS codes and tiers
  come from the description); ``incidents.parquet`` carries the incident's coordinates.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import func, select

from armtrace.analytics.facts import FACT_COLUMNS, Fact, iter_facts
from armtrace.analytics.scope import Scope
from armtrace.errors import ArmtraceError
from armtrace.exports.scope import coordinate
from armtrace.markings.readings import registry_version
from armtrace.store import Store, tables

_TYPES: dict[str, pa.DataType] = {
    "component_id": pa.int64(),
    "item_id": pa.int64(),
    "incident_id": pa.int64(),
    "exercise": pa.bool_(),
    "incident_date": pa.date32(),
    "date_earliest": pa.date32(),
    "date_latest": pa.date32(),
}
FACT_SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in FACT_COLUMNS])
# The snapshot's rows: every Fact plus the code of its profile (see ``Profiles``).
SNAPSHOT_SCHEMA = FACT_SCHEMA.append(pa.field("profile", pa.int32()))
PROFILE_FIELDS = (
    "exercise", "maker_source", "company", "owner", "maker_key", "company_country", "origin",
    "chpl_tier",
)  # fmt: skip
PROFILE_SCHEMA = pa.schema(
    [("profile", pa.int32()), ("exercise", pa.bool_())]
    + [(name, pa.string()) for name in PROFILE_FIELDS[1:]]
)
Profile = tuple[bool, str | None, str | None, str | None, str | None, str | None, str | None,
                str | None]  # fmt: skip
INFO_FILE = "snapshot.json"
TABLES = ("components", "items", "incidents", "profiles")


class SnapshotError(ArmtraceError):
    """A snapshot directory that is missing or incomplete."""


class Profiles:
    """Numbers each distinct combination of the fields a summary counts by.

    Why: a summary then groups ten million rows by one small integer and rolls the few hundred
    groups up in Python, instead of grouping by eight text columns; there are few combinations
    (makers x origins x tiers), so the index stays small whatever the row count.
    """

    def __init__(self) -> None:
        self.codes: dict[Profile, int] = {}

    @staticmethod
    def of(fact: Fact) -> Profile:
        """The profile of a Fact; ``maker_key`` and ``origin`` as summaries count them."""
        return (
            fact.exercise, fact.maker_source, fact.company, fact.owner,
            fact.maker_id or fact.company, fact.company_country,
            fact.origin_country or fact.origin_text, fact.chpl_tier,
        )  # fmt: skip

    def code(self, profile: Profile) -> int:
        """The profile's number, allocating the next one for a new profile."""
        return self.codes.setdefault(profile, len(self.codes))

    def table(self) -> pa.Table:
        """All profiles as an Arrow table in PROFILE_SCHEMA."""
        ordered = sorted(self.codes.items(), key=lambda pair: pair[1])
        columns: list[list[Any]] = [[code for _, code in ordered]]
        for index in range(len(PROFILE_FIELDS)):
            columns.append([profile[index] for profile, _ in ordered])
        return pa.table(columns, schema=PROFILE_SCHEMA)


def facts_table(facts: list[Fact], profiles: Profiles) -> pa.Table:
    """An Arrow table of Facts with their profile codes, in the snapshot's schema."""
    # One C-level pass per column: zip(*facts) over 50k rows costs several times as much.
    columns = [list(map(itemgetter(index), facts)) for index in range(len(FACT_COLUMNS))]
    columns.append([profiles.code(Profiles.of(fact)) for fact in facts])
    return pa.table(columns, schema=SNAPSHOT_SCHEMA)


# ``components`` counts the item's rows in components.parquet, so "items in scope" can be
# counted from this small table instead of a distinct count over every component row.
ITEM_SCHEMA = pa.schema(
    [(name, pa.string()) for name in
     ("item_key", "item_type", "item_markings", "weapon_system", "state", "incident_key")]
    + [("item_id", pa.int64()), ("incident_id", pa.int64()), ("components", pa.int64())]
)  # fmt: skip
INCIDENT_SCHEMA = pa.schema([
    ("incident_key", pa.string()), ("incident_date", pa.date32()), ("place", pa.string()),
    ("country", pa.string()), ("exercise", pa.bool_()), ("incident_id", pa.int64()),
    ("latitude", pa.float64()), ("longitude", pa.float64()),
])  # fmt: skip


def _write_rows(
    store: Store,
    query: Any,
    path: Path,
    schema: pa.Schema,
    batch_size: int,
    fix: Callable[[Any], tuple[Any, ...]] = tuple,
) -> int:
    """Stream a query's rows (each passed through ``fix``) into one Parquet file in batches."""
    rows = 0
    partial = path.with_name(path.name + ".partial")
    with store.engine.connect() as conn, pq.ParquetWriter(partial, schema) as writer:
        result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(query)
        for partition in result.partitions(batch_size):
            columns = list(zip(*map(fix, partition), strict=True))
            writer.write_table(pa.table(columns, schema=schema))
            rows += len(partition)
    partial.replace(path)
    return rows


def write_snapshot(
    store: Store,
    directory: Path,
    *,
    published_only: bool = False,
    public: bool = False,
    batch_size: int = 50_000,
    on_progress: Callable[[int], None] | None = None,
) -> Path:
    """Write components/items/incidents Parquet files into ``directory``; returns it.

    ``public`` is for output that leaves the team: published items only, and coordinates
    rounded as ``armtrace.exports.scope.coordinate`` rounds them for every public export.
    """
    published_only = published_only or public
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / "components.parquet.partial"
    written = 0
    profiles = Profiles()
    with pq.ParquetWriter(partial, SNAPSHOT_SCHEMA) as writer:
        for batch in iter_facts(store, Scope(published_only=published_only), batch_size=batch_size):
            if batch:
                writer.write_table(facts_table(batch, profiles))
                written += len(batch)
                if on_progress:
                    on_progress(written)
    pq.write_table(profiles.table(), directory / "profiles.parquet")
    partial.replace(directory / "components.parquet")
    it, inc = tables.items, tables.incidents
    per_item = (
        select(tables.components.c.item_id, func.count().label("n"))
        .group_by(tables.components.c.item_id)
        .subquery()
    )
    items_query = select(
        it.c.key, it.c.item_type, it.c.item_markings, it.c.weapon_system, it.c.state, inc.c.key,
        it.c.id, inc.c.id, func.coalesce(per_item.c.n, 0),
    ).select_from(
        it.join(inc, inc.c.id == it.c.incident_id)
        .outerjoin(per_item, per_item.c.item_id == it.c.id)
    )  # fmt: skip
    if published_only:
        items_query = items_query.where(it.c.state == "published")
    items = _write_rows(store, items_query, directory / "items.parquet", ITEM_SCHEMA, batch_size)
    incidents_query = select(
        inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country, inc.c.exercise, inc.c.id,
        inc.c.latitude, inc.c.longitude,
    ).order_by(inc.c.id)  # fmt: skip
    if published_only:  # an incident with no published item is not in a published snapshot
        incidents_query = incidents_query.where(
            select(it.c.id).where(it.c.incident_id == inc.c.id, it.c.state == "published").exists()
        )

    def placed(row: Any) -> tuple[Any, ...]:
        return (*row[:6], coordinate(row[6], public), coordinate(row[7], public))

    incidents = _write_rows(
        store, incidents_query, directory / "incidents.parquet", INCIDENT_SCHEMA, batch_size,
        placed,
    )  # fmt: skip
    info = {
        "written_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "published_only": published_only,
        "public": public,
        "registry_version": registry_version(),
        "rows": {"components": written, "items": items, "incidents": incidents},
    }
    (directory / INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return directory


def snapshot_info(directory: Path) -> dict[str, Any]:
    """What ``snapshot.json`` says about a snapshot; raises SnapshotError when missing."""
    path = Path(directory) / INFO_FILE
    if not path.is_file():
        raise SnapshotError(
            f"{directory}: no snapshot here ({INFO_FILE} missing); "
            f"write one with 'armtrace snapshot {directory}'"
        )
    info: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return info


def connect(directory: Path, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views components, items, incidents over a snapshot."""
    snapshot_info(directory)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for name in TABLES:
        path = Path(directory) / f"{name}.parquet"
        if not path.is_file():
            raise SnapshotError(f"{path}: missing from the snapshot; write the snapshot again")
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{literal}')")
    return con
