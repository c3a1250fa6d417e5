"""Named evidence features for identifying a component's maker.

Each feature looks at one kind of evidence in a parsed marking and returns, per candidate maker, a
strength between 0 and 1 with a sentence saying why. Identification combines them; the sentences
reach the user unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from armtrace.markings.memo import per_context
from armtrace.markings.normalise import confusion_variants
from armtrace.markings.parse import ParsedMarking
from armtrace.refdata.manufacturers import Manufacturer, Registry
from armtrace.refdata.names import name_tokens


@dataclass(frozen=True, slots=True)
class Evidence:
    """One feature's support for one maker."""

    feature: str
    maker_id: str
    strength: float
    why: str


# Company names that are also everyday words in typed descriptions ("Microchip" is how a common
# translation renders "microcircuit"; "linear regulator"; "Schottky diodes"; "a module that
# combines"; "delta-sigma"; "via"): alone, they name no one.
GENERIC_NAMES = frozenset(
    {
        "ACTIONS", "ADVANCED", "ALLIANCE", "ANALOG", "ARROW", "CRYSTAL", "DELTA", "DEVICES",
        "DIGITAL", "DIODES", "EDGE", "ELECTRONICS", "FLEX", "FUTURE", "GENERAL", "HEXAGON",
        "INTEGRATED", "INTERNATIONAL", "LINEAR", "MICRO", "MICROCHIP", "NATIONAL", "NATIONS",
        "OPTO", "POWER", "SEMICONDUCTOR", "SENSOR", "SHARP", "SYSTEMS", "TECHNOLOGY", "THAT",
        "UNITED", "VIA", "VIKING",
    }
)  # fmt: skip

# Longer prefixes are rarer and so better evidence; a 1-letter prefix is barely any.
PREFIX_STRENGTH = {1: 0.3, 2: 0.55, 3: 0.72, 4: 0.82, 5: 0.88}


def prefix_strength(prefix: str, part: str) -> float:
    """How much a prefix match says, from its length and what follows it in the part number."""
    strength = PREFIX_STRENGTH.get(len(prefix), 0.92)
    rest = part[len(prefix) :]
    if rest[:1].isdigit() or (rest[:1] == "-" and rest[1:2].isalnum()):
        strength += 0.04  # "LTC3780": the prefix ends where the family number begins
    elif rest and len(prefix) <= 2:
        strength -= 0.12  # "ADMIN" is not an Analog Devices part
    if len(part) < 4:
        strength *= 0.6
    return min(strength, 0.97)


def prefix_evidence(parsed: ParsedMarking, registry: Registry) -> list[Evidence]:
    """Part-number prefixes of the candidates, best candidate first."""
    found: list[Evidence] = []
    for rank, part in enumerate(parsed.part_candidates[:4]):
        decay = 1.0 - 0.12 * rank
        for maker_id, short, prefix in _owner_prefixes(registry, part):
            found.append(
                Evidence(
                    "prefix",
                    maker_id,
                    prefix_strength(prefix, part) * decay,
                    f"part number {part} starts with {prefix}, a {short} prefix",
                )
            )
    return found


def corrected_prefix_evidence(parsed: ParsedMarking, registry: Registry) -> list[Evidence]:
    """Prefixes matched only after undoing common OCR confusions (0/O, 1/I, 5/S, 8/B)."""
    found: list[Evidence] = []
    for part in parsed.part_candidates[:2]:
        found.extend(_corrected_prefixes(registry, part))
    return found


# The look-ups below are pure functions of one part number or phrase and the registry; markings
# repeat both heavily, so they are cached (per registry object, which is immutable once built).
@per_context(maxsize=65536)
def _owner_prefixes(registry: Registry, part: str) -> tuple[tuple[str, str, str], ...]:
    """(maker id, maker short name, prefix) per current owner. Plain strings: a remembered entry
    then holds nothing the garbage collector has to walk."""
    return tuple(
        (maker.id, maker.short, prefix)
        for maker, prefix in _longest_per_owner(registry, registry.by_prefix(part))
    )


@lru_cache(maxsize=4)
def _prefix_starts(registry: Registry) -> frozenset[str]:
    """The first three characters of every prefix long enough to count after OCR correction."""
    return frozenset(p[:3] for maker in registry for p in maker.prefixes if len(p) >= 3)


