"""Component markings: clean typed or OCR-read text and split it into the fields tracing needs."""

from armtrace.markings.normalise import (
    clean_text,
    confusion_variants,
    fold_lookalikes,
    is_description_word,
    is_marker,
    split_lines,
    split_tokens,
)
from armtrace.markings.origin import OriginMatch, find_origin, is_origin_text, origin_country
from armtrace.markings.parse import KINDS, ParsedMarking, Token, parse_marking

__all__ = [
    "KINDS",
    "OriginMatch",
    "ParsedMarking",
    "Token",
    "clean_text",
    "confusion_variants",
    "find_origin",
    "fold_lookalikes",
    "is_description_word",
    "is_marker",
    "is_origin_text",
    "origin_country",
    "parse_marking",
    "split_lines",
    "split_tokens",
]
