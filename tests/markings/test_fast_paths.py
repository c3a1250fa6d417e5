"""The shortcuts taken for speed answer exactly as the full work they skip."""

from __future__ import annotations

import string
import unicodedata

from armtrace.markings import features
from armtrace.markings.memo import ContextMemo
from armtrace.markings.normalise import clean_text, split_tokens
from armtrace.markings.origin import NAMES, find_origin
from armtrace.refdata import load_registry
from armtrace.refdata.names import _CYRILLIC_TABLE, _LATIN_EXTRA, _to_latin


def _full_latin(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_CYRILLIC_TABLE)
    text = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
    return unicodedata.normalize("NFKC", "".join(c for c in text if not unicodedata.combining(c)))


def test_ascii_names_fold_as_the_full_unicode_path_folds_them() -> None:
    for text in (string.printable, "Texas Instruments Inc.", "u-blox AG", "ST_Micro & Co"):
        assert _to_latin(text) == _full_latin(text)
    assert _to_latin("Микрон ÆØ") == _full_latin("Микрон ÆØ")


def test_every_name_a_phrase_can_resolve_passes_the_name_prefilter() -> None:
    registry = load_registry()
    for maker in registry:
        texts = [maker.id, maker.name, maker.short, *maker.aliases]
        texts += [former for former, _ in maker.former_names]
        for text in texts:
            words = [word for word, _ in split_tokens(clean_text(text))]
            if 1 <= len(words) <= 3 and registry.resolve_name(" ".join(words)) is not None:
                assert any(features._may_name(registry, word) for word in words), text


def test_name_prefilter_turns_away_part_numbers_and_lot_codes() -> None:
    registry = load_registry()
    for word in ("STM32F407VGT6", "2213A045", "XC7A35T-1FTG256C"):
        assert not features._may_name(registry, word)


def test_lines_without_an_origin_word_are_not_searched_but_origins_are_found() -> None:
    assert find_origin(["STM32F407", "2213"]) is None
    for name, country in NAMES.items():
        if name == "US":
            continue  # too short to trust alone inside a marking (only "MADE IN US" counts)
        found = find_origin(["X1", *name.split(), "2213"])
        assert found is not None and found.country == country


def test_memo_keeps_contexts_apart_and_empties_when_full() -> None:
    calls: list[tuple[str, str]] = []

    def compute(context: str, key: str) -> str:
        calls.append((context, key))
        return context + key

    memo = ContextMemo(compute, maxsize=2)
    assert memo("a", "1") == "a1" and memo("b", "1") == "b1"
    assert memo("a", "1") == "a1" and len(calls) == 2  # remembered, per context
    memo("a", "2")
    memo("a", "3")  # the table for "a" was full: emptied, then holds "3"
    assert memo("a", "1") == "a1" and calls[-1] == ("a", "1")
    assert memo.lookup("b", "1", lambda: "never") == "b1"
    memo.cache_clear()
    assert memo.lookup("b", "1", lambda: "fresh") == "fresh"
