"""Writing one batch of validated sheet rows into the store, inside the import's transaction.

Incidents and items are few (thousands) and merged row by row by natural key; components are many
(millions) and go through the dialect's bulk path: a plain append for items that are new in this
import (no conflict is possible) and an upsert for items the store already held.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, select

from armtrace.errors import RowError
from armtrace.sheets.timings import phase
from armtrace.store import tables
from armtrace.store.dialect import (
    bulk_insert,
    bulk_upsert,
    copy_csv,
    copy_in,
    is_postgres,
    raw_connection,
    restore_after_bulk_load,
    suspend_for_bulk_load,
    upsert_merge,
)

COMPONENT_COLUMNS = (
    "item_id",
    "key",
    "marking",
    "description",
    "manufacturer",
    "photo",
    "photo_sha256",
    "notes",
)
# Columns a component without a photo leaves NULL. Leaving them out of SQLite's INSERT saves
# binding two parameters a row: about a sixth of the insert's CPU time (measured on 1M rows).
PHOTOLESS_COLUMNS = tuple(c for c in COMPONENT_COLUMNS if c not in ("photo", "photo_sha256"))
_photoless = itemgetter(*(COMPONENT_COLUMNS.index(c) for c in PHOTOLESS_COLUMNS))
# On PostgreSQL the trigram (GIN) search index and the foreign keys of components cost far more
# row by row than set-based once at the end (armtrace.store.dialect). An import expected to at
# least double the table drops them and puts them back before the commit, in the same
# transaction (a failed import restores them with the rollback). Below this many components
# the import keeps them up to date row by row, because dropping them locks readers out of
# components, items and evidence until the commit.
REBUILD_MIN_COMPONENTS = 200_000


@dataclass(frozen=True)
class PlainBlock:
    """Consecutive photo-less components of one item, as columns (from the columnar CSV path)."""

    item: str
    keys: list[str]
    marking: list[str | None]
    description: list[str | None]
    manufacturer: list[str | None]
    notes: list[str | None]

    def rows(self, item_id: int) -> Iterator[tuple[Any, ...]]:
        """The block as component rows of the item with this id (tuples built in C by zip)."""
        return zip(
            repeat(item_id),
            self.keys,
            self.marking,
            self.description,
            self.manufacturer,
            repeat(None),
            repeat(None),
            self.notes,
            strict=False,
        )


class _Columns:
    """New components as columns, in the order they come, for COPY without a row object each."""

    def __init__(self) -> None:
        self.columns: list[list[Any]] = [[] for _ in COMPONENT_COLUMNS]
        self.rows: list[list[Any]] = []
        self.count = 0

    def add_block(self, item_id: int, block: PlainBlock) -> None:
        self._take_rows()
        n = len(block.keys)
        item_ids, keys, marking, description, manufacturer, photo, sha, notes = self.columns
        item_ids.extend(repeat(item_id, n))
        keys.extend(block.keys)
        marking.extend(block.marking)
        description.extend(block.description)
        manufacturer.extend(block.manufacturer)
        photo.extend(repeat(None, n))
        sha.extend(repeat(None, n))
        notes.extend(block.notes)
        self.count += n

    def add_row(self, row: list[Any]) -> None:
        self.rows.append(row)
        self.count += 1

    def done(self) -> list[list[Any]]:
        """The columns, rows added since the last block included."""
        self._take_rows()
        return self.columns

    def _take_rows(self) -> None:
        if self.rows:
            for column, values in zip(self.columns, zip(*self.rows, strict=True), strict=True):
                column.extend(values)
            self.rows = []


# A pending component: [item_key, component_key, marking, description, manufacturer, photo,
# photo_sha256, notes], or a PlainBlock of many. A list, so that writing it swaps the item key
# for the item's id in place instead of building a second row per component.
Pending = list[Any] | PlainBlock


@dataclass
class Loader:
    """Keeps the ids of incidents and items already written in this import."""

    conn: Connection
    file: str
    incident_ids: dict[str, int] = field(default_factory=dict)
    item_ids: dict[str, int] = field(default_factory=dict)
    new_items: set[str] = field(default_factory=set)
    changed: int = 0
    # Statements that restore the indexes and foreign keys dropped for this import (finish()).
    restore: list[str] = field(default_factory=list)
    rebuild_checked: bool = False

    def write_incidents(self, rows: dict[str, list[Any]]) -> None:
        """Merge incidents by key and learn their ids."""
        if not rows:
            return
        t = tables.incidents
        payload = [
            {
                "key": key,
                "incident_date": v[0],
                "place": v[1],
                "country": v[2],
                "latitude": v[3],
                "longitude": v[4],
                "exercise": bool(v[5]),
            }
            for key, v in rows.items()
        ]
        self.changed += upsert_merge(self.conn, t, "key", payload, sticky_true=("exercise",))
        for chunk in _chunks(list(rows)):
            for key, ident in self.conn.execute(select(t.c.key, t.c.id).where(t.c.key.in_(chunk))):
                self.incident_ids[key] = ident

    def write_items(self, rows: dict[str, list[Any]], first_rows: dict[str, int]) -> list[RowError]:
        """Merge items by key; an item the store holds under another incident is an error."""
        if not rows:
            return []
        unknown = [k for k in rows if k not in self.item_ids]
        errors = self._conflicts(rows, first_rows, unknown)
        if errors:
            return errors
        t = tables.items
        payload = [
            {
                "key": key,
                "incident_id": self.incident_ids[v[0]],
                "item_type": v[1],
                "item_markings": v[2],
                "weapon_system": v[3],
                "notes": v[4],
            }
            for key, v in rows.items()
        ]
        self.changed += upsert_merge(self.conn, t, "key", payload)
        for chunk in _chunks(unknown):
            for key, ident in self.conn.execute(select(t.c.key, t.c.id).where(t.c.key.in_(chunk))):
                self.item_ids[key] = ident
        return []

    def _conflicts(
        self, rows: dict[str, list[Any]], first_rows: dict[str, int], unknown: list[str]
    ) -> list[RowError]:
        """Items the store already holds under another incident; notes which items are new."""
        t, inc = tables.items, tables.incidents
        errors: list[RowError] = []
        existing: dict[str, str] = {}
        for chunk in _chunks(unknown):
            query = (
                select(t.c.key, inc.c.key)
                .join(inc, inc.c.id == t.c.incident_id)
                .where(t.c.key.in_(chunk))
            )
            existing.update({k: ik for k, ik in self.conn.execute(query)})
        for key in unknown:
            if key not in existing:
                self.new_items.add(key)
            elif existing[key] != rows[key][0]:
                errors.append(
                    RowError(
                        self.file,
                        first_rows[key],
                        "incident_id",
                        f"item {key!r} is already stored under incident {existing[key]!r}",
                    )
                )
        return errors

    def write_components(
        self, pending: list[Pending], expected: int = 0
    ) -> Callable[[], None] | None:
        """Append components of new items; upsert those of items the store already held.

        ``expected`` is the number of components the whole file is expected to hold (estimated
        from the share of it read so far); it decides whether this is a bulk load (see
        REBUILD_MIN_COMPONENTS).

        On PostgreSQL the append comes back as a job (the batch already formatted as COPY CSV)
        that the caller may run in another thread while it reads on: the database works while
        the next batch is parsed. The caller must finish the job before the connection's next
        statement.
        """
        ids = self.item_ids
        new = self.new_items
        postgres = is_postgres(self.conn)
        # PostgreSQL takes new components as columns (COPY CSV built by Arrow), SQLite as rows.
        columns = _Columns() if postgres else None
        fresh: list[Any] = []
        merge: list[Any] = []
        add_fresh, add_merge = fresh.append, merge.append
        for row in pending:
            if isinstance(row, PlainBlock):
                item_id = ids[row.item]
                if row.item not in new:
                    merge.extend(row.rows(item_id))
                elif columns is not None:
                    columns.add_block(item_id, row)
                else:
                    fresh.extend(row.rows(item_id))
                continue
            item = row[0]
            row[0] = ids[item]
            if item not in new:
                add_merge(row)
            elif columns is not None:
                columns.add_row(row)
            else:
                add_fresh(row)
        if postgres and not self.rebuild_checked:
            self.rebuild_checked = True
            if expected >= REBUILD_MIN_COMPONENTS:
                with phase("suspend indexes and foreign keys"):
                    self.restore = suspend_for_bulk_load(self.conn, "components", expected)
        self.changed += bulk_upsert(
            self.conn, "components", COMPONENT_COLUMNS, ("item_id", "key"), merge
        )
        if columns is not None:
            if not columns.count:
                return None
            data = copy_csv(columns.done(), integer_columns=(0,))
            self.changed += columns.count
            return partial(_timed_copy, raw_connection(self.conn), data)
        if not fresh:
            return None
        if any(row[5] is not None or row[6] is not None for row in fresh):
            self.changed += bulk_insert(self.conn, "components", COMPONENT_COLUMNS, fresh)
        else:
            rows = list(map(_photoless, fresh))
            self.changed += bulk_insert(self.conn, "components", PHOTOLESS_COLUMNS, rows)
        return None

    def finish(self) -> None:
        """Put back what was dropped for this import (before the commit): checks run here."""
        statements, self.restore = self.restore, []
        for statement in statements:
            with phase(f"restore: {statement[:60]}"):
                restore_after_bulk_load(self.conn, [statement])


def _timed_copy(raw: Any, data: bytes) -> None:
    with phase("COPY components (background thread)"):
        copy_in(raw, "components", COMPONENT_COLUMNS, data)


def _chunks(keys: list[str], size: int = 500) -> list[list[str]]:
    return [keys[i : i + size] for i in range(0, len(keys), size)]


class CheckingLoader(Loader):
    """Finds the errors Loader would, writing nothing: rescanning a file that will be refused."""

    def write_incidents(self, rows: dict[str, list[Any]]) -> None:
        """Nothing to check: incidents merge with anything."""

    def write_items(self, rows: dict[str, list[Any]], first_rows: dict[str, int]) -> list[RowError]:
        """Report items stored under another incident, as Loader.write_items does."""
        unknown = [k for k in rows if k not in self.item_ids]
        errors = self._conflicts(rows, first_rows, unknown)
        if not errors:
            self.item_ids.update(dict.fromkeys(unknown, -1))
        return errors

    def write_components(
        self, pending: list[Pending], expected: int = 0
    ) -> Callable[[], None] | None:
        """Nothing to check: duplicates are found at the end of the scan."""
        return None
