"""A blocking index over listed names: which entities are worth scoring for a party.

Invariants:
- Keys of a folded name: each distinctive word, its consonant skeleton (survives romanisation
  variants), the distinctive words run together, and for names written in Chinese characters
  runs of 2 to 4 syllables (so "北极星" finds "Beijixing" and the reverse). Names made of generic
  words only are keyed by those words.
- Keys are hashed to 64-bit integers and the postings kept in numpy arrays (CSR), so a million
  entities fit in a few hundred MB; hashes are only compared within one process.
- Candidates are ranked by the summed rarity (IDF) of shared keys over the square root of the
  name's key count; keys shared by more than
  ``MAX_POSTINGS`` names are skipped unless a name has no other key. Blocking can miss a true
  match whose every key differs; the quality test set measures that.
- Candidates of many parties are looked up together (``candidates_many``, a few array operations
  per batch) with, per party, the same arithmetic as alone: batching never changes a ranking.
- Building the index computes each distinct word's keys once (``_KeyHasher``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence

import numpy as np

from armtrace.screening.bulk import collector_paused
from armtrace.screening.normalise import (
    FoldedName,
    fold_name,
    fold_spelling,
    skeleton,
)

MAX_POSTINGS = 20_000
DEFAULT_CANDIDATES = 10
MAX_BATCH = 32_767


def word_keys(word: str) -> tuple[str, ...]:
    """The keys one word gives: its folded spelling and, when long enough, its skeleton."""
    folded = fold_spelling(word)
    shape = skeleton(word, folded)
    return (folded, "~" + shape) if len(shape) >= 3 else (folded,)


def _phrase_keys(words: Sequence[str], had_han: bool) -> list[str]:
    """The keys of word runs: all words together, and 2 to 4 syllables of a Chinese name."""
    keys = [fold_spelling("".join(words))] if len(words) > 1 else []
    if had_han:
        for size in (2, 3, 4):
            for start in range(len(words) - size + 1):
                keys.append(fold_spelling("".join(words[start : start + size])))
    return keys


def name_keys(name: FoldedName) -> set[str]:
    """The blocking keys of one folded name."""
    words = name.distinctive or name.tokens
    keys = {key for word in words for key in word_keys(word)}
    keys.update(_phrase_keys(words, name.had_han))
    return keys


class _KeyHasher:
    """``hash`` of each of ``name_keys``, with each distinct word's keys worked out only once.

    Building the index for a million names repeats the same words hundreds of thousands of
    times; the cache lives as long as one build.
    """

    def __init__(self) -> None:
        self._words: dict[str, tuple[int, ...]] = {}

    def __call__(self, name: FoldedName) -> set[int]:
        words = name.distinctive or name.tokens
        cache = self._words
        keys: set[int] = set()
        for word in words:
            found = cache.get(word)
            if found is None:
                found = cache[word] = tuple(map(hash, word_keys(word)))
            keys.update(found)
        keys.update(map(hash, _phrase_keys(words, name.had_han)))
        return keys


def identifier_key(identifier: str) -> str:
    """The key of an identifier, whatever property it came from: "#" and its letters and digits."""
    value = identifier.split(":", 1)[-1]
    return "#" + "".join(c for c in value.upper() if c.isalnum())


class NameIndex:
    """Folded names of listed entities, and the postings from key to name."""

    def __init__(self, entries: Iterable[tuple[Sequence[str], Sequence[str]]]) -> None:
        """Index (names, identifiers) per entity; entity numbers follow the iteration order."""
        self.folded: list[FoldedName] = []
        owners = array("i")
        key_counts = array("i")
        name_start = array("q", [0])
        key_hashes = array("q")
        id_hashes = array("q")  # identifier keys, and the entity's first name they point at
        id_names = array("i")
        hasher = _KeyHasher()
        with collector_paused():  # millions of small acyclic objects: see ``bulk``
            for entity, (names, identifiers) in enumerate(entries):
                first = len(self.folded)
                for name in names:
                    folded = fold_name(name)
                    if not folded.tokens:
                        continue
                    self.folded.append(folded)
                    owners.append(entity)
                    keys = hasher(folded)
                    key_counts.append(len(keys))
                    key_hashes.extend(keys)
                if len(self.folded) > first:  # identifiers point at the entity's first name
                    for identifier in identifiers:
                        id_hashes.append(hash(identifier_key(identifier)))
                        id_names.append(first)
                name_start.append(len(self.folded))
        del hasher
        counts = np.frombuffer(key_counts, dtype=np.int32)
        self.name_start = np.frombuffer(name_start, dtype=np.int64).copy()
        self.owner = np.frombuffer(owners, dtype=np.int32).copy()
        self.key_norm = np.sqrt(np.minimum(counts, 65535).astype(np.float32) + 1)
        hashes = np.concatenate(
            [np.frombuffer(key_hashes, dtype=np.int64), np.frombuffer(id_hashes, dtype=np.int64)]
        )
        name_ids = np.concatenate(
            [
                np.repeat(np.arange(len(counts), dtype=np.int32), counts),
                np.frombuffer(id_names, dtype=np.int32),
            ]
        )
        del key_hashes, id_hashes
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        self.postings = name_ids[order]
        self.keys, starts = np.unique(sorted_hashes, return_index=True)
        self.starts = np.append(starts, len(sorted_hashes)).astype(np.int64)
        self.size = max(len(self.folded), 1)

    def __len__(self) -> int:
        return len(self.folded)

    def candidates(
        self,
        names: Sequence[FoldedName],
        identifiers: Sequence[str] = (),
        limit: int = DEFAULT_CANDIDATES,
    ) -> list[int]:
        """Up to ``limit`` entity numbers, best first."""
        return self.candidates_many([(names, identifiers)], limit)[0]

    def candidates_many(
        self,
        queries: Sequence[tuple[Sequence[FoldedName], Sequence[str]]],
        limit: int = DEFAULT_CANDIDATES,
    ) -> list[list[int]]:
        """``candidates`` for many (names, identifiers) at once, in a few array operations.

        At most ``MAX_BATCH`` queries at a time (query numbers are sorted as 16-bit integers).

        Per query the arithmetic is the same as for one query alone (same keys, same order of
        summation), so the ranking does not depend on which queries are batched together.
        """
        if len(queries) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} queries at a time")
        hashes: list[int] = []
        query_of: list[int] = []
        for number, (names, identifiers) in enumerate(queries):
            keys = set().union(*(name_keys(n) for n in names)) if names else set()
            keys.update(identifier_key(i) for i in identifiers)
            hashes.extend(map(hash, keys))
            query_of.extend([number] * len(keys))
        found: list[list[int]] = [[] for _ in queries]
        if not hashes or not len(self.keys):
            return found
        wanted = np.array(hashes, dtype=np.int64)
        where = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = self.keys[where] == wanted
        keys, owners = where[hit], np.array(query_of, dtype=np.int64)[hit]
        lengths = self.starts[keys + 1] - self.starts[keys]
        # Keys shared by too many names are skipped, unless a query has no other key.
        usable = lengths <= MAX_POSTINGS
        some_usable = np.bincount(owners, weights=usable, minlength=len(queries)) > 0
        kept = usable | ~some_usable[owners]
        keys, owners, lengths = keys[kept], owners[kept], lengths[kept]
        if not len(keys):
            return found
        # math.log, not np.log: the same rarity to the last bit as for a query alone.
        rarity = [math.log(self.size / n) + 1.0 for n in lengths.tolist()]
        ends = np.cumsum(lengths)
        positions = np.arange(ends[-1]) + np.repeat(self.starts[keys] - (ends - lengths), lengths)
        pairs = (np.repeat(owners, lengths) << 32) | self.postings[positions]
        unique_pairs, inverse = np.unique(pairs, return_inverse=True)
        name_ids = unique_pairs & 0xFFFFFFFF
        # Shared rarity over the name's own key count: a name made of exactly the query's words
        # outranks a longer name that merely contains them.
        sums = np.bincount(inverse, weights=np.repeat(rarity, lengths)) / self.key_norm[name_ids]
        self._rank(unique_pairs >> 32, self.owner[name_ids], sums, limit, found)
        return found

    @staticmethod
    def _rank(
        queries: np.ndarray,
        entities: np.ndarray,
        sums: np.ndarray,
        limit: int,
        found: list[list[int]],
    ) -> None:
        # Pairs come sorted by query then name, and names are numbered entity by entity, so
        # each (query, entity) is one run; an entity ranks by the best of its names' sums,
        # ties by entity number.
        change = np.ones(len(entities), dtype=bool)
        change[1:] = (entities[1:] != entities[:-1]) | (queries[1:] != queries[:-1])
        starts = np.flatnonzero(change)
        best = np.maximum.reduceat(sums, starts)
        query, entity = queries[starts], entities[starts]
        # Sorted by query, then best first, then entity: two stable sorts (the second a radix
        # sort on small integers) are several times faster than a three-key lexsort.
        by_best = np.argsort(-best, kind="stable")
        order = by_best[np.argsort(query[by_best].astype(np.int16), kind="stable")]
        query, entity = query[order], entity[order]
        first = np.searchsorted(query, query)  # where each query's run begins
        top = np.arange(len(query)) - first < limit
        for number, chosen in zip(query[top].tolist(), entity[top].tolist(), strict=True):
            found[number].append(chosen)

    def name_numbers(self, entity: int) -> range:
        """The numbers of one entity's names (they are stored contiguously)."""
        return range(int(self.name_start[entity]), int(self.name_start[entity + 1]))

    def names_of(self, entity: int) -> list[FoldedName]:
        """The folded names of one entity."""
        numbers = self.name_numbers(entity)
        return self.folded[numbers.start : numbers.stop]
