"""Identify every stored component, and find where else a part was seen.

Readings are machine output: they are recomputed from the markings and the registry whenever
asked, and never touch an analyst's own identification (``components.manufacturer``). Identical
marking texts are identified once per run, since a campaign repeats the same parts many times.

Where-seen look-up: every part key written to readings is filed in ``part_key_variants`` under
``filed_under(key)``: itself, each spelling with up to two characters dropped (symmetric deletion,
as in SymSpell) and its prefixes of ``PREFIX_MIN`` characters or more. A query looks up
``probes(key)`` (its own spellings with up to two characters dropped) among those, and its own
prefixes among the stored keys, so a stored key is found when it is up to two misread, dropped or
extra characters away anywhere in the key (look-alikes such as O/0 are folded away before), or
when one key is the other with an ordering suffix. Candidates are then ranked by ``_similarity``.
Only pairs needing three or more drops on one side are missed; at the 88% threshold those are
rare (keys of 13+ characters with three extra characters, not a suffix).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    delete,
    func,
    or_,
    select,
    true,
    union,
)

from armtrace.markings.identify import Identification, identify
from armtrace.markings.parse import parse_marking
from armtrace.refdata.manufacturers import Registry, bundled_paths, load_registry
from armtrace.store import Store, tables
from armtrace.store.dialect import bulk_insert, in_bound_list, insert_missing, is_postgres

# OCR and typing confuse these letters with digits; folding both sides makes them compare equal.
_FOLD = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
)
STEM = 5  # shortest part key looked up (and, in readings.part_stem, the old search bucket)
PREFIX_MIN = 6  # _similarity calls a shared prefix "the same part" from six characters
# Characters dropped from each side to meet (symmetric deletion). Two is what the 88% threshold
# needs: between keys of 13 characters or more, a misread plus a dropped or extra character still
# scores 88, and one would not find those with one.
DELETE_DEPTH = 2
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


def deletions(key: str, depth: int = DELETE_DEPTH) -> set[str]:
    """The key and every spelling of it with up to ``depth`` characters dropped (none empty)."""
    found = {key}
    layer = {key}
    for _ in range(depth):
        layer = {word[:i] + word[i + 1 :] for word in layer for i in range(len(word))}
        found |= layer
    found.discard("")
    return found


def filed_under(key: str) -> set[str]:
    """The spellings a stored part key is filed under in ``part_key_variants``."""
    return deletions(key) | {key[:n] for n in range(PREFIX_MIN, len(key))}


def probes(key: str) -> set[str]:
    """The spellings of a query key to look up among the filed variants.

    Its deletions: two keys meet at a common spelling when each needs at most ``DELETE_DEPTH``
    characters dropped to reach it (a misread, a dropped or an extra character, or two of those).
    The query itself also reaches stored keys that extend it with an ordering suffix (through
    their prefixes). Stored keys that are the query without its ordering suffix are found apart,
    among the stored keys themselves (``matching_keys``): probing the query's prefixes here would
    reach every longer key filed under them.
    """
    return deletions(key)


def file_part_keys(conn: Connection, keys: Iterable[str]) -> int:
    """File the part keys not yet in ``part_key_variants``; returns how many were new."""
    wanted = sorted(set(keys))
    variants = tables.part_key_variants
    new = 0
    for at in range(0, len(wanted), KEY_CHUNK):
        chunk = wanted[at : at + KEY_CHUNK]
        # A key is filed under itself, so that row says whether it is filed already.
        known = set(
            conn.execute(
                select(variants.c.part_key).where(
                    variants.c.variant.in_(chunk), variants.c.variant == variants.c.part_key
                )
            ).scalars()
        )
        fresh = [key for key in chunk if key not in known]
        rows = [(v, key) for key in fresh for v in sorted(filed_under(key))]
        insert_missing(conn, "part_key_variants", ("variant", "part_key"), rows)
        new += len(fresh)
    return new


def _forget_unused_keys(conn: Connection) -> None:
    """Drop filed keys no reading has any more (after a full re-identification)."""
    variants, r = tables.part_key_variants, tables.readings
    used = select(r.c.part_key).where(r.c.part_key == variants.c.part_key).exists()
    conn.execute(delete(variants).where(~used))


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
                    written += _write(writer, batch)
                    batch.clear()
                    if on_progress:
                        on_progress(written, total)
            written += _write(writer, batch)
        if item_keys is None:
            _forget_unused_keys(writer)
        if on_progress:
            on_progress(written, total)
    return written


def _write(conn: Connection, batch: list[tuple[object, ...]]) -> int:
    """Insert readings rows and file their part keys for the where-seen look-up."""
    file_part_keys(conn, {row[2] for row in batch if isinstance(row[2], str) and row[2]})
    return bulk_insert(conn, "readings", READING_COLUMNS, batch)


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
    sightings: list[Sighting] = []
    with store.engine.connect() as conn:
        scored = matching_keys(conn, keys, min_similarity=min_similarity)
        found = sorted(scored)
        for at in range(0, len(found), KEY_CHUNK):
            query = (
                select(inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country, it.c.key,
                       comp.c.key, comp.c.marking, r.c.part_number, r.c.part_key)
                .select_from(r.join(comp, comp.c.id == r.c.component_id)
                             .join(it, it.c.id == comp.c.item_id)
                             .join(inc, inc.c.id == it.c.incident_id))
                .where(r.c.part_key.in_(found[at : at + KEY_CHUNK]))
            )  # fmt: skip
            sightings += [
                Sighting(*row[:8], similarity=scored[row[8]][0], why=scored[row[8]][1])
                for row in conn.execute(query)
            ]
    sightings.sort(key=lambda s: (-s.similarity, s.incident_date or date.min, s.item))
    return sightings


def _candidates_statement(postgres: bool) -> CompoundSelect[Any]:
    """Stored keys reached by the probes, and stored keys that are a prefix of a query key.

    Built once per dialect with the lists as parameters: building the IN lists anew for each
    look-up cost more than running it. Both halves read only the primary-key index of
    ``part_key_variants`` (a key is filed under itself, so ``variant = part_key`` rows list the
    stored keys).
    """
    v = tables.part_key_variants
    reached = select(v.c.part_key).where(in_bound_list(v.c.variant, "probes", postgres=postgres))
    shorter = select(v.c.part_key).where(
        in_bound_list(v.c.variant, "prefixes", postgres=postgres), v.c.part_key == v.c.variant
    )
    return union(reached, shorter)


_CANDIDATES = {postgres: _candidates_statement(postgres) for postgres in (False, True)}


def matching_keys(
    conn: Connection, keys: list[str], *, min_similarity: float = 88.0
) -> dict[str, tuple[float, str]]:
    """Stored part keys alike enough to any of ``keys``, with their best (similarity, why)."""
    wanted = sorted(set().union(*(probes(k) for k in keys)))
    shorter = sorted({k[:n] for k in keys for n in range(1, len(k))} or {""})
    statement = _CANDIDATES[is_postgres(conn)]
    rows = conn.execute(statement, {"probes": wanted, "prefixes": shorter}).scalars()
    candidates = list(dict.fromkeys(rows))
    # A candidate reaches the threshold by _similarity only when it is the same key, an
    # ordering-suffix variant, or alike enough by fuzz.ratio; rapidfuzz finds the last kind for
    # all candidates at once, so _similarity runs on the few that can pass.
    passing = {
        c for c in candidates for k in keys if len(k) >= 6 and (c.startswith(k) or k.startswith(c))
    }
    passing.update(keys)
    for k in keys:
        found = process.extract(
            k, candidates, scorer=fuzz.ratio, score_cutoff=min_similarity, limit=None
        )
        passing.update(choice for choice, _score, _index in found)
    scored: dict[str, tuple[float, str]] = {}
    for candidate in passing.intersection(candidates):
        best = max(_similarity(k, candidate) for k in keys)
        if best[0] >= min_similarity:
            scored[candidate] = best
    return scored


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
