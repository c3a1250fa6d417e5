"""Screening parties against listed entities: block with the index, score with the features.

Invariants:
- Pure: no store access. The same entities and party always give the same matches.
- Only candidates scoring at least ``CANDIDATE_FLOOR`` come back; ``Match.is_match`` says whether
  one reaches ``MATCH_THRESHOLD``.
"""

from __future__ import annotations

from collections.abc import Sequence

from armtrace.screening import features
from armtrace.screening.ftm import ListedEntity
from armtrace.screening.index import DEFAULT_CANDIDATES, NameIndex
from armtrace.screening.model import CANDIDATE_FLOOR, Match, Party
from armtrace.screening.normalise import fold_name


class Screener:
    """Listed entities with their blocking index, ready to screen parties."""

    def __init__(
        self, entities: Sequence[ListedEntity], versions: dict[str, str] | None = None
    ) -> None:
        self.entities = list(entities)
        self.index = NameIndex((e.names, e.identifiers) for e in self.entities)
        self.versions = versions or {}  # dataset -> sha256 of the list file

    def __len__(self) -> int:
        return len(self.entities)

    def screen(
        self,
        party: Party,
        *,
        floor: float = CANDIDATE_FLOOR,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> list[Match]:
        """Matches for one party, best first."""
        folded = [fold_name(n) for n in (party.name, *party.aliases)]
        folded = [f for f in folded if f.tokens]
        if not folded:
            return []
        found: list[Match] = []
        hits = self.index.candidates(folded, party.identifiers, limit=candidates)
        for number in hits:
            listed_names = self.index.names_of(number)
            if not listed_names:
                continue
            mine, theirs, scores = features.best_pair(folded, listed_names)
            # Cheap upper bound first: country and identifiers add at most this much.
            ceiling = scores.combined + features.WEIGHTS["country_match"]
            entity = self.entities[number]
            if ceiling < floor and not (party.identifiers and entity.identifiers):
                continue
            result = features.name_features(mine, theirs, scores)
            result += features.country_features(party.country, entity.countries)
            result += features.identifier_features(party.identifiers, entity.identifiers)
            score = features.total(result)
            if score < floor:
                continue
            found.append(
                Match(
                    party=party,
                    entity_id=entity.entity_id,
                    caption=entity.caption,
                    schema=entity.schema,
                    dataset=entity.dataset,
                    score=score,
                    features=tuple(result),
                    party_name_compared=mine.original,
                    listed_name_compared=theirs.original,
                    listed_countries=entity.countries,
                    listed_identifiers=entity.identifiers,
                    listed_since=entity.listed_since,
                    list_version=self.versions.get(entity.dataset),
                )
            )
        found.sort(key=lambda m: (-m.score, m.entity_id))
        return _one_per_entity(found)


def _one_per_entity(matches: list[Match]) -> list[Match]:
    """The same entity id in two datasets is one listed party: keep its best match."""
    seen: set[str] = set()
    kept: list[Match] = []
    for match in matches:
        if match.entity_id not in seen:
            seen.add(match.entity_id)
            kept.append(match)
    return kept
