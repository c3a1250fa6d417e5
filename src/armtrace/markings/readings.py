"""Identify every stored component, and find where else a part was seen.

Readings are machine output: they are recomputed from the markings and the registry whenever
asked, and never touch an analyst's own identification (``components.manufacturer``). Identical
marking texts are identified once per run, since a campaign repeats the same parts many times.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Select, delete, func, or_, select, true

from armtrace.markings.identify import Identification, identify
from armtrace.markings.parse import parse_marking
from armtrace.refdata.manufacturers import Registry, bundled_paths, load_registry
from armtrace.store import Store, tables
from armtrace.store.dialect import bulk_insert

# OCR and typing confuse these letters with digits; folding both sides makes them compare equal.
_FOLD = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
)
STEM = 5
KEY_CHUNK = 1000  # item keys per IN list: well under SQLite's and PostgreSQL's bound-parameter caps
READING_COLUMNS = (
    "component_id", "part_number", "part_key", "part_stem", "manufacturer_id", "parent_id",
    "country", "date_raw", "date_earliest", "date_latest", "confidence", "why",
    "registry_version", "source", "ocr_text",
)  # fmt: skip
PhotoReader = Callable[[bytes], tuple[str, float]]  # image bytes -> (text, confidence)


def part_key(part: str) -> str:
    """A part number folded for OCR-tolerant comparison: "SN74LVC24SA" ~ "SN74LVC245A"."""
    return "".join(ch for ch in part.upper() if ch.isalnum()).translate(_FOLD)[:80]


@lru_cache(maxsize=1)
def registry_version() -> str:
    """A short hash of the bundled registry files, stored with each reading."""
    digest = hashlib.sha256()
    for path in bundled_paths():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def identify_components(
    store: Store,
    *,
    item_keys: Iterable[str] | None = None,
    registry: Registry | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    batch_size: int = 20_000,
    read_photo: PhotoReader | None = None,
) -> int:
    """(Re)compute the readings of every component, or of the given items'; returns how many.

    ``item_keys`` limits the work to those items' components (an upload identifies what it just
    imported); keys the store does not hold are ignored. A component with no typed marking but a
    photo is read from the photo (hash-checked evidence) by OCR; ``read_photo`` defaults to
    armtrace's offline OCR model.
    """
    identifier = _Identifier(registry or load_registry(), read_photo, store)
    if item_keys is None:
        chunks: list[list[str] | None] = [None]
    else:
        wanted = sorted(set(item_keys))
        chunks = [wanted[at : at + KEY_CHUNK] for at in range(0, len(wanted), KEY_CHUNK)]
    written = 0
    with store.engine.connect() as reader, store.begin() as writer:
        total = sum(
            reader.execute(
                select(func.count()).select_from(_query(keys).order_by(None).subquery())
            ).scalar_one()
            for keys in chunks
        )
        for keys in chunks:
            writer.execute(delete(tables.readings).where(_in_items(keys)))
            batch: list[tuple[object, ...]] = []
            result = reader.execution_options(stream_results=True, yield_per=batch_size).execute(
                _query(keys)
            )
            for component_id, typed, photo_sha, documented_on in result:
                batch.append(identifier.row(component_id, typed, photo_sha, documented_on))
                if len(batch) >= batch_size:
                    written += bulk_insert(writer, "readings", READING_COLUMNS, batch)
                    batch.clear()
                    if on_progress:
                        on_progress(written, total)
            written += bulk_insert(writer, "readings", READING_COLUMNS, batch)
        if on_progress:
            on_progress(written, total)
    return written


def _identifiable() -> ColumnElement[bool]:
    return or_(
        tables.components.c.marking.is_not(None), tables.components.c.photo_sha256.is_not(None)
    )


def _in_items(keys: list[str] | None) -> ColumnElement[bool]:
    """Readings of the named items' components (every reading when no keys are given)."""
    if keys is None:
        return true()
    comp, it = tables.components, tables.items
    ids = select(comp.c.id).join(it, it.c.id == comp.c.item_id).where(it.c.key.in_(keys))
    return tables.readings.c.component_id.in_(ids)


def _query(keys: list[str] | None) -> Select[Any]:
    comp, inc, it = tables.components, tables.incidents, tables.items
    query = (
        select(comp.c.id, comp.c.marking, comp.c.photo_sha256, inc.c.incident_date)
        .select_from(
            comp.join(it, it.c.id == comp.c.item_id).join(inc, inc.c.id == it.c.incident_id)
        )
        .where(_identifiable())
        .order_by(comp.c.id)
    )
    return query if keys is None else query.where(it.c.key.in_(keys))


