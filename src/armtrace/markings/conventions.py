"""Maker evidence beyond part-number prefixes: ordering-code suffixes, family names, misspelt names.

Investigators often copy a marking whose part number carries no maker prefix ("10F202 I/P",
"8231 ACPZ") or describe the part by its family ("ATmega microcontroller", "OptiMOS 3 MOSFET")
or with the maker's name misspelt. The conventions and family names come from the maker's own
documents, listed per record in ``refdata/data/marking_conventions.yaml``.

Invariants:
- Every convention and family name carries at least one source; the loader refuses one without.
- Each feature returns ``Evidence`` like ``features`` does; a misspelt name is reported under the
  feature "name", so it never adds to an exactly written name of the same maker.
- Misspellings are matched strictly (one edit in a short word, two in a long one, same first
  letter, and one maker only); anything looser names the wrong maker too often.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from rapidfuzz.distance import OSA

from armtrace.errors import NotFound, ReferenceDataError
from armtrace.markings.features import GENERIC_NAMES, Evidence
from armtrace.markings.memo import per_context
from armtrace.markings.parse import ParsedMarking
from armtrace.refdata.manufacturers import Registry
from armtrace.refdata.names import compact_company_name

DATA = Path(__file__).resolve().parents[1] / "refdata" / "data" / "marking_conventions.yaml"

# A registry prefix typed as a word on its own ("ATmega") names the maker's family; shorter
# all-letter prefixes are too often words or abbreviations ("VIPER").
FAMILY_PREFIX_MIN = 6
FAMILY_STRENGTH = 0.8
# A misspelt name says less than a correctly written one (0.9 in ``features.name_evidence``).
FUZZY_NAME_STRENGTH = 0.6
FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class SuffixConvention:
    """A maker's ordering-code suffix after a part-number stem."""

    id: str
    maker_id: str
    stem: re.Pattern[str]
    suffix: re.Pattern[str]
    glued: re.Pattern[str]  # stem, an optional hyphen and the suffix in one token
    strength: float
    explains: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Family:
    """A product-family trademark of one maker."""

    name: str
    maker_id: str
    pattern: re.Pattern[str]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Conventions:
    suffixes: tuple[SuffixConvention, ...]
    families: tuple[Family, ...]


def _sources(record: dict[str, object], where: str) -> tuple[str, ...]:
    raw = record.get("sources")
    if not isinstance(raw, list) or not raw:
        raise ReferenceDataError(f"{where}: needs at least one source")
    urls = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("url", "")).startswith("http"):
            raise ReferenceDataError(f"{where}: each source needs a url")
        if not item.get("supports"):
            raise ReferenceDataError(f"{where}: each source must say what it supports")
        urls.append(str(item["url"]))
    return tuple(urls)


def _suffix(record: dict[str, object]) -> SuffixConvention:
    where = f"suffix convention {record.get('id')!r}"
    try:
        stem, suffix = str(record["stem"]), str(record["suffix"])
        strength = float(str(record["strength"]))
        convention = SuffixConvention(
            id=str(record["id"]),
            maker_id=str(record["maker"]),
            stem=re.compile(stem),
            suffix=re.compile(suffix),
            glued=re.compile(f"({stem})-?({suffix})"),
            strength=strength,
            explains=" ".join(str(record["explains"]).split()),
            sources=_sources(record, where),
        )
    except (KeyError, ValueError, re.error) as exc:
        raise ReferenceDataError(f"{where}: {exc}") from None
    if not 0.0 < strength < 1.0:
        raise ReferenceDataError(f"{where}: strength must be between 0 and 1")
    return convention


def _family(record: dict[str, object]) -> Family:
    where = f"family {record.get('name')!r}"
    try:
        name, maker_id = str(record["name"]), str(record["maker"])
    except KeyError as exc:
        raise ReferenceDataError(f"{where}: missing {exc}") from None
    # The name, optionally followed by its generation or series number ("OptiMOS3", "Zynq-7000").
    pattern = re.compile(rf"{re.escape(name.upper())}(?:-?\d{{1,4}})?")
    return Family(name, maker_id, pattern, _sources(record, where))


