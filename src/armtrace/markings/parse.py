"""Parse a component marking into part-number, date-code, lot, origin, logo and description.

Invariants:
- Registry-agnostic: the only outside knowledge is the logo texts the caller passes in; makers and
  part numbers are identified elsewhere from ``part_candidates``, ``logo_text`` and the tokens.
- Nothing printed is lost: every token of every cleaned line appears in ``tokens`` with a kind.
- Candidates are ranked by small named features (line, position, shape, length); the printed
  spelling is always kept, and an OCR-corrected spelling is only ever added after it.
- Markers that identify nothing (see ``normalise.is_marker``) are kind "other" and never
  candidates; descriptive words (``normalise.is_description_word``) are kind "description".
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from armtrace.dating import decodes
from armtrace.markings.memo import per_context, per_key
from armtrace.markings.normalise import (
    clean_text,
    is_description_word,
    is_marker,
    split_lines,
    split_tokens,
)
from armtrace.markings.origin import OriginMatch, find_origin

KINDS = ("part_number", "date_code", "lot", "origin", "logo", "description", "other")

_PART_SHAPE = re.compile(r"[A-Z0-9][A-Z0-9\-+#/.:_]{2,29}")
_DATE_SHAPES = (  # (pattern, priority): lower priority wins
    (re.compile(r"#\d{4}"), 0),
    (re.compile(r"\d{4}"), 1),
    (re.compile(r"\d{4}[A-Z]"), 2),
    (re.compile(r"\d{3}"), 3),
    (re.compile(r"\d{4}[A-Z]{2}|\d{4}[A-Z0-9]{3}"), 5),
    (re.compile(r"\d[ABC]|\d[1-9ABC][A-Z]"), 7),  # TI's year-month code, with a letter
)
# Any of the shapes above: most tokens are none of them, and one match tells so.
_ANY_DATE_SHAPE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _DATE_SHAPES))
_OCR_DIGITS = str.maketrans("OQDILSBZG", "001115826")
_JOIN_SUFFIX = re.compile(r"[A-Z][A-Z0-9]{1,4}\+?")
_EMBEDDED_DATE = re.compile(r"[A-Z]+\d+[A-Z]+(\d{4})")
_MAKER_THEN_DIGIT = re.compile(r"[A-Z]{1,6}-?\d")
_LONG_PREFIX_THEN_DIGIT = re.compile(r"[A-Z]{3,6}-?\d")
_FAMILY_NUMBER = re.compile(r"\d{1,2}[A-Z]{1,3}\d")
_LOT_RUN = re.compile(r"\d{6,}")
_DIGIT_RUN = re.compile(r"\d+")
_O_BETWEEN_DIGITS = re.compile(r"(?<=\d)O(?=\d)")
_I_BETWEEN_DIGITS = re.compile(r"(?<=\d)I(?=\d)")
_LETTER = re.compile(r"[A-Z]")
_DIGIT = re.compile(r"\d")
_LETTERS_ONLY = re.compile(r"[A-Z]{2,5}")
_SUFFIX_LETTERS = re.compile(r"[A-Z]{2,5}\+?")
_LOT_SHAPE = re.compile(r"[A-Z0-9\-]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One printed token: its cleaned text, the line it is on (from 0) and what it looks like."""

    text: str
    line: int
    kind: str


@dataclass(frozen=True, slots=True)
class ParsedMarking:
    """A marking split into the fields identification and dating need, with every token kept."""

    raw: str
    lines: tuple[str, ...]
    part_number: str | None
    part_candidates: tuple[str, ...]
    date_code: str | None
    date_candidates: tuple[str, ...]
    lot: str | None
    origin_text: str | None
    origin_country: str | None
    logo_text: str | None
    description: str | None
    tokens: tuple[Token, ...]


@dataclass(slots=True)
class _Slot:
    text: str  # as cleaned, case kept
    upper: str
    line: int
    position: int  # index among the line's tokens
    bracketed: bool
    kind: str | None = None
    first_on_line: bool = False


@functools.lru_cache(maxsize=65536)
def _decodes(code: str, maker_id: str | None, today: datetime.date) -> bool:
    """Whether a code has any reading up to today; cached because markings repeat codes."""
    return decodes(code, documented_on=today, maker_id=maker_id)


