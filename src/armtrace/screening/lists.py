"""Storing sanctions lists: one version per file, the newest version of each dataset current.

Invariants:
- Loading a file whose SHA-256 is already the current version changes nothing (idempotent).
- Loading a new version of a dataset makes it current and drops the older version's entities
  (their version row stays); loading an older file again makes it current again.
- Each load is audited; re-screening runs after the load's transaction has committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, delete, insert, select, update

from armtrace.audit import record_change
from armtrace.screening.ftm import ListedEntity, ParsedList, read_list
from armtrace.store import Store
from armtrace.store.dialect import bulk_insert
from armtrace.store.tables_screening import screening_entities, screening_lists

if TYPE_CHECKING:
    from armtrace.screening.runs import ScreeningChanges

ENTITY_COLUMNS = (
    "list_id",
    "entity_id",
    "schema",
    "caption",
    "names",
    "countries",
    "identifiers",
    "listed_since",
    "sanctions",
)
BATCH = 5000


@dataclass(frozen=True)
class ListVersion:
    """One loaded list file."""

    id: int
    dataset: str
    file_name: str
    file_sha256: str
    entities: int
    current: bool
    actor: str
    loaded_at: datetime

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        value = dict(self.__dict__)
        value["loaded_at"] = self.loaded_at.isoformat()
        return value


@dataclass(frozen=True)
class LoadReport:
    """What a load did: the version, whether it was new, and what re-screening changed."""

    version: ListVersion
    already_loaded: bool
    kept: Mapping[str, int]
    skipped: Mapping[str, int]
    changes: ScreeningChanges | None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "version": self.version.as_json(),
            "already_loaded": self.already_loaded,
            "kept": dict(self.kept),
            "skipped": dict(self.skipped),
            "changes": self.changes.as_json() if self.changes else None,
        }


def load_list(
    store: Store,
    path: Path,
    *,
    actor: str,
    dataset: str | None = None,
    rescreen: bool = True,
) -> LoadReport:
    """Load a FtM entity file (JSON lines) as the current version of its dataset, then re-screen."""
    parsed = read_list(Path(path), dataset=dataset)
    with store.begin() as conn:
        existing = conn.execute(
            select(screening_lists).where(screening_lists.c.file_sha256 == parsed.sha256)
        ).first()
        if existing is not None and existing.current:
            version = _version(existing)
            return LoadReport(version, True, parsed.kept, parsed.skipped, None)
        version = _store_version(conn, parsed, existing, actor)
    changes = None
    if rescreen:
        from armtrace.screening.runs import run_screening

        changes = run_screening(store, actor=actor, trigger="list-load").changes
    return LoadReport(version, False, parsed.kept, parsed.skipped, changes)


def _store_version(conn: Connection, parsed: ParsedList, existing: Any, actor: str) -> ListVersion:
    now = datetime.now(UTC)
    previous = conn.execute(
        select(screening_lists.c.id, screening_lists.c.file_sha256).where(
            screening_lists.c.dataset == parsed.dataset, screening_lists.c.current.is_(True)
        )
    ).all()
    for row in previous:
        conn.execute(delete(screening_entities).where(screening_entities.c.list_id == row.id))
        conn.execute(
            update(screening_lists).where(screening_lists.c.id == row.id).values(current=False)
        )
    values = {
        "dataset": parsed.dataset,
        "file_name": parsed.path.name,
        "file_sha256": parsed.sha256,
        "entities": len(parsed.entities),
        "current": True,
        "actor": actor,
        "loaded_at": now,
    }
    if existing is not None:
        list_id = int(existing.id)
        conn.execute(update(screening_lists).where(screening_lists.c.id == list_id).values(values))
    else:
        list_id = int(
            conn.execute(
                insert(screening_lists).values(values).returning(screening_lists.c.id)
            ).scalar_one()
        )
    rows = [_entity_row(list_id, e) for e in parsed.entities]
    for start in range(0, len(rows), BATCH):
        bulk_insert(conn, "screening_entities", ENTITY_COLUMNS, rows[start : start + BATCH])
    record_change(
        conn,
        actor=actor,
        action="screening.list.load",
        entity="screening_list",
        entity_key=parsed.dataset,
        before={"current": [r.file_sha256 for r in previous]} if previous else None,
        after={k: v for k, v in values.items() if k != "loaded_at"},
    )
    return ListVersion(id=list_id, **values)  # type: ignore[arg-type]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _entity_row(list_id: int, entity: ListedEntity) -> tuple[Any, ...]:
    return (
        list_id,
        entity.entity_id,
        entity.schema,
        entity.caption,
        _json(list(entity.names)),
        _json(list(entity.countries)),
        _json(list(entity.identifiers)),
        entity.listed_since,
        _json(list(entity.sanctions)),
    )


def _version(row: Any) -> ListVersion:
    return ListVersion(
        id=int(row.id),
        dataset=row.dataset,
        file_name=row.file_name,
        file_sha256=row.file_sha256,
        entities=int(row.entities),
        current=bool(row.current),
        actor=row.actor,
        loaded_at=row.loaded_at,
    )


def list_versions(store: Store) -> list[ListVersion]:
    """Every loaded list version, newest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(screening_lists).order_by(
                screening_lists.c.loaded_at.desc(), screening_lists.c.id.desc()
            )
        ).all()
    return [_version(r) for r in rows]


def current_versions(conn: Connection) -> dict[str, str]:
    """Each dataset's current file hash."""
    return {
        r.dataset: r.file_sha256
        for r in conn.execute(
            select(screening_lists.c.dataset, screening_lists.c.file_sha256).where(
                screening_lists.c.current.is_(True)
            )
        )
    }


def current_entities(conn: Connection) -> list[ListedEntity]:
    """The entities of every current list version."""
    query = (
        select(screening_entities, screening_lists.c.dataset)
        .join(screening_lists, screening_lists.c.id == screening_entities.c.list_id)
        .where(screening_lists.c.current.is_(True))
        .order_by(screening_entities.c.id)
    )
    entities = [
        ListedEntity(
            entity_id=r.entity_id,
            schema=r.schema,
            caption=r.caption,
            names=tuple(orjson.loads(r.names)),
            countries=tuple(orjson.loads(r.countries)),
            identifiers=tuple(orjson.loads(r.identifiers)),
            listed_since=r.listed_since,
            sanctions=tuple(orjson.loads(r.sanctions)),
            dataset=r.dataset,
        )
        for r in conn.execute(query)
    ]
    return entities