def load_conventions(path: Path = DATA) -> Conventions:
    """Read and validate the conventions file; raises ``ReferenceDataError`` on a bad record."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path.name}: expected a mapping")
    suffixes = tuple(_suffix(r) for r in data.get("suffixes") or ())
    families = tuple(_family(r) for r in data.get("families") or ())
    return Conventions(suffixes, families)


@cache
def _bundled() -> Conventions:
    return load_conventions()


def _known(registry: Registry, maker_id: str) -> bool:
    # A test registry may lack the maker a convention names; the convention then says nothing.
    try:
        registry.get(maker_id)
    except NotFound:
        return False
    return True


def _screen(patterns: list[str]) -> re.Pattern[str]:
    """One pattern that fullmatches every word any of ``patterns`` fullmatches (maybe more).

    Most tokens match no convention; one merged match rules them out before the rules are tried.
    """
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")
    except re.error:  # a pattern that cannot be merged (an inline global flag): screen nothing
        return re.compile(r"(?s:.*)")


def _suffix_screen(conventions: Conventions) -> re.Pattern[str]:
    return _screen(
        [f"(?:{r.stem.pattern})-?(?:{r.suffix.pattern})" for r in conventions.suffixes]
        + [r.suffix.pattern for r in conventions.suffixes]
    )


def _family_screen(conventions: Conventions) -> re.Pattern[str]:
    return _screen([f.pattern.pattern for f in conventions.families])


@cache
def _bundled_screens() -> tuple[re.Pattern[str], re.Pattern[str]]:
    bundled = _bundled()
    return _suffix_screen(bundled), _family_screen(bundled)


def suffix_evidence(
    parsed: ParsedMarking, registry: Registry, conventions: Conventions | None = None
) -> list[Evidence]:
    """Part numbers followed by a maker's ordering-code suffix, glued or as the next token."""
    screen = _bundled_screens()[0] if conventions is None else None
    conventions = conventions or _bundled()
    screen = screen or _suffix_screen(conventions)
    words = [(t.text.upper(), t.kind) for t in parsed.tokens]
    # A convention of a maker the registry lacks says nothing; asked once per marking, not word.
    rules = [rule for rule in conventions.suffixes if _known(registry, rule.maker_id)]
    found: dict[str, Evidence] = {}
    for i, (word, kind) in enumerate(words):
        if kind == "description" or not screen.fullmatch(word):
            continue
        for rule in rules:
            if rule.maker_id in found:
                continue
            printed: str | None = None
            glued = rule.glued.fullmatch(word)
            if glued:
                printed = f"{glued.group(1)}-{glued.group(2)}"
            elif i > 0 and rule.suffix.fullmatch(word):
                before, before_kind = words[i - 1]
                if before_kind != "description" and rule.stem.fullmatch(before):
                    printed = f"{before} {word}"
            if printed:
                found[rule.maker_id] = Evidence(
                    "convention",
                    rule.maker_id,
                    rule.strength,
                    f"{printed!r} has the form of a {registry.get(rule.maker_id).short} "
                    f"ordering code: {rule.explains}",
                )
    return list(found.values())


@lru_cache(maxsize=4)
def _family_prefixes(registry: Registry) -> dict[str, str]:
    """All-letter registry prefixes long enough to be read as a family name, to their maker."""
    owners: dict[str, set[str]] = {}
    for maker in registry:
        for prefix in maker.prefixes:
            if prefix.isalpha() and len(prefix) >= FAMILY_PREFIX_MIN:
                owners.setdefault(prefix, set()).add(maker.id)
    return {p: next(iter(ids)) for p, ids in owners.items() if len(ids) == 1}