# Per-token work below is pure (a token's text, and today's date where codes are decoded), and
# markings repeat tokens heavily ("2213", "CHN", "STM32F407"), so it is cached per token.
@per_context(maxsize=65536)
def _date_priority(today: datetime.date, upper: str) -> tuple[int, str] | None:
    """Priority and code text when a token looks like a date code; decodable codes rank first."""
    for pattern, priority in _DATE_SHAPES if _ANY_DATE_SHAPE.fullmatch(upper) else ():
        if pattern.fullmatch(upper):
            code = upper.lstrip("#")
            maker = "ti" if priority == 7 else None
            if _decodes(code, maker, today):
                return priority, code
            # An impossible "2153" still looks like a date code; longer shapes are lots.
            return (priority + 10, code) if priority <= 2 else None
    # OCR: a four-character token with letters that look like digits ("2I35").
    bare = upper.lstrip("#")
    if len(bare) == 4 and sum(ch.isdigit() for ch in bare) >= 2:
        folded = bare.translate(_OCR_DIGITS)
        if folded.isdigit() and _decodes(folded, None, today):
            return 4, folded
    return None


@per_context(maxsize=65536)
def _embedded_date(today: datetime.date, upper: str) -> str | None:
    """A valid YYWW closing a package-and-date token such as "FTG256ABX1707" or "TQG144AGQ1425".

    Two letter-digit groups before the four digits keep ordinary part numbers that end in four
    digits ("TPS2113", "MCP2515") out.
    """
    match = _EMBEDDED_DATE.fullmatch(upper)
    if match and len(upper) >= 10 and _decodes(match[1], None, today):
        return match[1]
    return None


@per_context(maxsize=65536)
def _shape_score(today: datetime.date, upper: str) -> float:
    """The part of ``_part_score`` that depends on the token's text alone."""
    score = 0.0
    score += 2 if 5 <= len(upper) <= 20 else (-2 if len(upper) <= 3 else 0)
    score += 1 if len(upper) >= 6 else 0
    score += 1 if upper[0].isalpha() else 0
    score += 2 if _MAKER_THEN_DIGIT.match(upper) else 0  # maker prefix then digits: "TPS7"
    score += 0.5 if _LONG_PREFIX_THEN_DIGIT.match(upper) else 0  # "LMH0387" over "VM26ABE4"
    score += 1 if _FAMILY_NUMBER.match(upper) else 0  # "74HC595", "2N7002"
    score -= 3 if _LOT_RUN.search(upper) else 0  # long digit runs are lot numbers
    score -= 2 if _embedded_date(today, upper) else 0  # "FTG256ABX1707": package and date code
    return score


_LINE_SCORE = {0: 3, 1: 1}


@per_key(maxsize=65536)
def _token_facts(upper: str) -> tuple[bool, float | None]:
    """(part-shaped, lot score before the line's share or None when not lot-shaped) of a token.

    Both read the text alone and are asked of every open token of every marking.
    """
    part_like = bool(
        _PART_SHAPE.fullmatch(upper) and _LETTER.search(upper) and _DIGIT.search(upper)
    )
    # The lot shape is ASCII, where \d and isdigit agree.
    if not (len(upper) >= 4 and _LOT_SHAPE.fullmatch(upper) and _DIGIT.search(upper)):
        return part_like, None
    longest_digit_run = max((len(run) for run in _DIGIT_RUN.findall(upper)), default=0)
    score = 2.0 if longest_digit_run >= 5 else 0.0
    score += 1 if len(upper) >= 6 else 0
    return part_like, score


def _part_score(slot: _Slot, today: datetime.date) -> float:
    """Score how much a token looks like a part number; each feature is one line."""
    score = 0.0
    score += _LINE_SCORE.get(slot.line, 0)  # part numbers usually start the marking
    score += 1 if slot.first_on_line else 0
    return score + _shape_score(today, slot.upper)


def _ocr_fixed(part: str) -> str | None:
    """The part with O and I read as digits where they sit between digits ("STM32F4O7")."""
    # Q ("W25Q128") and L ("STM32L476") sit between digits in real part numbers; O and I do not.
    if "O" not in part and "I" not in part:
        return None
    fixed = _O_BETWEEN_DIGITS.sub("0", part)
    fixed = _I_BETWEEN_DIGITS.sub("1", fixed)
    return fixed if fixed != part else None


