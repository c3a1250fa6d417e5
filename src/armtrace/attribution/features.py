"""Attribution features: each compares an item with one reference item and explains itself.

Invariants:
- A feature returns a ``FeatureScore`` (value in [0, 1], weight, sentence) or None when it cannot
  say anything (a side lacks the data): unknown never counts as a mismatch.
- Only ``parts`` and a shared plant code (``markings`` scoring 1.0) are evidence; item type,
  maker mix, dates and a serial format only support (or weaken) what evidence already found.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from armtrace.attribution.profiles import ItemProfile
from armtrace.attribution.types import FeatureScore
from armtrace.refdata.vocabulary import load_item_types

# Weights of the supporting features among themselves; evidence features carry weight 1.
WEIGHTS = {"parts": 1.0, "makers": 0.4, "markings": 0.2, "item_type": 0.3, "dates": 0.3}
SHRINK = 2.0  # overlap evidence grows with the number of shared parts: n / (n + SHRINK)
DATE_GAP_YEARS = 5.0  # a gap this long between date-code spans makes the dates implausible
_TOKEN = re.compile(r"[^\s;,/]+")


@dataclass(frozen=True)
class Rarity:
    """Smoothed inverse document frequency of part numbers across the reference library."""

    weights: Mapping[str, float]
    unseen: float  # a part no reference item carries counts as the rarest: seen once

    def __call__(self, part: str) -> float:
        return self.weights.get(part, self.unseen)


def weighted_overlap(
    item: set[str], reference: set[str], rarity: Rarity
) -> tuple[float, list[str]]:
    """Rarity-weighted overlap coefficient, shrunk by how few parts are shared; shared parts."""
    shared = sorted(item & reference, key=lambda p: (-rarity(p), p))
    if not shared:
        return 0.0, []
    mass = min(sum(map(rarity, item)), sum(map(rarity, reference)))
    coefficient = sum(map(rarity, shared)) / mass if mass else 0.0
    return min(coefficient, 1.0) * len(shared) / (len(shared) + SHRINK), shared


def parts(item: ItemProfile, ref: ItemProfile, rarity: Rarity) -> FeatureScore | None:
    """Shared part numbers, rare parts (across the library) weighing more than common ones."""
    if not item.parts or not ref.parts:
        return None
    score, shared = weighted_overlap(item.parts, ref.parts, rarity)
    if not shared:
        why = f"no part number in common with {ref.key}"
    else:
        rare = ", ".join(item.part_names.get(p, p) for p in shared[:3])
        why = (
            f"{len(shared)} of its {len(item.parts)} part numbers are on {ref.key} "
            f"({len(ref.parts)} part numbers), the rarest shared: {rare}"
        )
    return FeatureScore("parts", score, WEIGHTS["parts"], why)


def makers(item: ItemProfile, ref: ItemProfile) -> FeatureScore | None:
    """Cosine similarity of the two items' counts of components per maker."""
    if not item.makers or not ref.makers:
        return None
    dot = sum(n * ref.makers.get(m, 0) for m, n in item.makers.items())
    norm = math.sqrt(sum(n * n for n in item.makers.values())) * math.sqrt(
        sum(n * n for n in ref.makers.values())
    )
    score = dot / norm if norm else 0.0
    common = sorted(set(item.makers) & set(ref.makers))
    why = f"maker mix {score:.2f} alike ({len(common)} makers in common with {ref.key})"
    return FeatureScore("makers", score, WEIGHTS["makers"], why)


@cache
def _type_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for item_type in load_item_types().values():
        for name in (item_type.id, item_type.name, *item_type.aliases):
            names[_fold(name)] = item_type.id
    return names


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def item_type(item: ItemProfile, ref: ItemProfile) -> FeatureScore | None:
    """Same item type (after the vocabulary's aliases), or not."""
    if not item.item_type or not ref.item_type:
        return None
    a = _type_names().get(_fold(item.item_type), _fold(item.item_type))
    b = _type_names().get(_fold(ref.item_type), _fold(ref.item_type))
    same = a == b
    why = (
        f"same item type ({item.item_type})"
        if same
        else f"item type differs ({item.item_type} vs {ref.item_type})"
    )
    return FeatureScore("item_type", 1.0 if same else 0.0, WEIGHTS["item_type"], why)


def _shape(token: str) -> str:
    return "".join("N" if c.isdigit() else "A" if c.isalpha() else c for c in token)


def marking_tokens(text: str | None) -> tuple[set[str], set[str]]:
    """Plant codes (tokens mixing letters and digits) and serial shapes (e.g. NNN-NNNN)."""
    codes: set[str] = set()
    shapes: set[str] = set()
    for token in _TOKEN.findall((text or "").upper()):
        has_digit = any(c.isdigit() for c in token)
        if has_digit and any(c.isalpha() for c in token) and len(token) >= 3:
            codes.add(token)
        if has_digit and len(token) >= 4 and not re.fullmatch(r"(19|20)\d\d", token):
            shapes.add(_shape(token))
    return codes, shapes


def markings(item: ItemProfile, ref: ItemProfile) -> FeatureScore | None:
    """Plant codes the two items share, else a serial number of the same format."""
    if not (item.item_markings or "").strip() or not (ref.item_markings or "").strip():
        return None
    codes, shapes = marking_tokens(item.item_markings)
    ref_codes, ref_shapes = marking_tokens(ref.item_markings)
    if shared := sorted(codes & ref_codes):
        why = f"marked {', '.join(shared)} like {ref.key}"
        return FeatureScore("markings", 1.0, WEIGHTS["markings"], why)
    if same := sorted(shapes & ref_shapes):
        why = f"serial in the same format as {ref.key} ({', '.join(same)})"
        return FeatureScore("markings", 0.6, WEIGHTS["markings"], why)
    why = f"its markings share no code or serial format with {ref.key}"
    return FeatureScore("markings", 0.0, WEIGHTS["markings"], why)


def date_span(dates: list[datetime.date]) -> tuple[datetime.date, datetime.date] | None:
    """Earliest and latest date codes, ignoring the single most extreme code at each end."""
    if not dates:
        return None
    ordered = sorted(dates)
    if len(ordered) >= 3:  # one remarked or misread part must not stretch the span
        ordered = ordered[1:-1]
    return ordered[0], ordered[-1]


def _item_dates(item: ItemProfile) -> tuple[list[datetime.date], str]:
    if item.dates:
        return item.dates, "date codes"
    return [datetime.date(year, 12, 31) for year in item.marked_years], "marked year"


def dates(item: ItemProfile, refs: list[ItemProfile]) -> FeatureScore | None:
    """Do the item's date codes (or marked year) fall in the years its references were made?"""
    own, what = _item_dates(item)
    span = date_span(own)
    ref_span = date_span([d for r in refs for d in _item_dates(r)[0]])
    if span is None or ref_span is None:
        return None
    gap_days = max((ref_span[0] - span[1]).days, (span[0] - ref_span[1]).days, 0)
    score = max(0.0, 1.0 - gap_days / 365.25 / DATE_GAP_YEARS)
    if gap_days == 0:
        why = f"its {what} ({_years(span)}) overlap the references' ({_years(ref_span)})"
    else:
        why = (
            f"its {what} ({_years(span)}) and the references' ({_years(ref_span)}) lie "
            f"{gap_days / 365.25:.1f} years apart"
        )
    return FeatureScore("dates", score, WEIGHTS["dates"], why)


def _years(span: tuple[datetime.date, datetime.date]) -> str:
    first, last = span[0].year, span[1].year
    return str(first) if first == last else f"{first}-{last}"
