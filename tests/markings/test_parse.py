"""Markings as investigators type or OCR them, split into part number, date code, lot, origin.

The markings follow the layouts makers print; their lot numbers and date codes are illustrative.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armtrace.markings import KINDS, parse_marking

LOGOS = {
    "TI", "ADI", "ST", "NXP", "ATMEL", "SAMSUNG", "XILINX", "ALTERA", "U-BLOX", "IR",
    "SEMTECH", "ANALOG DEVICES", "MICROCHIP",
}  # fmt: skip

# (marking, best part number, best date code)
PART_AND_DATE = [
    ("STM32F407 / VGT6 / GH21V 93 / CHN 144", "STM32F407VGT6", "144"),
    ("STM32F407\nVGT6\nGH21V 93\nCHN 144", "STM32F407VGT6", "144"),
    ("ADM3202 ARNZ #2135", "ADM3202ARNZ", "2135"),
    ("MAX2769 (MAX2769ETI+)", "MAX2769ETI+", None),
    ("Microcontroller 32-bit STM32H743VIT6", "STM32H743VIT6", None),
    ("TI 2BA C3AD TPS7A4501", "TPS7A4501", "2BA"),
    ("XC7A35T / FTG256ABX1707 / D4451592A / 1C", "XC7A35T", "1707"),
    ("ATMEGA328P / AU 1723", "ATMEGA328P", "1723"),
    ("ATMEL / ATMEGA2560 / 16AU 1827", "ATMEGA2560", "1827"),
    ("MAX232CPE+ / 2216 / MALAYSIA", "MAX232CPE+", "2216"),
    ("LTC2991 / IMS / 1843 / 632817", "LTC2991IMS", "1843"),
    ("AD9361 / BBCZ / #1719 / PHILIPPINES", "AD9361BBCZ", "1719"),
    ("ADF4351 / BCPZ / 1641 / 2718559", "ADF4351BCPZ", "1641"),
    ("HMC241ALP3E / H241A / 1934", "HMC241ALP3E", "1934"),
    ("SN74HC595N", "SN74HC595N", None),
    ("SN74LVC1G08DBVR", "SN74LVC1G08DBVR", None),
    ("IR / IRF540N / 9P01", "IRF540N", None),
    ("BSS138", "BSS138", None),
    ("MCP2515 / I/SO e3 / 1827256", "MCP2515", "1827256"),
    ("PIC16F877A-I/P / 1042NBQ", "PIC16F877A-I/P", "1042NBQ"),
    ("CY7C68013A-56PVXC / 1648 / CYP 634572", "CY7C68013A-56PVXC", "1648"),
    ("M25P16-VMN6TP", "M25P16-VMN6TP", None),
    ("W25Q128JVSQ / 1937 / CHINA", "W25Q128JVSQ", "1937"),
    ("MT41K256M16HA-125:E", "MT41K256M16HA-125:E", None),
    ("SAMSUNG 025 / K4B4G1646E-BCMA / JRG130BS", "K4B4G1646E-BCMA", "025"),
    ("K4B2G1646F-BYMA / SAMSUNG 150", "K4B2G1646F-BYMA", "150"),
    ("ISSI / IS42S16400J-7TL / 1734 / TAIWAN", "IS42S16400J-7TL", "1734"),
    ("U-BLOX / NEO-M8N-0-10 / 2145", "NEO-M8N-0-10", "2145"),
    ("ZED-F9P-01B-01 / 2231", "ZED-F9P-01B-01", "2231"),
    ("SIM800L / 1819", "SIM800L", "1819"),
    ("ESP32-D0WDQ6", "ESP32-D0WDQ6", None),
    ("CC1101 / TI / 37K / G4", "CC1101", "37K"),
    ("SEMTECH / SX1278 / 1838", "SX1278", "1838"),
    ("ADSP-21489KSWZ-4B / 1712", "ADSP-21489KSWZ-4B", "1712"),
    ("TMS320F28335PGFA / 89A4P8W / G4", "TMS320F28335PGFA", None),
    ("ALTERA / CYCLONE IV / EP4CE22F17C8N / 1451A", "EP4CE22F17C8N", "1451A"),
    ("LM2596S-5.0 / 1902", "LM2596S-5.0", "1902"),
    ("AMS1117-3.3 / 1933", "AMS1117-3.3", "1933"),
    ("74HC595D / 1935", "74HC595D", "1935"),
    ("2N7002 / 702", "2N7002", "702"),
    ("1N4148W", "1N4148W", None),
    ("N52832 / QFAAE0 / 1738AT", "N52832", "1738AT"),
    ("Voltage regulator LM317T", "LM317T", None),
    ("GPS receiver u-blox NEO-6M", "NEO-6M", None),
    ("MPU-6050 / 1843 / MALAYSIA", "MPU-6050", "1843"),
    ("ICM-20602", "ICM-20602", None),
    ("ADI / AD8331ARQZ / #1824 / PHILIPPINES", "AD8331ARQZ", "1824"),
    ("ANALOG DEVICES AD7606BSTZ 1921", "AD7606BSTZ", "1921"),
    ("STM32F030F4P6 / GH23Q 93 / CHN 043", "STM32F030F4P6", "043"),
    ("• STM32F103 / C8T6 / 991KA 93 / MYS 826", "STM32F103C8T6", "826"),
    ("XILINX / SPARTAN-6 / XC6SLX9 / TQG144AGQ1425 / D1234567A / 2C", "XC6SLX9", "1425"),
    ("TPS7A4501DCQR | 2BA | TI", "TPS7A4501DCQR", "2BA"),
    ("Made in Japan RENESAS R5F100LEA 1912", "R5F100LEA", "1912"),
    ("KOREA / K9F1G08U0E-SCB0 /", "K9F1G08U0E-SCB0", None),
    ("XC7A35T-1FTG256C", "XC7A35T-1FTG256C", None),
    ("MICROCHIP / ATSAMD21G18A / -AU / 1932", "ATSAMD21G18A", "1932"),
    ("LM358 / RoHS / e3 / 2047", "LM358", "2047"),
    ("HMC830LP6GE / 1748", "HMC830LP6GE", "1748"),
    ("NXP / LPC1768FBD100 / 1902 / TAIWAN", "LPC1768FBD100", "1902"),
    ("MT29F4G08ABADAWP:D", "MT29F4G08ABADAWP:D", None),
    ("MAX3232 / ECUE+ / 2047", "MAX3232ECUE+", "2047"),
    ("LTC6655BHMS8-2.5 / 1514", "LTC6655BHMS8-2.5", "1514"),
    ("STM32F407 VGT6 2153", "STM32F407VGT6", "2153"),
    ("ADM3202 ARNZ  # 2135", "ADM3202ARNZ", "2135"),
    # Cyrillic look-alike letters typed on a Ukrainian or Russian keyboard
    ("STМ32F405RGT6", "STM32F405RGT6", None),
    ("АТМЕGА328Р-АU / 1723", "ATMEGA328P-AU", "1723"),
    ("МАХ2769ЕТІ+", "MAX2769ETI+", None),
    ("СС1101 / ТІ / 37К", "CC1101", "37K"),
    ("Мікроконтролер STМ32F103C8T6", "STM32F103C8T6", None),
    ("Контролер ATMEGA328P-AU 1723", "ATMEGA328P-AU", "1723"),
    # OCR confusions: the printed spelling stays first; the date is read through them
    ("STM32F4O7VGT6 / 2I35", "STM32F4O7VGT6", "2135"),
    ("ADM32O2 ARNZ #2I35", "ADM32O2ARNZ", "2135"),
    # messy free text
    ("  stm32f103c8t6 ,  GD  ", "STM32F103C8T6", None),
    ("Microcontroller 32-bit STM32H743VIT6 made in Malaysia", "STM32H743VIT6", None),
    ("part: ‘AD9361BBCZ’ — date 1719", "AD9361BBCZ", "1719"),
    ("ADG 1419 BRMZ / #1931", "ADG1419BRMZ", "1931"),  # letters typed apart from the digits
    ("MAX 3221EAE+ 2014", "MAX3221EAE+", "2014"),
    ("LTC 6655BHMS8 1514", "LTC6655BHMS8", "1514"),
    ("RS-485 transceiver, SOIC-8, 3V-3.6V, ±15kV ADM3485EARZ 1921", "ADM3485EARZ", "1921"),
    ("DC-6GHz 25W RF transistor CGH40025F", "CGH40025F", None),
    ("100-TQFP STM32F407VGT6", "STM32F407VGT6", None),
    ("TPS2113 / 2BA", "TPS2113", "2BA"),  # ends in four digits, still the part
    ("(no marking visible)", None, None),
    ("???", None, None),
    ("", None, None),
]


@pytest.mark.parametrize(("marking", "part", "date"), PART_AND_DATE)
def test_part_number(marking: str, part: str | None, date: str | None) -> None:
    assert parse_marking(marking, logos=LOGOS).part_number == part


@pytest.mark.parametrize(("marking", "part", "date"), PART_AND_DATE)
def test_date_code(marking: str, part: str | None, date: str | None) -> None:
    assert parse_marking(marking, logos=LOGOS).date_code == date


@pytest.mark.parametrize(
    ("marking", "candidate"),
    [
        ("STM32F407 / VGT6 / GH21V 93 / CHN 144", "STM32F407"),
        ("MAX2769 (MAX2769ETI+)", "MAX2769"),
        ("ADM3202 ARNZ #2135", "ADM3202"),
        ("STM32F4O7VGT6 / 2I35", "STM32F407VGT6"),
        ("ADM32O2 ARNZ #2I35", "ADM3202ARNZ"),
        ("AD9361 / BBCZ / #1719 / PHILIPPINES", "AD9361"),
    ],
)
def test_part_candidates_keep_the_alternatives(marking: str, candidate: str) -> None:
    assert candidate in parse_marking(marking, logos=LOGOS).part_candidates


@pytest.mark.parametrize(
    ("marking", "not_a_candidate"),
    [
        ("W25Q128JVSQ / 1937 / CHINA", "W250128JVSQ"),  # Q between digits is real here
        ("STM32L476RGT6", "STM321476RGT6"),  # so is L
        ("LM358 / RoHS / e3 / 2047", "E3"),
        ("ADF4351 / BCPZ / 1641 / 2718559", "2718559"),
        ("  stm32f103c8t6 ,  GD  ", "STM32F103C8T6GD"),
    ],
)
def test_part_candidates_leave_out(marking: str, not_a_candidate: str) -> None:
    assert not_a_candidate not in parse_marking(marking, logos=LOGOS).part_candidates


@pytest.mark.parametrize(
    ("marking", "dates"),
    [
        ("XC7A35T / FTG256ABX1707 / D4451592A / 1C", ("1707", "1C")),
        ("ADF4351 / BCPZ / 1641 / 2718559", ("1641",)),
        ("STM32F407 / VGT6 / GH21V 93 / CHN 144", ("144",)),
    ],
)
def test_date_candidates(marking: str, dates: tuple[str, ...]) -> None:
    assert parse_marking(marking, logos=LOGOS).date_candidates == dates


@pytest.mark.parametrize(
    ("marking", "lot"),
    [
        ("XC7A35T / FTG256ABX1707 / D4451592A / 1C", "D4451592A"),
        ("ADF4351 / BCPZ / 1641 / 2718559", "2718559"),
        ("TI 2BA C3AD TPS7A4501", "C3AD"),
        ("STM32F407 / VGT6 / GH21V 93 / CHN 144", "GH21V"),
        ("CY7C68013A-56PVXC / 1648 / CYP 634572", "634572"),
        ("MAX2769 (MAX2769ETI+)", None),
        ("SN74HC595N", None),
    ],
)
def test_lot(marking: str, lot: str | None) -> None:
    assert parse_marking(marking, logos=LOGOS).lot == lot


@pytest.mark.parametrize(
    ("marking", "origin_text", "country"),
    [
        ("STM32F407 / VGT6 / GH21V 93 / CHN 144", "CHN", "CN"),
        ("MAX232CPE+ / 2216 / MALAYSIA", "MALAYSIA", "MY"),
        ("AD9361 / BBCZ / #1719 / PHILIPPINES", "PHILIPPINES", "PH"),
        ("Made in Japan RENESAS R5F100LEA 1912", "MADE IN JAPAN", "JP"),
        ("STM32H743VIT6 made in Malaysia", "MADE IN MALAYSIA", "MY"),
        ("KOREA / K9F1G08U0E-SCB0", "KOREA", None),
        ("• STM32F103 / C8T6 / 991KA 93 / MYS 826", "MYS", "MY"),
        ("TLV1117 / MADE IN TAIWAN", "MADE IN TAIWAN", "TW"),
        ("SN74HC595N", None, None),
    ],
)
def test_origin(marking: str, origin_text: str | None, country: str | None) -> None:
    parsed = parse_marking(marking, logos=LOGOS)
    assert (parsed.origin_text, parsed.origin_country) == (origin_text, country)


@pytest.mark.parametrize(
    ("marking", "logo"),
    [
        ("TI 2BA C3AD TPS7A4501", "TI"),
        ("ANALOG DEVICES AD7606BSTZ 1921", "ANALOG DEVICES"),
        ("СС1101 / ТІ / 37К", "TI"),
        ("ISSI / IS42S16400J-7TL / 1734 / TAIWAN", None),  # not among the known logos
        ("GPS receiver u-blox NEO-6M", "U-BLOX"),
    ],
)
def test_logo(marking: str, logo: str | None) -> None:
    assert parse_marking(marking, logos=LOGOS).logo_text == logo


def test_logo_needs_the_caller_to_know_it() -> None:
    assert parse_marking("TI 2BA C3AD TPS7A4501").logo_text is None


@pytest.mark.parametrize(
    ("marking", "description"),
    [
        ("Microcontroller 32-bit STM32H743VIT6", "Microcontroller 32-bit"),
        ("Voltage regulator LM317T", "Voltage regulator"),
        ("Мікроконтролер STМ32F103C8T6", "Мікроконтролер"),
        ("GPS receiver u-blox NEO-6M", "GPS receiver"),
        ("STM32F407 / VGT6", None),
    ],
)
def test_description(marking: str, description: str | None) -> None:
    assert parse_marking(marking, logos=LOGOS).description == description


@pytest.mark.parametrize(
    ("marking", "lines"),
    [
        ("STM32F407 / VGT6 / GH21V 93 / CHN 144", ("STM32F407", "VGT6", "GH21V 93", "CHN 144")),
        ("PIC16F877A-I/P / 1042NBQ", ("PIC16F877A-I/P", "1042NBQ")),
        ("ADM3202\r\nARNZ\n\n#2135", ("ADM3202", "ARNZ", "#2135")),
    ],
)
def test_lines(marking: str, lines: tuple[str, ...]) -> None:
    assert parse_marking(marking).lines == lines


def test_raw_is_kept_verbatim() -> None:
    raw = "  STМ32F407 / VGT6  "
    assert parse_marking(raw).raw == raw


def test_every_token_has_a_known_kind() -> None:
    parsed = parse_marking("ST • STM32F407 / VGT6 / GH21V 93 / CHN 144 e3 RoHS", logos=LOGOS)
    assert {token.kind for token in parsed.tokens} <= set(KINDS)


def test_tokens_keep_every_printed_token() -> None:
    parsed = parse_marking("STM32F407 / VGT6 / GH21V 93 / CHN 144")
    assert [t.text for t in parsed.tokens] == ["STM32F407", "VGT6", "GH21V", "93", "CHN", "144"]


def test_markers_are_not_candidates() -> None:
    parsed = parse_marking("LM358 / RoHS / e3 / 2047")
    kinds = {t.text: t.kind for t in parsed.tokens}
    assert (kinds["ROHS"], kinds["E3"]) == ("other", "other")


@given(st.text(max_size=80))
def test_any_text_parses_and_keeps_raw(text: str) -> None:
    assert parse_marking(text, logos=LOGOS).raw == text
