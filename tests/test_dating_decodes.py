"""``decodes`` answers exactly whether ``decode_date_code`` gives a window, for every scheme."""

from __future__ import annotations

import datetime

import pytest

from armtrace.dating import SCHEMES, decode_date_code, decodes

# Every three- and four-digit code, the lettered YYWW forms and TI's year-month forms: valid and
# impossible weeks and months, codes dated after the bound, and codes too long to be dates.
CODES = (
    [f"{n:03d}" for n in range(1000)]
    + [f"{n:04d}" for n in range(0, 10000, 7)]
    + [f"{n:04d}{tail}" for n in range(0, 10000, 97) for tail in ("A", "AB", "A1Z", "1")]
    + [f"{y}{m}{tail}" for y in "0369" for m in "19ABCD0" for tail in ("", "A", "Z12345", "1")]
    + ["#2213", " 2213.", "", "#", "1234567890123", "2I35", "٢٢١٣"]
)


@pytest.mark.parametrize("maker_id", [None, "ti", "texas-instruments", "microchip", "nxp"])
@pytest.mark.parametrize(
    "bound", [datetime.date(2026, 11, 25), datetime.date(2015, 3, 10), datetime.date(1999, 1, 3)]
)
def test_decodes_agrees_with_decode_date_code(maker_id: str | None, bound: datetime.date) -> None:
    for code in CODES:
        window = decode_date_code(code, documented_on=bound, maker_id=maker_id)
        assert decodes(code, documented_on=bound, maker_id=maker_id) == (window is not None), code


@pytest.mark.parametrize("schemes", [("YYMM",), ("YWW", "TI-YM"), SCHEMES])
def test_decodes_agrees_for_named_schemes(schemes: tuple[str, ...]) -> None:
    bound = datetime.date(2021, 6, 1)
    for code in CODES:
        window = decode_date_code(code, documented_on=bound, schemes=schemes)
        assert decodes(code, documented_on=bound, schemes=schemes) == (window is not None), code


def test_decodes_rejects_unknown_schemes_like_decode_date_code() -> None:
    with pytest.raises(ValueError, match="unknown date-code scheme"):
        decodes("2213", schemes=("YYWW", "WWYY"))


def test_a_code_after_the_bound_does_not_decode() -> None:
    assert decodes("2213", documented_on=datetime.date(2022, 6, 1))
    assert not decodes("2250", documented_on=datetime.date(2022, 6, 1))
    assert decode_date_code("2250", documented_on=datetime.date(2022, 6, 1)) is None
