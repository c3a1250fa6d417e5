"""Screening parties against listed entities: block with the index, score with the features.

Invariants:
- Pure: no store access. The same entities and party always give the same matches.
- Only candidates scoring at least ``CANDIDATE_FLOOR`` come back; ``Match.is_match`` says whether
  one reaches ``MATCH_THRESHOLD``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from armtrace.screening import features
from armtrace.screening.bulk import collector_paused
from armtrace.screening.ftm import ListedEntity
from armtrace.screening.index import DEFAULT_CANDIDATES, NameIndex
from armtrace.screening.model import CANDIDATE_FLOOR, Match, Party
from armtrace.screening.normalise import FoldedName, fold_name

# Listed names whose compared spellings are kept (about 200 MB at most).
FORMS_CACHED = 300_000
# Parties whose candidates are looked up together.
BATCH = 1024


class Screener:
    """Listed entities with their blocking index, ready to screen parties."""

    def __init__(
        self, entities: Sequence[ListedEntity], versions: dict[str, str] | None = None
    ) -> None:
        self.entities = list(entities)
        self.index = NameIndex((e.names, e.identifiers) for e in self.entities)
        self.versions = versions or {}  # dataset -> sha256 of the list file
        self._forms: dict[int, features.NameForms] = {}

    def __len__(self) -> int:
        return len(self.entities)

    def _forms_of(self, entity: int) -> list[features.NameForms]:
        """The compared spellings of an entity's names, kept for the candidates seen lately.

        Preparing them costs more than comparing them, and the same listed names come up for
        many parties; the cache is emptied when full so its memory stays bounded.
        """
        forms = self._forms
        found: list[features.NameForms] = []
        for number in self.index.name_numbers(entity):
            prepared = forms.get(number)
            if prepared is None:
                if len(forms) >= FORMS_CACHED:
                    forms.clear()
                prepared = forms[number] = features.name_forms(self.index.folded[number])
            found.append(prepared)
        return found

    def screen_many(
        self,
        parties: Iterable[Party],
        *,
        floor: float = CANDIDATE_FLOOR,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> list[list[Match]]:
        """``screen`` for each party, in order; identical parties are screened once.

        Candidates are looked up for a batch of parties at a time (``candidates_many``), and
        the cycle collector is paused meanwhile: screening makes no reference cycles, and its
        passes would otherwise walk the whole index again and again (see ``bulk``).
        """
        done: dict[Party, list[Match]] = {}
        with collector_paused():
            parties = list(parties)
            unique = list(dict.fromkeys(parties))
            for start in range(0, len(unique), BATCH):
                batch = unique[start : start + BATCH]
                folded = [_folded(p) for p in batch]
                hits = self.index.candidates_many(
                    [(names, p.identifiers) for names, p in zip(folded, batch, strict=True)],
                    limit=candidates,
                )
                for party, names, numbers in zip(batch, folded, hits, strict=True):
                    done[party] = self._matches(party, names, numbers, floor) if names else []
            return [list(done[p]) for p in parties]

    def screen(
        self,
        party: Party,
        *,
        floor: float = CANDIDATE_FLOOR,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> list[Match]:
        """Matches for one party, best first."""
        return self.screen_many([party], floor=floor, candidates=candidates)[0]

    def _matches(
        self, party: Party, folded: list[FoldedName], hits: list[int], floor: float
    ) -> list[Match]:
        """Score the candidates of one party; keep those reaching ``floor``, best first."""
        found: list[Match] = []
        party_forms = [features.name_forms(f) for f in folded]
        for number in hits:
            listed_forms = self._forms_of(number)
            if not listed_forms:
                continue
            best = features.best_forms(party_forms, listed_forms)
            mine, theirs, scores = best[0].name, best[1].name, best[2]
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


def _folded(party: Party) -> list[FoldedName]:
    """The party's names folded, without those that fold to nothing."""
    folded = [fold_name(n) for n in (party.name, *party.aliases)]
    return [f for f in folded if f.tokens]


def _one_per_entity(matches: list[Match]) -> list[Match]:
    """The same entity id in two datasets is one listed party: keep its best match."""
    seen: set[str] = set()
    kept: list[Match] = []
    for match in matches:
        if match.entity_id not in seen:
            seen.add(match.entity_id)
            kept.append(match)
    return kept