@per_key(maxsize=65536)
def _open_kind(text: str) -> str | None:
    """ "other" for a marker, "description" for a describing word, else None (still open)."""
    if is_marker(text):
        return "other"
    if is_description_word(text):
        return "description"
    return None


@functools.lru_cache(maxsize=64)
def _logo_keys(logos: frozenset[str]) -> frozenset[str]:
    return frozenset(" ".join(logo.upper().split()) for logo in logos if logo.strip())


@functools.lru_cache(maxsize=64)
def _logo_first_words(logo_keys: frozenset[str]) -> frozenset[str]:
    """The first word of every logo key: a logo phrase can start only at such a token."""
    return frozenset(key.split(" ", 1)[0] for key in logo_keys)


def _classify_lines(
    lines: Sequence[str], logos: Collection[str]
) -> tuple[list[list[_Slot]], list[OriginMatch]]:
    """Mark origin, logo, marker and description tokens line by line; the rest stay open."""
    logo_keys = (
        _logo_keys(logos)
        if isinstance(logos, frozenset)
        else frozenset(" ".join(logo.upper().split()) for logo in logos if logo.strip())
    )
    table: list[list[_Slot]] = []
    origins: list[OriginMatch] = []
    for line_no, line in enumerate(lines):
        tokens, origin, first = _classify_line(logo_keys, line)
        if origin is not None:
            origins.append(origin)
        slots = [
            _Slot(text, upper, line_no, i, bracketed, kind, i == first)
            for i, (text, upper, bracketed, kind) in enumerate(tokens)
        ]
        table.append(slots)
    return table, origins


# A line's tokens and their kinds depend on the line's text and the logos alone, and lines repeat
# across markings ("CHN 144", "MADE IN TAIWAN", a date code alone), so each is classified once.
_LineTokens = tuple[tuple[str, str, bool, str | None], ...]  # (text, upper, bracketed, kind)


@per_context(maxsize=65536)
def _classify_line(
    logo_keys: frozenset[str], line: str
) -> tuple[_LineTokens, OriginMatch | None, int | None]:
    """The line's tokens with their kinds, its origin phrase, and its first part-shaped token."""
    pairs = split_tokens(line)
    uppers = [text.upper() for text, _ in pairs]
    kinds: list[str | None] = [None] * len(pairs)
    origin = find_origin(uppers)
    if origin is not None:
        kinds[origin.start : origin.end] = ["origin"] * (origin.end - origin.start)
    firsts = _logo_first_words(logo_keys)
    starts = [i for i, upper in enumerate(uppers) if upper in firsts]
    for width in (3, 2, 1) if starts else ():
        for start in starts:
            if start + width > len(pairs) or any(kinds[start : start + width]):
                continue
            if " ".join(uppers[start : start + width]) in logo_keys:
                kinds[start : start + width] = ["logo"] * width
    for i, (text, _) in enumerate(pairs):
        if kinds[i] is None:
            kinds[i] = _open_kind(text)
    first = None
    for i, upper in enumerate(uppers):
        if kinds[i] is None and _LETTER.search(upper) and _DIGIT.search(upper):
            first = i
            break
    texts = [text for text, _ in pairs]
    bracketed = [in_brackets for _, in_brackets in pairs]
    return tuple(zip(texts, uppers, bracketed, kinds, strict=True)), origin, first


@dataclass(slots=True)
class _Candidate:
    text: str
    score: float
    slots: list[_Slot]


def _suffix_after(table: list[list[_Slot]], slot: _Slot, dated: set[int]) -> _Slot | None:
    """The ordering suffix printed after a core part number, on its line or alone on the next."""
    row = table[slot.line]
    # "ADM3202 ARNZ": the suffix typed after a space on the same line.
    following = row[slot.position + 1] if slot.position + 1 < len(row) else None
    # "STM32F407 / VGT6": the suffix alone on the next line.
    rest_of_line = [s for s in row[slot.position + 1 :] if s.kind not in ("other", "logo")]
    next_row = table[slot.line + 1] if slot.line + 1 < len(table) else []
    next_open = [s for s in next_row if s.kind != "other"]
    if following is None and not rest_of_line and len(next_open) == 1:
        following = next_open[0]
    if (
        following is not None
        and following.kind is None
        and following.bracketed == slot.bracketed
        and id(following) not in dated
        and _JOIN_SUFFIX.fullmatch(following.upper)
        and sum(ch.isdigit() for ch in following.upper) <= 2
    ):
        return following
    return None


