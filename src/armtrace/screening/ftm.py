"""Reading sanctions lists in FollowTheMoney format (JSON lines, one entity a line).

Invariants:
- Every line is checked against followthemoney's own model: an unknown schema or property, or
  a property that is not a list of text values, is an error reported with its line number (and
  the property); a file with any bad line is rejected whole.
- Lines are read as plain JSON and checked against a per-schema summary of the model (looked up
  once per schema name) instead of building an FtM proxy per entity: a million proxies cost
  more than half a minute. What is read is what a proxy would give: values de-duplicated per
  property and taken as published, the caption picked by FtM's rule (the schema's caption
  properties in order, ``pick_name`` among several names), country codes cleaned with FtM's
  country type (once per distinct value).
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
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import orjson
from rigour.names import pick_name

from armtrace.errors import ImportRejected, RowError
from armtrace.screening.bulk import collector_paused

NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
SANCTION_FIELDS = ("authority", "program", "listingDate", "startDate", "sourceUrl")
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


@dataclass(frozen=True, slots=True)
class _Schema:
    """What reading needs of one FtM schema."""

    name: str
    label: str
    role: Literal["sanction", "kept", "skipped"]
    properties: frozenset[str]
    caption: tuple[tuple[str, bool], ...]  # (property, holds names) in FtM's caption order
    names: tuple[str, ...]  # the NAME_PROPERTIES the schema has
    countries: frozenset[str]  # properties of FtM's country type
    identifiers: frozenset[str]  # properties of FtM's identifier type


class _BadLine(ValueError):
    """A line that does not hold a valid FtM entity; ``field`` is the property at fault."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.field = field


@lru_cache(maxsize=1024)  # bounded: a bad file may name many schemata
def _schema(name: str) -> _Schema | None:
    # followthemoney is imported where it is used: loading its model costs ~0.4 s, which every
    # armtrace command would otherwise pay at start-up.
    from followthemoney import model
    from followthemoney.types import registry

    schema = model.get(name)
    if schema is None:
        return None
    props = schema.properties
    role: Literal["sanction", "kept", "skipped"] = "skipped"
    if schema.is_a("Sanction"):
        role = "sanction"
    elif schema.is_a("Organization") or schema.name == "LegalEntity":
        role = "kept"
    return _Schema(
        name=schema.name,
        label=schema.label,
        role=role,
        properties=frozenset(props),
        caption=tuple((p, props[p].type == registry.name) for p in schema.caption),
        names=tuple(p for p in NAME_PROPERTIES if p in props),
        countries=frozenset(p for p, v in props.items() if v.type == registry.country),
        identifiers=frozenset(p for p, v in props.items() if v.type == registry.identifier),
    )


@lru_cache(maxsize=4096)
def _country(value: str) -> str | None:
    """A country value cleaned by FtM's country type, upper-cased; None when it is no country."""
    from followthemoney.types import registry

    cleaned = registry.country.clean(value)
    return cleaned.upper() if cleaned else None


def _full_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _checked(data: Any) -> tuple[_Schema, dict[str, list[str]]]:
    """The entity's schema and properties, or _BadLine saying what FtM's model does not allow."""
    if not isinstance(data, dict) or not data.get("id"):
        raise _BadLine("each line must be a JSON object with an 'id'")
    name = data.get("schema") or ""
    schema = _schema(name) if isinstance(name, str) else None
    if schema is None:
        raise _BadLine(f"unknown FtM schema {data.get('schema')!r}")
    named = data.get("datasets")
    if named is not None and not (
        isinstance(named, list) and all(isinstance(n, str) for n in named)
    ):
        raise _BadLine("'datasets' must be a list of dataset names")
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise _BadLine("'properties' must be an object of lists")
    known = schema.properties
    for prop, values in properties.items():
        if prop not in known:
            raise _BadLine(f"schema {schema.name} has no property {prop!r}", prop)
        if not isinstance(values, list):
            raise _BadLine(f"property {prop!r} must be a list of values", prop)
        try:
            "".join(values)  # one C call checks that every value is text
        except TypeError:
            raise _BadLine(f"property {prop!r} has a value that is not text", prop) from None
    return schema, properties


def _first(properties: dict[str, list[str]], prop: str) -> str | None:
    values = properties.get(prop)
    return values[0] if values else None


