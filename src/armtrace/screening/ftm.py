"""Reading sanctions lists in FollowTheMoney format (JSON lines, one entity a line).

Invariants:
- Entities are read with the followthemoney library itself (``model.get_proxy``), so an unknown
  schema or property is an error, reported with its line number; a file with any bad line is
  rejected whole.
- Kept: entities whose schema is Organization or one of its descendants (Company, PublicBody)
  and LegalEntity. People, vessels, aircraft and addresses are counted as skipped: screening
  here is about companies in supply chains.
- ``listed_since`` is the earliest full date among the listingDate and startDate of the Sanction
  entities pointing at the entity; partial dates ("2023-05") are kept in ``sanctions`` but never
  rounded into a full date, so an unknown day stays unknown.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.types import registry

from armtrace.errors import ImportRejected, RowError

NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
MAX_REPORTED_ERRORS = 50


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """A company or organisation on a sanctions list, with what screening compares."""

    entity_id: str
    schema: str
    caption: str
    names: tuple[str, ...]
    countries: tuple[str, ...]
    identifiers: tuple[str, ...]  # "property:value", e.g. "innCode:7701234567"
    listed_since: date | None
    sanctions: tuple[dict[str, Any], ...] = ()
    dataset: str = ""


@dataclass
class ParsedList:
    """A whole list file: its kept entities and what was skipped."""

    path: Path
    sha256: str
    dataset: str
    entities: list[ListedEntity]
    kept: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _full_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


SANCTION_FIELDS = ("authority", "program", "listingDate", "startDate", "sourceUrl")


def _sanction_summary(proxy: Any) -> dict[str, Any]:
    """What a listing says: who listed, under which programme, when, where it is published."""
    summary = {"id": proxy.id}
    for name in SANCTION_FIELDS:
        value = proxy.first(name)
        if value:
            summary[name] = value
    return summary


def _identifiers(proxy: Any) -> tuple[str, ...]:
    found: list[str] = []
    for prop, value in proxy.itervalues():
        if prop.type == registry.identifier:
            found.append(f"{prop.name}:{value}")
    return tuple(sorted(set(found)))


def _countries(proxy: Any) -> tuple[str, ...]:
    cleaned = (registry.country.clean(v) for v in proxy.get_type_values(registry.country))
    return tuple(sorted({c.upper() for c in cleaned if c}))


def _proxy(data: Any) -> Any:
    """A validated entity proxy; FtM itself ignores unknown properties, so check them here."""
    if not isinstance(data, dict) or not data.get("id"):
        raise ValueError("each line must be a JSON object with an 'id'")
    schema = model.get(data.get("schema") or "")
    if schema is None:
        raise ValueError(f"unknown FtM schema {data.get('schema')!r}")
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValueError("'properties' must be an object of lists")
    for name, values in properties.items():
        if schema.get(name) is None:
            raise ValueError(f"schema {schema.name} has no property {name!r}")
        if not isinstance(values, list):
            raise ValueError(f"property {name!r} must be a list of values")
    # Values are taken as published (FtM exports such as OpenSanctions' are already cleaned by
    # FtM); re-cleaning every value triples the load time of a 1M-entity list. The values
    # screening uses are checked with FtM's own types where they are read (_countries).
    return model.get_proxy(data, cleaned=True)


def read_list(path: Path, *, dataset: str | None = None) -> ParsedList:
    """Read and validate a FtM entity file; raise ImportRejected listing every bad line."""
    if not path.is_file():
        raise ImportRejected(str(path), [RowError(str(path), None, None, "no such file")])
    errors: list[RowError] = []
    # Entities are reduced to what screening needs as they are read: a million FtM proxies
    # held at once would take gigabytes.
    kept: list[ListedEntity] = []
    sanctions: dict[str, list[dict[str, Any]]] = {}
    skipped: Counter[str] = Counter()
    datasets: Counter[str] = Counter()
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
                proxy = _proxy(data)
            except (ValueError, FollowTheMoneyException, orjson.JSONDecodeError) as exc:
                errors.append(RowError(str(path), number, None, str(exc)))
                continue
            datasets.update(data.get("datasets") or [])
            if proxy.schema.is_a("Sanction"):
                for target in proxy.get("entity"):
                    sanctions.setdefault(target, []).append(_sanction_summary(proxy))
            elif proxy.schema.is_a("Organization") or proxy.schema.name == "LegalEntity":
                entity = _reduce(proxy)
                if entity is None:
                    skipped[f"{proxy.schema.name} without a name"] += 1
                else:
                    kept.append(entity)
            else:
                skipped[proxy.schema.name] += 1
    if errors:
        raise ImportRejected(str(path), errors[:MAX_REPORTED_ERRORS], len(errors))
    name = dataset or (datasets.most_common(1)[0][0] if datasets else path.name.split(".")[0])
    entities = [_with_sanctions(e, name, sanctions.get(e.entity_id, [])) for e in kept]
    kept_schemata = Counter(e.schema for e in entities)
    return ParsedList(path, file_sha256(path), name, entities, kept_schemata, skipped)


def _reduce(proxy: Any) -> ListedEntity | None:
    names = tuple(dict.fromkeys(v for p in NAME_PROPERTIES for v in proxy.get(p, quiet=True)))
    if not names:
        return None
    return ListedEntity(
        entity_id=proxy.id,
        schema=proxy.schema.name,
        caption=proxy.caption,
        names=names,
        countries=_countries(proxy),
        identifiers=_identifiers(proxy),
        listed_since=None,
    )


def _with_sanctions(entity: ListedEntity, dataset: str, own: list[dict[str, Any]]) -> ListedEntity:
    dates = [
        d
        for s in own
        for d in (_full_date(s.get("listingDate", "")), _full_date(s.get("startDate", "")))
        if d
    ]
    return ListedEntity(
        entity.entity_id,
        entity.schema,
        entity.caption,
        entity.names,
        entity.countries,
        entity.identifiers,
        min(dates) if dates else None,
        tuple(own),
        dataset,
    )