@per_context(maxsize=65536)
def _may_start_prefix(registry: Registry, start: str) -> bool:
    """Whether some look-alike reading of a part's first characters starts a 3+ prefix."""
    return not _prefix_starts(registry).isdisjoint(confusion_variants(start, limit=64))


@per_context(maxsize=65536)
def _corrected_prefixes(registry: Registry, part: str) -> tuple[Evidence, ...]:
    if _owner_prefixes(registry, part):  # a maker's prefix as printed: nothing to correct
        return ()
    # Only prefixes of three or more characters count, so a variant can matter only when its
    # first three characters start such a prefix; most lot and date tokens have no such reading.
    if not _may_start_prefix(registry, part[:3]):
        return ()
    starts = _prefix_starts(registry)
    found: list[Evidence] = []
    for variant in sorted(confusion_variants(part, limit=32) - {part.upper()}):
        if variant[:3] not in starts:
            continue
        for maker_id, short, prefix in _owner_prefixes(registry, variant):
            if len(prefix) < 3:
                continue
            found.append(
                Evidence(
                    "prefix-ocr",
                    maker_id,
                    prefix_strength(prefix, variant) * 0.85,
                    f"read as {variant} (OCR look-alikes corrected), "
                    f"which starts with {prefix}, a {short} prefix",
                )
            )
    return tuple(found)


@per_context(maxsize=65536)
def _named_maker(registry: Registry, phrase: str) -> Manufacturer | None:
    return registry.resolve_name(phrase)


@lru_cache(maxsize=4)
def _name_key_starts(registry: Registry) -> frozenset[str]:
    """Every leading part of every key the registry finds makers by."""
    return frozenset(key[:n] for key in registry.name_keys() for n in range(1, len(key) + 1))


@per_context(maxsize=65536)
def _may_name(registry: Registry, word: str) -> bool:
    """Whether a phrase holding this word can name a maker at all.

    A name key is a run of a phrase's name words, so it starts with one of them; an ASCII word
    splits into the same name words inside a phrase as alone. Part numbers and lot codes start
    no key, which spares most phrases the full name normalisation.
    """
    if not word.isascii():
        return True  # transliteration and CJK legal forms work on the phrase as a whole
    starts = _name_key_starts(registry)
    return any(token in starts for token in name_tokens(word))


def logo_evidence(parsed: ParsedMarking, registry: Registry) -> list[Evidence]:
    """A maker's logo text printed on the part."""
    if not parsed.logo_text:
        return []
    makers = registry.by_logo(parsed.logo_text)
    return [
        Evidence(
            "logo",
            m.id,
            0.8 / len(makers),
            f"logo text {parsed.logo_text!r} is the logo of {m.short}",
        )
        for m in makers
    ]


def name_evidence(parsed: ParsedMarking, registry: Registry) -> list[Evidence]:
    """A maker's name written into the text (investigators often type it)."""
    words = [t.text for t in parsed.tokens]
    found: list[Evidence] = []
    seen: set[str] = set()
    starts = _name_key_starts(registry)
    may_name = [
        # A plain ASCII letters-and-digits word is its own single name word, lower-cased.
        word.lower() in starts if word.isalnum() and word.isascii() else _may_name(registry, word)
        for word in words
    ]
    if not any(may_name):
        return found
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            if not any(may_name[i : i + size]):
                continue  # no name key starts inside this phrase: it names no maker
            phrase = " ".join(words[i : i + size])
            if len(phrase) < 3 or phrase.isdigit() or phrase.upper() in GENERIC_NAMES:
                continue
            maker = _named_maker(registry, phrase)
            if maker and maker.id not in seen:
                seen.add(maker.id)
                found.append(
                    Evidence("name", maker.id, 0.9, f"the text names {maker.short} ({phrase!r})")
                )
    return found


def _longest_per_owner(
    registry: Registry, matches: Iterable[tuple[Manufacturer, str]]
) -> list[tuple[Manufacturer, str]]:
    # Prefixes arrive longest first. A brand and its owner often both list a prefix ("DS" for
    # Dallas and Maxim); the longest, most specific match per current owner is the evidence.
    best: dict[str, tuple[Manufacturer, str]] = {}
    for maker, prefix in matches:
        owner = registry.current_owner(maker.id).id
        if owner not in best or len(prefix) > len(best[owner][1]):
            best[owner] = (maker, prefix)
        elif len(prefix) == len(best[owner][1]) and maker.successor is not None:
            best[owner] = (maker, prefix)  # the historic brand is the one printed on the part
    return list(best.values())