def family_evidence(
    parsed: ParsedMarking, registry: Registry, conventions: Conventions | None = None
) -> list[Evidence]:
    """A maker's product-family name written as a word of its own (not as a part number)."""
    screen = _bundled_screens()[1] if conventions is None else None
    conventions = conventions or _bundled()
    screen = screen or _family_screen(conventions)
    prefixes = _family_prefixes(registry)
    parts = set(parsed.part_candidates)
    found: dict[str, Evidence] = {}
    families: list[Family] | None = None  # those of makers the registry has, once needed
    for token in parsed.tokens:
        word = token.text.upper()
        if word in parts:
            continue  # a part number: prefix evidence already speaks for it
        maker_id = prefixes.get(word)
        if maker_id is not None and maker_id not in found:
            found[maker_id] = Evidence(
                "family",
                maker_id,
                FAMILY_STRENGTH,
                f"{token.text!r} is the name of {registry.get(maker_id).short}'s {word} family",
            )
        if not screen.fullmatch(word):
            continue
        if families is None:
            families = [f for f in conventions.families if _known(registry, f.maker_id)]
        for family in families:
            if family.maker_id in found:
                continue
            if family.pattern.fullmatch(word):
                found[family.maker_id] = Evidence(
                    "family",
                    family.maker_id,
                    FAMILY_STRENGTH,
                    f"{token.text!r} is {registry.get(family.maker_id).short}'s "
                    f"{family.name} family",
                )
    return list(found.values())


@lru_cache(maxsize=4)
def _name_words(registry: Registry) -> dict[str, frozenset[str]]:
    """One-word name keys (name, short name, aliases) of at least six letters, to their makers."""
    words: dict[str, set[str]] = {}
    for maker in registry:
        for text in (maker.name, maker.short, *maker.aliases):
            key = compact_company_name(text)
            if key.isalpha() and len(key) >= FUZZY_MIN_LENGTH and key.upper() not in GENERIC_NAMES:
                words.setdefault(key, set()).add(maker.id)
    return {key: frozenset(ids) for key, ids in words.items()}


@per_context(maxsize=65536)  # per registry: no key tuple for the garbage collector to walk
def misspelt_maker(registry: Registry, word: str) -> str | None:
    """The one maker whose one-word name ``word`` is a close misspelling of, else None."""
    if not word.isascii():
        return None  # a Cyrillic word is a description; a name in Cyrillic resolves exactly
    key = compact_company_name(word)
    if not key.isalpha() or len(key) < FUZZY_MIN_LENGTH or key.upper() in GENERIC_NAMES:
        return None
    names = _name_words(registry)
    if key in names:
        return None  # written correctly: ``name_evidence`` answers that
    allowed = 1 if len(key) < 9 else 2
    makers: set[str] = set()
    for name, ids in names.items():
        if name[0] != key[0] or abs(len(name) - len(key)) > allowed:
            continue
        if name.startswith(key) or key.startswith(name):
            continue  # a cut-off or inflected word ("Raspberry", "integralna"), not a typo
        if OSA.distance(key, name, score_cutoff=allowed) <= allowed:
            makers |= ids
    return next(iter(makers)) if len(makers) == 1 else None


def fuzzy_name_evidence(parsed: ParsedMarking, registry: Registry) -> list[Evidence]:
    """A maker's name written with a typo or an OCR slip ("Infineom", "Microchlp")."""
    found: dict[str, Evidence] = {}
    for token in parsed.tokens:
        if token.kind not in ("description", "other", "logo"):
            continue
        maker_id = misspelt_maker(registry, token.text)
        if maker_id is not None and maker_id not in found:
            maker = registry.get(maker_id)
            found[maker_id] = Evidence(
                "name",
                maker_id,
                FUZZY_NAME_STRENGTH,
                f"the text names {maker.short}, misspelt ({token.text!r})",
            )
    return list(found.values())


def convention_evidence(parsed: ParsedMarking, registry: Registry) -> list[Evidence]:
    """All evidence of this module, for ``identify.rank``."""
    return (
        suffix_evidence(parsed, registry)
        + family_evidence(parsed, registry)
        + fuzzy_name_evidence(parsed, registry)
    )
