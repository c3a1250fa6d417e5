"""Property-based fuzzing of the text parsers: any text in, a result or an ArmtraceError out."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from armtrace.dating import decode_date_code, decode_item_year
from armtrace.errors import ArmtraceError
from armtrace.markings.identify import identify
from armtrace.markings.parse import parse_marking
from hardening.fuzzing import fuzz_settings, hostile_text, tried

# Marking-like text: real-looking fragments (part numbers, date codes, lots) joined with noise.
FRAGMENTS = ["STM32F407", "VGT6", "GH21V 93", "ADM3202", "ARNZ", "#2135", "MAX2769", "2207", "e3"]
marking_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), hostile_text, st.from_regex(r"[A-Z0-9#/ .-]{1,12}")),
    max_size=8,
).map(lambda parts: st_join(parts))
any_text = st.one_of(st.text(), hostile_text, marking_like)
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


def st_join(parts: list[str]) -> str:
    return " / ".join(parts)


@fuzz_settings()
@given(any_text)
def test_parse_marking_never_crashes(text: str) -> None:
    tried("markings.parse_marking")
    try:
        parsed = parse_marking(text)
    except ArmtraceError:
        return
    if parsed.part_number is not None:
        assert parsed.part_number.strip(), "a part number is never blank"


@fuzz_settings(0.5)
@given(any_text, st.one_of(st.none(), days))
def test_identify_never_crashes(text: str, documented_on: datetime.date | None) -> None:
    tried("markings.identify")
    try:
        result = identify(text, documented_on=documented_on)
    except ArmtraceError:
        return
    assert 0.0 <= result.confidence <= 1.0
    assert result.why, "every identification explains itself"


@fuzz_settings()
@given(
    st.one_of(any_text, st.from_regex(r"[0-9A-Z]{2,6}", fullmatch=True)),
    st.one_of(st.none(), days),
    st.one_of(st.none(), st.sampled_from(["texas-instruments", "analog-devices", "no-such-maker"])),
)
def test_decode_date_code_windows_are_sane(
    raw: str, documented_on: datetime.date | None, maker_id: str | None
) -> None:
    tried("dating.decode_date_code")
    try:
        window = decode_date_code(raw, documented_on=documented_on, maker_id=maker_id)
    except ArmtraceError:
        return
    if window is not None:
        assert window.earliest <= window.latest
        if documented_on is not None:
            assert window.earliest <= documented_on, "nothing is made after it was documented"


@fuzz_settings()
@given(st.one_of(any_text, st.from_regex(r"[A-Z ]{0,4}[0-9]{3,4}[ /-]?[0-9]{0,3}")), days)
def test_decode_item_year_windows_are_sane(text: str, documented_on: datetime.date) -> None:
    tried("dating.decode_item_year")
    try:
        window = decode_item_year(text, documented_on=documented_on)
    except ArmtraceError:
        return
    if window is not None:
        assert window.earliest <= window.latest
        assert window.earliest <= documented_on