class _Identifier:
    """Identifies markings for one run, once per distinct (marking, incident date)."""

    def __init__(self, registry: Registry, read_photo: PhotoReader | None, store: Store) -> None:
        self.registry, self.read_photo, self.store = registry, read_photo, store
        self.version = registry_version()
        self.cache: dict[tuple[str, date | None], Identification] = {}

    def row(
        self, component_id: int, typed: str | None, photo_sha: str | None, on: date | None
    ) -> tuple[object, ...]:
        """The readings row of one component."""
        ocr_text, marking, ocr_why = None, typed, ""
        if typed is None:
            assert photo_sha is not None  # the query keeps only components with one or the other
            self.read_photo = self.read_photo or _offline_ocr
            ocr_text, ocr_confidence = self.read_photo(self.store.evidence.read(photo_sha))
            marking = ocr_text
            ocr_why = f"marking read from photo {photo_sha[:12]} by OCR ({ocr_confidence:.2f}): "
        assert marking is not None
        found = self.cache.get((marking, on))
        if found is None:
            found = identify(marking, registry=self.registry, documented_on=on)
            if len(self.cache) < 200_000:
                self.cache[(marking, on)] = found
        row = _row(component_id, found, self.version)
        if ocr_text is not None:
            return (*row[:11], ocr_why + found.why, self.version, "photo-ocr", ocr_text)
        return (*row, "marking", None)


def _offline_ocr(image: bytes) -> tuple[str, float]:
    from armtrace.ocr import read_marking  # loads the model only when a photo needs reading

    result = read_marking(image)
    return result.text, result.confidence


def _row(component_id: int, found: Identification, version: str) -> tuple[object, ...]:
    part = found.parsed.part_number
    key = part_key(part) if part else None
    dc = found.date_code
    return (
        component_id, part, key, key[:STEM] if key else None,
        found.manufacturer.id if found.manufacturer else None,
        found.parent.id if found.parent else None,
        found.country, dc.raw if dc else None, dc.earliest if dc else None,
        dc.latest if dc else None, found.confidence, found.why, version,
    )  # fmt: skip


@dataclass(frozen=True)
class Sighting:
    """A stored component whose part number matches the one looked up."""

    incident: str
    incident_date: date | None
    place: str | None
    country: str | None
    item: str
    component: str
    marking: str
    part_number: str
    similarity: float  # 100 for the same folded part number
    why: str


def where_seen(store: Store, marking: str, *, min_similarity: float = 88.0) -> list[Sighting]:
    """Components in the store with the same or a near-identical part number, best first."""
    parsed = parse_marking(marking)
    keys = [part_key(p) for p in parsed.part_candidates[:2] if len(part_key(p)) >= STEM]
    if not keys:
        return []
    r, comp, it, inc = tables.readings, tables.components, tables.items, tables.incidents
    query = (
        select(inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country, it.c.key,
               comp.c.key, comp.c.marking, r.c.part_number, r.c.part_key)
        .select_from(r.join(comp, comp.c.id == r.c.component_id)
                     .join(it, it.c.id == comp.c.item_id).join(inc, inc.c.id == it.c.incident_id))
        .where(r.c.part_stem.in_({k[:STEM] for k in keys}))
    )  # fmt: skip
    sightings: list[Sighting] = []
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            best = max(_similarity(k, row[8]) for k in keys)
            if best[0] >= min_similarity:
                sightings.append(Sighting(*row[:8], similarity=best[0], why=best[1]))
    sightings.sort(key=lambda s: (-s.similarity, s.incident_date or date.min, s.item))
    return sightings


def _similarity(query: str, stored: str) -> tuple[float, str]:
    if query == stored:
        return 100.0, "same part number (after folding OCR look-alikes)"
    if len(query) >= 6 and (stored.startswith(query) or query.startswith(stored)):
        return 95.0, "same part number with a different ordering suffix"
    score = fuzz.ratio(query, stored)
    return score, f"part numbers {score:.0f}% alike (one misread character or so)"


@dataclass(frozen=True)
class ReadingTotals:
    """How many stored components were identified, by how many makers, in which countries."""

    components: int
    identified: int
    makers: int
    by_country: dict[str, int]  # headquarters country -> identified components


def reading_totals(store: Store) -> ReadingTotals:
    """Totals over the stored readings (run ``identify_components`` first)."""
    r = tables.readings
    with store.engine.connect() as conn:
        components = conn.execute(select(func.count()).select_from(tables.components)).scalar_one()
        identified = conn.execute(
            select(func.count()).where(r.c.manufacturer_id.is_not(None))
        ).scalar_one()
        makers = conn.execute(select(func.count(func.distinct(r.c.manufacturer_id)))).scalar_one()
        by_country = {
            country or "unknown": count
            for country, count in conn.execute(
                select(r.c.country, func.count())
                .where(r.c.manufacturer_id.is_not(None))
                .group_by(r.c.country)
                .order_by(func.count().desc(), r.c.country)
            )
        }
    return ReadingTotals(int(components), int(identified), int(makers), by_country)
