"""Company names folded for comparison: one script, no legal forms, generic words marked.

Invariants:
- Folding is deterministic and offline: Cyrillic is transliterated with a fixed table close to
  BGN/PCGN (the romanisation sanctions lists mostly use: х -> kh, я -> ya); Chinese characters
  become toneless pinyin, one syllable per character, through ICU's Han-Latin transform (cached
  per character), so Simplified and Traditional spellings of a name fold to the same text; other
  scripts go through ``rigour.text.ascii_text``.
- Legal forms ("Co., Limited", "LLC", "ООО", "АО", "有限公司", "GmbH") are removed, never compared:
  Chinese forms in the original script first, then rigour's legal-form table, then our own list.
- Generic business words ("trading", "electronics", "Hong Kong") stay in the name but are marked:
  a name made only of generic words cannot identify a company on its own.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import remove_org_types
from rigour.text import ascii_text

from armtrace.screening.vocabulary import (
    CYRILLIC,
    GENERIC_WORDS,
    HAN_GENERIC,
    HAN_LEGAL_FORMS,
    LEGAL_FORM_PHRASES,
    LEGAL_FORM_TOKENS,
)

_HAN_LEGAL = re.compile("|".join(sorted(HAN_LEGAL_FORMS, key=len, reverse=True)))
_HAN_GENERIC = re.compile("|".join(sorted(HAN_GENERIC, key=len, reverse=True)))
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CYRILLIC_TABLE = str.maketrans(CYRILLIC)
_LEGAL_PHRASES = tuple(f" {p} " for p in sorted(LEGAL_FORM_PHRASES, key=len, reverse=True))
_HAN_CHAR = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")
_REPEATS = re.compile(r"(.)\1+")


def _drop_phrases(text: str) -> str:
    """Remove multi-word legal forms (substring checks: much faster than one big regex)."""
    for phrase in _LEGAL_PHRASES:
        if phrase in text:
            text = text.replace(phrase, " ")
    return text


@dataclass(frozen=True, slots=True)
class FoldedName:
    """A name ready for comparison: its tokens, which of them are distinctive, and its script."""

    original: str
    tokens: tuple[str, ...]
    distinctive: tuple[str, ...]
    had_han: bool
    legal_forms_removed: bool

    @property
    def text(self) -> str:
        """All tokens, space-separated."""
        return " ".join(self.tokens)

    @property
    def compact(self) -> str:
        """The distinctive tokens run together (or all tokens when none is distinctive)."""
        return "".join(self.distinctive or self.tokens)


def is_han(char: str) -> bool:
    """Whether a character is a CJK unified ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=65536)
def _han_syllable(char: str) -> str:
    return ascii_text(char).strip().lower()


@lru_cache(maxsize=200_000)
def _other_script(text: str) -> str:
    return ascii_text(text)


def to_latin(text: str) -> str:
    """Fold a casefolded text to lower-case ASCII, script by script (see module invariants)."""
    if text.isascii():
        return text
    text = text.translate(_CYRILLIC_TABLE)
    if text.isascii():
        return text
    parts: list[str] = []
    for char in text:
        if char.isascii():
            parts.append(char)
        elif is_han(char):
            parts.append(f" {_han_syllable(char)} ")
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            parts.append(base if base.isascii() else _other_script(char))
    return "".join(parts)


def fold_name(name: str) -> FoldedName:
    """Fold one name: casefold, drop legal forms, transliterate, tokenise, mark generic words."""
    text = name.casefold()
    had_han = not text.isascii() and _HAN_CHAR.search(text) is not None
    removed = False
    if had_han:
        stripped = _HAN_LEGAL.sub(" ", text)
        removed = stripped != text
        # Generic Chinese words become their English equivalents so they are marked generic.
        text = _HAN_GENERIC.sub(lambda m: f" {HAN_GENERIC[m.group(0)]} ", stripped)
    # rigour's legal-form table wants the casefolded text before transliteration (ООО, АО...).
    without = remove_org_types(text)
    removed = removed or without != text
    latin = _drop_phrases(f" {_NOT_WORD.sub(' ', to_latin(without))} ")
    # A second pass catches forms only visible once punctuation is gone ("co., limited").
    words = remove_org_types(latin).split()
    if words and min(map(len, words)) == 1:
        words = _join_initials(words)
    # Interned: the same words recur across a list's names; one copy each saves memory.
    # (List comprehensions here and below: this runs for every listed name.)
    tokens = tuple([sys.intern(t) for t in words if t not in LEGAL_FORM_TOKENS])
    removed = removed or len(tokens) != len(latin.split())
    if not tokens:
        # A name that is nothing but a legal form keeps its words rather than vanishing.
        tokens = tuple(_NOT_WORD.sub(" ", to_latin(name.casefold())).split())
    distinctive = tuple([t for t in tokens if t not in GENERIC_WORDS])
    return FoldedName(name, tokens, distinctive, had_han, removed)


def _join_initials(words: list[str]) -> list[str]:
    """Runs of single letters become one word: "h k" (from "H.K.") -> "hk"."""
    joined: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    return joined


def name_key(name: str) -> str:
    """A party's identity: its folded tokens, space-separated."""
    return fold_name(name).text


_FOLD_LETTERS = str.maketrans({"w": "v", "c": "k", "q": "k", "j": "i", "y": "i", "x": "ks"})
# The one-to-one part of _FOLD_LETTERS as a byte table: folded words are ASCII, and a bytes
# translation is several times faster than a str one (this runs for every listed name).
_FOLD_BYTES = bytes.maketrans(b"wcqjy", b"vkkii")
_FOLD_PAIRS = (("ph", "f"), ("kh", "h"))


def _first_of_run(run: re.Match[str]) -> str:
    return run.group(1)


def fold_spelling(text: str) -> str:
    """Spellings that differ only by romanisation fold together: Vektor/Vector, Severnaja/-ya."""
    if text.isascii():
        text = text.encode("ascii").translate(_FOLD_BYTES).decode("ascii")
        if "x" in text:
            text = text.replace("x", "ks")
    else:
        text = text.translate(_FOLD_LETTERS)
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    # Most words have no doubled letter; searching first skips the slower substitution.
    return _REPEATS.sub(_first_of_run, text) if _REPEATS.search(text) else text


@lru_cache(maxsize=200_000)
def translit_fold(text: str) -> str:
    """``fold_spelling``, cached: for words, which recur (runs of words rarely do)."""
    return fold_spelling(text)


_VOWELS = str.maketrans("", "", "aeiouh")


def skeleton(token: str, folded: str | None = None) -> str:
    """A coarse key that survives vowel and romanisation variants: the folded consonants.

    ``folded`` is ``translit_fold(token)`` when the caller has it already.
    """
    folded = translit_fold(token) if folded is None else folded
    if len(folded) < 4:
        return folded
    return folded[0] + folded[1:].translate(_VOWELS)
