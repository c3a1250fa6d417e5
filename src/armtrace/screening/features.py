"""Named features of a party-versus-listed-entity comparison, each a value and a sentence.

Invariants (in the manner of nomenklatura's logic_v1):
- Each feature returns a value in [0, 1]; its weight (negative for penalties) is fixed here, and
  the score is the clipped weighted sum, so every point of a score can be traced to a sentence.
- Name features compare folded names (see ``normalise``): legal forms never count, generic
  words count little, and a name of generic words only is penalised because "Electronics
  Trading Co., Limited" names no company in particular.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from armtrace.screening.model import FeatureResult
from armtrace.screening.normalise import FoldedName, translit_fold

WEIGHTS: dict[str, float] = {
    "name_similarity": 0.35,
    "distinctive_similarity": 0.55,
    "token_overlap": 0.10,
    "generic_name_only": -0.35,
    "country_match": 0.05,
    "country_mismatch": -0.20,
    "identifier_match": 0.60,
}
GENERIC_TOKEN_WEIGHT = 0.25
# Countries that are one another's usual registration places for the same business.
RELATED_COUNTRIES = {frozenset({"HK", "CN"}), frozenset({"MO", "CN"}), frozenset({"HK", "MO"})}


@dataclass(frozen=True, slots=True)
class NameScores:
    """The three name features for one pair of folded names."""

    name: float
    distinctive: float
    overlap: float
    generic_only: bool

    @property
    def combined(self) -> float:
        """The names' share of the score, used to pick the best pair of names."""
        total = (
            WEIGHTS["name_similarity"] * self.name
            + WEIGHTS["distinctive_similarity"] * self.distinctive
            + WEIGHTS["token_overlap"] * self.overlap
        )
        return total + (WEIGHTS["generic_name_only"] if self.generic_only else 0.0)


def allowed_edits(length: int) -> int:
    """Spelling differences tolerated in a distinctive name of this length."""
    if length <= 8:
        return 0
    if length <= 16:
        return 1
    if length <= 24:
        return 2
    return length // 10


@dataclass(frozen=True, slots=True)
class NameForms:
    """The spellings of one folded name that the name features compare, worked out once.

    Screening compares each party name with every candidate's names; preparing each side once
    instead of once per pair halves the work. ``compact`` and ``sorted_compact`` are the
    distinctive words (all words when none is distinctive) run together, in order and sorted,
    with romanisation variants folded (``translit_fold``); ``words`` and ``distinctive_words``
    are the folded words.
    """

    name: FoldedName
    text: str
    joined: str
    compact: str
    sorted_compact: str
    words: frozenset[str]
    distinctive_words: frozenset[str]


def name_forms(name: FoldedName) -> NameForms:
    """The compared spellings of one folded name."""
    distinctive = name.distinctive
    compact = translit_fold(name.compact)
    in_order = "".join(distinctive)
    ordered = "".join(sorted(distinctive))
    return NameForms(
        name=name,
        text=name.text,
        joined="".join(name.tokens),
        compact=compact,
        sorted_compact=compact if ordered == in_order else translit_fold(ordered),
        words=frozenset(map(translit_fold, name.tokens)),
        distinctive_words=frozenset(map(translit_fold, distinctive)),
    )


def _edit_similarity(left: str, right: str) -> float:
    edits = Levenshtein.distance(left, right)
    longest = max(len(left), len(right))
    value = 1.0 - edits / longest
    if edits > allowed_edits(longest):
        value *= 0.6
    return value


def _distinctive_similarity(a: NameForms, b: NameForms) -> float:
    if not a.name.distinctive or not b.name.distinctive:
        return 0.0
    return max(
        0.0,
        _edit_similarity(a.compact, b.compact),
        _edit_similarity(a.sorted_compact, b.sorted_compact),
    )


def distinctive_similarity(a: FoldedName, b: FoldedName) -> float:
    """Edit similarity of the distinctive words, in order or sorted, strict for short names.

    Spellings are first folded (``translit_fold``) so romanisation variants cost nothing.
    """
    return _distinctive_similarity(name_forms(a), name_forms(b))


def _weight(words: frozenset[str], distinctive: frozenset[str]) -> float:
    """Distinctive words count 1, generic ones a quarter (exact in floating point)."""
    shared = len(words & distinctive)
    return shared + GENERIC_TOKEN_WEIGHT * (len(words) - shared)


def _token_overlap(a: NameForms, b: NameForms) -> float:
    distinctive = a.distinctive_words | b.distinctive_words
    total = _weight(a.words, distinctive) + _weight(b.words, distinctive)
    return 2 * _weight(a.words & b.words, distinctive) / total if total else 0.0


def token_overlap(a: FoldedName, b: FoldedName) -> float:
    """Dice overlap of the words, generic words counting a quarter."""
    return _token_overlap(name_forms(a), name_forms(b))