def _spaced_core(table: list[list[_Slot]], slot: _Slot, firm: set[int]) -> _Slot | None:
    """The numeric rest of a part typed with a space after its letters: "ADG 5434 BRUZ".

    Four digits that make a valid date code join only when a suffix follows them ("ADG 1419
    BRMZ"), so "AU 1723" stays a package code and a date code.
    """
    row = table[slot.line]
    following = row[slot.position + 1] if slot.position + 1 < len(row) else None
    if not (
        _LETTERS_ONLY.fullmatch(slot.text)
        and following is not None
        and following.kind is None
        and following.bracketed == slot.bracketed
        and _PART_SHAPE.fullmatch(following.upper)
        and _DIGIT.match(following.upper)
        and sum(ch.isdigit() for ch in following.upper) >= 3
        and not _LOT_RUN.search(following.upper)
    ):
        return None
    if id(following) in firm:
        after = row[following.position + 1] if following.position + 1 < len(row) else None
        if after is None or after.kind or not _SUFFIX_LETTERS.fullmatch(after.upper):
            return None
    return following


def _joined(parts: list[_Slot], today: datetime.date) -> _Candidate:
    """A candidate spelled from several printed tokens, scored as if printed as one."""
    first = parts[0]
    text = "".join(s.upper for s in parts)
    merged = _Slot(text, text, first.line, first.position, first.bracketed)
    merged.first_on_line = first.first_on_line
    return _Candidate(text, _part_score(merged, today) + 1, parts)


def _part_candidates(
    table: list[list[_Slot]], dated: set[int], firm: set[int], today: datetime.date
) -> list[_Candidate]:
    """Score part-like tokens, add joins of split prefixes and suffixes, rank best first."""
    found: list[_Candidate] = []
    for row in table:
        for slot in row:
            upper = slot.upper
            if slot.kind or id(slot) in dated:
                continue
            core = [slot]
            if (rest := _spaced_core(table, slot, firm)) is not None:
                core = [slot, rest]
                found.append(_joined(core, today))
            elif not _token_facts(upper)[0]:
                continue
            else:
                found.append(_Candidate(upper, _part_score(slot, today), [slot]))
            core_text = "".join(s.upper for s in core)
            # Only a short core ending in a digit takes a suffix: "STM32F407" + "VGT6", while a
            # complete "STM32F103C8T6" does not swallow a stray "GD" after it.
            if core_text[0].isalpha() and core_text[-1].isdigit() and len(core_text) <= 9:
                suffix = _suffix_after(table, core[-1], dated)
                if suffix is not None:
                    found.append(_joined([*core, suffix], today))
    for cand in found:  # a fuller spelling of another candidate is the more specific one
        if any(cand.text.startswith(o.text) and cand.text != o.text for o in found):
            cand.score += 1.5
    ranked = sorted(found, key=lambda c: -c.score)  # stable: ties keep printed order
    unique: dict[str, _Candidate] = {}
    for cand in ranked:
        unique.setdefault(cand.text, cand)
    return [cand for cand in unique.values() if cand.score >= 4.5]


def _find_dates(
    slots: list[_Slot],
    best_slots: set[int],
    priorities: dict[int, tuple[int, str] | None],
    today: datetime.date,
) -> list[tuple[int, int, str, _Slot]]:
    """Date-code candidates as (priority, printed order, code, slot), best first.

    ``priorities`` holds ``_date_priority`` of every open slot, by ``id``.
    """
    dates: list[tuple[int, int, str, _Slot]] = []
    for order, slot in enumerate(slots):
        if slot.kind is not None or id(slot) in best_slots:
            continue
        found = priorities[id(slot)]
        if found is not None:
            dates.append((found[0], order, found[1], slot))
        elif (embedded := _embedded_date(today, slot.upper)) is not None:
            dates.append((6, order, embedded, slot))
    return sorted(dates, key=lambda entry: (entry[0], entry[1]))


