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
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence

import numpy as np

from armtrace.screening.normalise import FoldedName, fold_name, skeleton, translit_fold

MAX_POSTINGS = 20_000
DEFAULT_CANDIDATES = 10


def name_keys(name: FoldedName) -> set[str]:
    """The blocking keys of one folded name."""
    words = name.distinctive or name.tokens
    keys = {translit_fold(w) for w in words}
    keys.update("~" + s for s in map(skeleton, words) if len(s) >= 3)
    if len(words) > 1:
        keys.add(translit_fold("".join(words)))
    if name.had_han:
        for size in (2, 3, 4):
            for start in range(len(words) - size + 1):
                keys.add(translit_fold("".join(words[start : start + size])))
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
        key_counts = array("H")
        name_start = array("q", [0])
        key_hashes = array("q")
        name_ids = array("i")
        for entity, (names, identifiers) in enumerate(entries):
            first = len(self.folded)
            for name in names:
                folded = fold_name(name)
                if not folded.tokens:
                    continue
                name_id = len(self.folded)
                self.folded.append(folded)
                owners.append(entity)
                keys = name_keys(folded)
                key_counts.append(min(len(keys), 65535))
                for key in keys:
                    key_hashes.append(hash(key))
                    name_ids.append(name_id)
            if len(self.folded) > first:  # identifiers point at the entity's first name
                for identifier in identifiers:
                    key_hashes.append(hash(identifier_key(identifier)))
                    name_ids.append(first)
            name_start.append(len(self.folded))
        self.name_start = np.frombuffer(name_start, dtype=np.int64).copy()
        self.owner = np.frombuffer(owners, dtype=np.int32).copy()
        self.key_norm = np.sqrt(np.frombuffer(key_counts, dtype=np.uint16).astype(np.float32) + 1)
        hashes = np.frombuffer(key_hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        self.postings = np.frombuffer(name_ids, dtype=np.int32)[order].copy()
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
        keys = set().union(*(name_keys(n) for n in names)) if names else set()
        keys.update(identifier_key(i) for i in identifiers)
        if not keys or not len(self.keys):
            return []
        hashes = np.fromiter((hash(k) for k in keys), dtype=np.int64, count=len(keys))
        where = np.searchsorted(self.keys, hashes)
        where = np.minimum(where, len(self.keys) - 1)
        found = where[self.keys[where] == hashes]
        if not len(found):
            return []
        lengths = self.starts[found + 1] - self.starts[found]
        usable = lengths <= MAX_POSTINGS
        if usable.any():
            found, lengths = found[usable], lengths[usable]
        slices = [self.postings[self.starts[k] : self.starts[k + 1]] for k in found]
        ids = np.concatenate(slices)
        weights = np.repeat([math.log(self.size / n) + 1.0 for n in lengths], lengths)
        unique_ids, inverse = np.unique(ids, return_inverse=True)
        # Shared rarity over the name's own key count: a name made of exactly the query's words
        # outranks a longer name that merely contains them.
        sums = np.bincount(inverse, weights=weights) / self.key_norm[unique_ids]
        return self._by_entity(unique_ids, sums, limit)

    def _by_entity(self, name_ids: np.ndarray, sums: np.ndarray, limit: int) -> list[int]:
        entities = self.owner[name_ids]
        # An entity ranks by the best of its names' sums.
        order = np.lexsort((-sums, entities))
        entities, sums = entities[order], sums[order]
        first = np.ones(len(entities), dtype=bool)
        first[1:] = entities[1:] != entities[:-1]
        best = np.argsort(-sums[first], kind="stable")[:limit]
        return [int(e) for e in entities[first][best]]

    def names_of(self, entity: int) -> list[FoldedName]:
        """The folded names of one entity (they are stored contiguously)."""
        return self.folded[self.name_start[entity] : self.name_start[entity + 1]]