def compare_forms(a: NameForms, b: NameForms) -> NameScores:
    """All name features for one pair of prepared names."""
    name = max(
        fuzz.ratio(a.text, b.text),
        fuzz.token_sort_ratio(a.text, b.text),
        fuzz.ratio(a.joined, b.joined),
    )
    return NameScores(
        name=name / 100.0,
        distinctive=_distinctive_similarity(a, b),
        overlap=_token_overlap(a, b),
        generic_only=not a.name.distinctive or not b.name.distinctive,
    )


def compare_names(a: FoldedName, b: FoldedName) -> NameScores:
    """All name features for one pair."""
    return compare_forms(name_forms(a), name_forms(b))


def best_pair(
    party: Sequence[FoldedName], listed: Sequence[FoldedName]
) -> tuple[FoldedName, FoldedName, NameScores]:
    """The pair of names (one per side) that resemble each other most."""
    mine, theirs, scores = best_forms(list(map(name_forms, party)), list(map(name_forms, listed)))
    return mine.name, theirs.name, scores


def best_forms(
    party: Sequence[NameForms], listed: Sequence[NameForms]
) -> tuple[NameForms, NameForms, NameScores]:
    """``best_pair`` on prepared names."""
    best: tuple[NameForms, NameForms, NameScores] | None = None
    best_combined = 0.0
    for a in party:
        for b in listed:
            scores = compare_forms(a, b)
            combined = scores.combined
            if best is None or combined > best_combined:
                best, best_combined = (a, b, scores), combined
    if best is None:
        raise ValueError("best_pair needs at least one name on each side")
    return best


def name_features(a: FoldedName, b: FoldedName, scores: NameScores) -> list[FeatureResult]:
    """The name features with their sentences."""
    shown = f"'{a.original}' and '{b.original}'"
    folded = f"(compared as '{a.text}' / '{b.text}')"
    results = [
        FeatureResult(
            "name_similarity",
            scores.name,
            WEIGHTS["name_similarity"],
            f"names {shown} are {scores.name:.0%} similar {folded}",
        ),
        FeatureResult(
            "distinctive_similarity",
            scores.distinctive,
            WEIGHTS["distinctive_similarity"],
            f"distinctive words '{' '.join(a.distinctive)}' / '{' '.join(b.distinctive)}' "
            f"are {scores.distinctive:.0%} similar",
        ),
        FeatureResult(
            "token_overlap",
            scores.overlap,
            WEIGHTS["token_overlap"],
            f"{scores.overlap:.0%} of the words are shared",
        ),
    ]
    if scores.generic_only:
        results.append(
            FeatureResult(
                "generic_name_only",
                1.0,
                WEIGHTS["generic_name_only"],
                "one name has only generic words (trading, electronics, places), which name "
                "no company in particular",
            )
        )
    return results


def country_features(party: str | None, listed: Sequence[str]) -> list[FeatureResult]:
    """Country match (small bonus) or mismatch (penalty); nothing when either is unknown."""
    if not party or not listed:
        unknown = "party's country" if not party else "listed entity's country"
        return [FeatureResult("country_match", 0.0, WEIGHTS["country_match"], f"{unknown} unknown")]
    code = party.upper()
    if code in listed:
        return [FeatureResult("country_match", 1.0, WEIGHTS["country_match"], f"both in {code}")]
    if any(frozenset({code, other}) in RELATED_COUNTRIES for other in listed):
        detail = f"party in {code}, listed in {', '.join(listed)} (related places: no penalty)"
        return [FeatureResult("country_mismatch", 0.0, WEIGHTS["country_mismatch"], detail)]
    detail = f"party in {code}, listed entity in {', '.join(listed)}"
    return [FeatureResult("country_mismatch", 1.0, WEIGHTS["country_mismatch"], detail)]


def _identifier_value(identifier: str) -> str:
    value = identifier.split(":", 1)[-1]
    return "".join(c for c in value.upper() if c.isalnum())


def identifier_features(party: Sequence[str], listed: Sequence[str]) -> list[FeatureResult]:
    """A shared identifier (registration, tax, INN, OGRN... number) is strong evidence."""
    if not party or not listed:
        return []
    mine = {_identifier_value(i) for i in party}
    shared = [i for i in listed if _identifier_value(i) in mine]
    if shared:
        detail = f"identifier {shared[0]} is the same on both"
        return [FeatureResult("identifier_match", 1.0, WEIGHTS["identifier_match"], detail)]
    detail = "identifiers given on both sides differ"
    return [FeatureResult("identifier_match", 0.0, WEIGHTS["identifier_match"], detail)]


def total(features: Sequence[FeatureResult]) -> float:
    """The weighted sum, clipped to [0, 1]."""
    return min(1.0, max(0.0, sum(f.score * f.weight for f in features)))