def _caption(schema: _Schema, properties: dict[str, list[str]]) -> str:
    """FtM's caption rule (``EntityProxy.caption``)."""
    for prop, holds_names in schema.caption:
        values = properties.get(prop)
        if not values:
            continue
        unique = list(dict.fromkeys(values))
        if holds_names and len(unique) > 1:
            picked = pick_name(sorted(unique))
            if picked is not None:
                return picked
        else:
            return unique[0]
    return schema.label


def _sanction_summary(entity_id: str, properties: dict[str, list[str]]) -> dict[str, Any]:
    """What a listing says: who listed, under which programme, when, where it is published."""
    summary = {"id": entity_id}
    for name in SANCTION_FIELDS:
        value = _first(properties, name)
        if value:
            summary[name] = value
    return summary


_Kept = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _reduce(entity_id: str, schema: _Schema, properties: dict[str, list[str]]) -> _Kept | None:
    """What screening needs of a kept entity; None when it has no name."""
    names = tuple(dict.fromkeys(v for p in schema.names for v in properties.get(p, ())))
    if not names:
        return None
    # The entity's own few properties are walked, not the schema's dozens of identifier types.
    countries = {
        c
        for p, values in properties.items()
        if p in schema.countries
        for v in values
        if (c := _country(v))
    }
    identifiers = {
        f"{p}:{v}" for p, values in properties.items() if p in schema.identifiers for v in values
    }
    caption = _caption(schema, properties)
    return (
        entity_id,
        schema.name,
        caption,
        names,
        tuple(sorted(countries)),
        tuple(sorted(identifiers)),
    )


def read_list(path: Path, *, dataset: str | None = None) -> ParsedList:
    """Read and validate a FtM entity file; raise ImportRejected listing every bad line."""
    if not path.is_file():
        raise ImportRejected(str(path), [RowError(str(path), None, None, "no such file")])
    errors: list[RowError] = []
    # Entities are reduced to what screening needs as they are read: a million entities held
    # as parsed JSON would take gigabytes.
    kept: list[_Kept] = []
    sanctions: dict[str, list[dict[str, Any]]] = {}
    skipped: Counter[str] = Counter()
    dataset_lists: Counter[tuple[str, ...]] = Counter()
    digest = hashlib.sha256()  # of the file's bytes, as they are read: no second pass
    with path.open("rb") as handle, collector_paused():
        for number, line in enumerate(handle, start=1):
            digest.update(line)
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
                schema, properties = _checked(data)
            except _BadLine as exc:
                errors.append(RowError(str(path), number, exc.field, str(exc)))
                continue
            except orjson.JSONDecodeError as exc:
                errors.append(RowError(str(path), number, None, str(exc)))
                continue
            # Counted per distinct list: a whole file usually names the same datasets.
            named = data.get("datasets")
            if named:
                dataset_lists[tuple(named)] += 1
            entity_id = str(data["id"])
            if schema.role == "sanction":
                summary = _sanction_summary(entity_id, properties)
                for target in dict.fromkeys(properties.get("entity", ())):
                    sanctions.setdefault(target, []).append(summary)
            elif schema.role == "kept":
                entity = _reduce(entity_id, schema, properties)
                if entity is None:
                    skipped[f"{schema.name} without a name"] += 1
                else:
                    kept.append(entity)
            else:
                skipped[schema.name] += 1
    if errors:
        raise ImportRejected(str(path), errors[:MAX_REPORTED_ERRORS], len(errors))
    datasets: Counter[str] = Counter()
    for named, count in dataset_lists.items():
        for one in named:
            datasets[one] += count
    name = dataset or (datasets.most_common(1)[0][0] if datasets else path.name.split(".")[0])
    with collector_paused():
        entities = [_listed(e, name, sanctions.get(e[0], ())) for e in kept]
    kept_schemata = Counter(e.schema for e in entities)
    return ParsedList(path, digest.hexdigest(), name, entities, kept_schemata, skipped)


def _listed(entity: _Kept, dataset: str, own: list[dict[str, Any]] | tuple[()]) -> ListedEntity:
    if not own:
        return ListedEntity(*entity, None, (), dataset)
    dates = [
        d
        for s in own
        for d in (_full_date(s.get("listingDate", "")), _full_date(s.get("startDate", "")))
        if d
    ]
    return ListedEntity(*entity, min(dates) if dates else None, tuple(own), dataset)