def _pick_lot(slots: list[_Slot], best_slots: set[int]) -> _Slot | None:
    """The open token that looks most like a lot or traceability code (the first of equals)."""
    best: _Slot | None = None
    best_score = 0.0
    for s in slots:
        if s.kind is not None or id(s) in best_slots:
            continue
        base = _token_facts(s.upper)[1]
        if base is None:
            continue
        score = base + (1 if s.line > 0 else 0)
        if best is None or score > best_score:
            best, best_score = s, score
    return best


def _logo_text(slots: list[_Slot]) -> str | None:
    logo_slots = [s for s in slots if s.kind == "logo"]
    if not logo_slots:
        return None
    return " ".join(s.upper for s in logo_slots if s.line == logo_slots[0].line)


def marking_lines(text: str) -> tuple[str, ...]:
    """The cleaned printed lines of a marking: all that parsing reads of the text."""
    return tuple(split_lines(clean_text(text)))


def parse_marking(text: str, *, logos: Collection[str] = ()) -> ParsedMarking:
    """Split a marking into ranked part-number and date-code candidates, lot, origin and logo."""
    return parse_lines(text, marking_lines(text), logos=logos, today=datetime.date.today())


def parse_lines(
    text: str, lines: tuple[str, ...], *, logos: Collection[str], today: datetime.date
) -> ParsedMarking:
    """``parse_marking`` of ``text`` given its ``marking_lines``, judging date codes by ``today``.

    Two texts with the same lines parse alike except for ``raw``, which is how identification
    shares the work between spellings of one marking.
    """
    table, origins = _classify_lines(lines, logos)
    slots = [slot for row in table for slot in row]

    standalone_dates: set[int] = set()
    firm_dates: set[int] = set()  # valid all-digit codes: never part of a part number
    priorities: dict[int, tuple[int, str] | None] = {}
    for slot in slots:
        if slot.kind is not None:
            continue
        found = priorities[id(slot)] = _date_priority(today, slot.upper)
        if found is not None:
            standalone_dates.add(id(slot))
            if found[0] < 10 and found[1].isdigit():
                firm_dates.add(id(slot))
    candidates = _part_candidates(table, standalone_dates, firm_dates, today)
    # Slots of the best part and of its shorter or longer spellings ("MAX2769" beside
    # "MAX2769ETI+") are the part; they are never read as a lot or a date.
    best = candidates[0].text if candidates else ""
    best_slots = {
        id(s)
        for cand in candidates
        if best.startswith(cand.text) or cand.text.startswith(best)
        for s in cand.slots
    }
    dates = _find_dates(slots, best_slots, priorities, today)
    date_codes = list(dict.fromkeys(entry[2] for entry in dates))
    part_texts: list[str] = []
    for cand in candidates:
        part_texts.append(cand.text)
        if (fixed := _ocr_fixed(cand.text)) is not None:
            part_texts.append(fixed)
    part_texts = list(dict.fromkeys(part_texts))

    for slot in candidates[0].slots if candidates else []:
        slot.kind = "part_number"
    for entry in dates:
        if id(entry[3]) in standalone_dates:
            entry[3].kind = "date_code"
    lot_slot = _pick_lot(slots, best_slots)
    if lot_slot is not None:
        lot_slot.kind = "lot"
    in_parts = {id(s) for cand in candidates for s in cand.slots}
    for slot in slots:
        if slot.kind is None:
            slot.kind = "part_number" if id(slot) in in_parts else "other"

    description_words = [s.text for s in slots if s.kind == "description"]
    tokens = tuple(
        Token(s.text if s.kind == "description" else s.upper, s.line, s.kind or "other")
        for s in slots
    )
    return ParsedMarking(
        raw=text,
        lines=lines,
        part_number=part_texts[0] if part_texts else None,
        part_candidates=tuple(part_texts),
        date_code=date_codes[0] if date_codes else None,
        date_candidates=tuple(date_codes),
        lot=lot_slot.upper if lot_slot is not None else None,
        origin_text=origins[0].text if origins else None,
        origin_country=origins[0].country if origins else None,
        logo_text=_logo_text(slots),
        description=" ".join(description_words) or None,
        tokens=tokens,
    )
