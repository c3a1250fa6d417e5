"""Date codes and item years to production windows, ambiguity kept visible."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armtrace.dating import decode_date_code, decode_item_year, juche_to_gregorian

SEEN = date(2023, 3, 15)  # the day the wreckage was documented, in most cases below

# (code, documented_on, earliest, latest): codes that decode to one reading
SINGLE = [
    ("2135", SEEN, date(2021, 8, 30), date(2021, 9, 5)),
    ("#2135", SEEN, date(2021, 8, 30), date(2021, 9, 5)),
    (" 2135 ", SEEN, date(2021, 8, 30), date(2021, 9, 5)),
    ("2001", SEEN, date(2019, 12, 30), date(2020, 1, 5)),  # ISO week 1 starts in December
    ("2053", SEEN, date(2020, 12, 28), date(2021, 1, 3)),  # 2020 has a week 53
    ("1552", SEEN, date(2015, 12, 21), date(2015, 12, 27)),
    ("1553", SEEN, date(2015, 12, 28), date(2016, 1, 3)),  # so does 2015
    ("9901", SEEN, date(1999, 1, 4), date(1999, 1, 10)),
    ("8722", SEEN, date(1987, 5, 25), date(1987, 5, 31)),
    ("2135A", SEEN, date(2021, 8, 30), date(2021, 9, 5)),
    ("1451a", SEEN, date(2014, 12, 15), date(2014, 12, 21)),
    ("1738AT", SEEN, date(2017, 9, 18), date(2017, 9, 24)),
    ("1827256", SEEN, date(2018, 7, 2), date(2018, 7, 8)),
    ("1042NBQ", SEEN, date(2010, 10, 18), date(2010, 10, 24)),
    ("2310", SEEN, date(2023, 3, 6), date(2023, 3, 12)),
    ("2311", SEEN, date(2023, 3, 13), date(2023, 3, 15)),  # cut at the day it was documented
]


@pytest.mark.parametrize(("code", "seen", "earliest", "latest"), SINGLE)
def test_single_reading_window(code: str, seen: date, earliest: date, latest: date) -> None:
    window = decode_date_code(code, documented_on=seen)
    assert window is not None and (window.earliest, window.latest) == (earliest, latest)


@pytest.mark.parametrize(("code", "seen", "earliest", "latest"), SINGLE)
def test_single_reading_is_not_ambiguous(
    code: str, seen: date, earliest: date, latest: date
) -> None:
    window = decode_date_code(code, documented_on=seen)
    assert window is not None and not window.ambiguous and len(window.readings) == 1


@pytest.mark.parametrize(
    ("code", "scheme"),
    [("2135", "YYWW"), ("2135A", "YYWWx"), ("1738AT", "YYWWLL"), ("1827256", "YYWWNNN")],
)
def test_scheme_named(code: str, scheme: str) -> None:
    window = decode_date_code(code, documented_on=SEEN)
    assert window is not None and window.readings[0].scheme == scheme


@pytest.mark.parametrize(
    ("code", "seen"),
    [
        ("2153", SEEN),  # 2021 has no week 53
        ("2253", SEEN),  # nor 2022
        ("2100", SEEN),  # there is no week 00
        ("2154", SEEN),
        ("2199", SEEN),
        ("2320", SEEN),  # week 20 of 2023 is after the day it was documented
        ("2401", SEEN),  # from the future
        ("3012", SEEN),  # 2030 is in the future and 1930 is before any date-coded part
        ("5012", None),
        ("2135", date(2021, 8, 29)),  # the day before that week began
        ("", SEEN),
        ("   ", SEEN),
        ("hello", SEEN),
        ("21-35", SEEN),
        ("ABCD", SEEN),
        ("12", SEEN),
        ("1234567890123", SEEN),
        ("2BA", SEEN),  # TI's year-month code only when the maker is TI
        ("999", SEEN),  # week 99
        ("100", SEEN),  # week 00
    ],
)
def test_rejected(code: str, seen: date | None) -> None:
    assert decode_date_code(code, documented_on=seen) is None


def test_week_53_valid_in_2020_only() -> None:
    in_2020 = decode_date_code("2053", documented_on=SEEN)
    in_2021 = decode_date_code("2153", documented_on=SEEN)
    assert (in_2020 is not None, in_2021 is None) == (True, True)


# YWW: a single-digit year, read in each decade of the 20 years up to the documentation day
@pytest.mark.parametrize(
    ("code", "seen", "starts"),
    [
        ("144", SEEN, [date(2011, 10, 31), date(2021, 11, 1)]),  # 2001 is over 20 years back
        ("043", SEEN, [date(2010, 10, 25), date(2020, 10, 19)]),
        ("826", SEEN, [date(2008, 6, 23), date(2018, 6, 25)]),
        ("310", SEEN, [date(2013, 3, 4), date(2023, 3, 6)]),
        ("320", SEEN, [date(2013, 5, 13)]),  # week 20 of 2023 had not come yet
        ("953", SEEN, [date(2009, 12, 28)]),  # of 2009 and 2019 only 2009 has a week 53
        ("702", date(2008, 1, 1), [date(1997, 1, 6), date(2007, 1, 8)]),
    ],
)
def test_single_digit_year_readings(code: str, seen: date, starts: list[date]) -> None:
    window = decode_date_code(code, documented_on=seen)
    assert window is not None and [r.earliest for r in window.readings] == starts


def test_single_digit_year_is_ambiguous() -> None:
    window = decode_date_code("144", documented_on=SEEN)
    assert window is not None and window.ambiguous


def test_single_digit_year_window_spans_every_reading() -> None:
    window = decode_date_code("144", documented_on=SEEN)
    assert window is not None and (window.earliest, window.latest) == (
        date(2011, 10, 31),
        date(2021, 11, 7),
    )


def test_single_digit_year_without_documentation_day_is_still_ambiguous() -> None:
    # Bounded by today instead: whatever today is, two decades of one digit give >= 2 readings.
    window = decode_date_code("144")
    assert window is not None and window.ambiguous and len(window.readings) >= 2


def test_single_digit_year_with_one_decade_left_is_not_ambiguous() -> None:
    window = decode_date_code("320", documented_on=SEEN)
    assert window is not None and not window.ambiguous


def test_ambiguous_explanation_names_every_reading() -> None:
    window = decode_date_code("144", documented_on=SEEN)
    assert window is not None and "2011" in window.why and "2021" in window.why


# TI's year-month code ("YM", "YMS"): only with the maker named
@pytest.mark.parametrize(
    ("code", "months"),
    [
        ("2BA", [(2012, 11), (2022, 11)]),
        ("1C", [(2011, 12), (2021, 12)]),
        ("86", [(2008, 6), (2018, 6)]),
        ("37K", [(2013, 7)]),  # July 2023 is after the day it was documented
        ("3A", [(2013, 10)]),
    ],
)
def test_ti_year_month(code: str, months: list[tuple[int, int]]) -> None:
    window = decode_date_code(code, documented_on=SEEN, maker_id="texas-instruments")
    got = [(r.earliest.year, r.earliest.month) for r in window.readings] if window else []
    assert got == months


@pytest.mark.parametrize("maker", ["TI", "ti", "Texas Instruments", "texas-instruments"])
def test_ti_maker_spellings(maker: str) -> None:
    window = decode_date_code("2BA", documented_on=SEEN, maker_id=maker)
    assert window is not None and window.readings[0].scheme == "TI-YM"


def test_ti_month_window_is_the_whole_month() -> None:
    window = decode_date_code("37K", documented_on=SEEN, maker_id="ti")
    assert window is not None and (window.earliest, window.latest) == (
        date(2013, 7, 1),
        date(2013, 7, 31),
    )


def test_ti_four_digit_code_stays_yyww() -> None:
    window = decode_date_code("2135", documented_on=SEEN, maker_id="ti")
    assert window is not None and [r.scheme for r in window.readings] == ["YYWW"]


def test_microchip_counts_from_the_week_of_january_first() -> None:
    # 2021 began on a Friday: that week is Microchip's week 01 but ISO's week 53 of 2020.
    window = decode_date_code("2101", documented_on=SEEN, maker_id="microchip")
    assert window is not None and window.earliest <= date(2021, 1, 1) <= window.latest


def test_iso_week_01_of_2021_starts_after_new_year() -> None:
    window = decode_date_code("2101", documented_on=SEEN)
    assert window is not None and window.earliest == date(2021, 1, 4)


def test_yymm_only_when_asked() -> None:
    window = decode_date_code("2212", documented_on=SEEN, schemes=["YYMM"])
    assert window is not None and (window.earliest, window.latest) == (
        date(2022, 12, 1),
        date(2022, 12, 31),
    )


def test_yymm_rejects_month_13() -> None:
    assert decode_date_code("2213", documented_on=SEEN, schemes=["YYMM"]) is None


def test_both_schemes_asked_stay_ambiguous() -> None:
    window = decode_date_code("2212", documented_on=SEEN, schemes=["YYMM", "YYWW"])
    assert window is not None and window.ambiguous


def test_unknown_scheme_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown date-code scheme"):
        decode_date_code("2212", schemes=["DDMMYY"])


def test_reading_explains_itself() -> None:
    window = decode_date_code("2135", documented_on=SEEN)
    assert window is not None and window.why == (
        "'2135' read as YYWW: year 2021, ISO week 35, 30 Aug 2021 to 5 Sep 2021."
    )


def test_cut_reading_says_so() -> None:
    window = decode_date_code("2311", documented_on=SEEN)
    assert window is not None and "Cut at 15 Mar 2023" in window.why


# Item markings: Gregorian years on munitions and Juche years on North Korean items
@pytest.mark.parametrize(("juche", "gregorian"), [(1, 1912), (100, 2011), (112, 2023), (113, 2024)])
def test_juche_to_gregorian(juche: int, gregorian: int) -> None:
    assert juche_to_gregorian(juche) == gregorian


def test_juche_year_zero_is_an_error() -> None:
    with pytest.raises(ValueError):
        juche_to_gregorian(0)


@pytest.mark.parametrize(
    ("text", "scheme", "year"),
    [
        ("1977", "YYYY", 1977),
        ("2023", "YYYY", 2023),
        ("1950", "YYYY", 1950),
        ("112", "juche-year", 2023),
        ("Juche 112", "juche-year", 2023),
        ("9М22У 1977", "YYYY", 1977),
        ("LOT 12-77 1977", "YYYY", 1977),
        ("105", "juche-year", 2016),
    ],
)
def test_item_year(text: str, scheme: str, year: int) -> None:
    window = decode_item_year(text, documented_on=SEEN)
    reading = window.readings[0] if window else None
    assert reading is not None and (reading.scheme, reading.earliest.year) == (scheme, year)


@pytest.mark.parametrize(
    "text",
    [
        "1949",  # before 1950
        "2024",  # after the day it was documented
        "113",  # Juche 113 = 2024, also after it
        "121",  # outside the Juche range read
        "099",
        "",
        "no year here",
        "19777",  # five digits is a serial, not a year
        "A1977",
    ],
)
def test_item_year_rejected(text: str) -> None:
    assert decode_item_year(text, documented_on=SEEN) is None


def test_item_year_window_is_the_whole_year() -> None:
    window = decode_item_year("1977", documented_on=SEEN)
    assert window is not None and (window.earliest, window.latest) == (
        date(1977, 1, 1),
        date(1977, 12, 31),
    )


def test_item_year_current_year_is_cut_at_documentation_day() -> None:
    window = decode_item_year("2023", documented_on=SEEN)
    assert window is not None and window.latest == SEEN


def test_item_with_two_years_is_ambiguous() -> None:
    window = decode_item_year("1977 / 112", documented_on=SEEN)
    assert window is not None and window.ambiguous and len(window.readings) == 2


@given(st.text(max_size=14), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)))
def test_any_code_gives_none_or_an_ordered_window_before_documentation(
    code: str, seen: date
) -> None:
    window = decode_date_code(code, documented_on=seen)
    assert window is None or window.earliest <= window.latest <= seen


def test_decoding_dates_does_not_load_the_database_layer() -> None:
    # Date decoding runs in every identification; it must not pull in SQLAlchemy and the store.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from armtrace.dating import decode_date_code, decode_item_year\n"
        "decode_date_code('2135'); decode_item_year('112')\n"
        "print(sorted(m for m in ('sqlalchemy', 'armtrace.store') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
