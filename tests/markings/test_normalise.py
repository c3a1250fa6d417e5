"""Cleaning typed and OCR-read marking text: look-alike letters, unicode, lines and tokens."""

from __future__ import annotations

import pytest

from armtrace.markings import (
    clean_text,
    confusion_variants,
    fold_lookalikes,
    is_description_word,
    is_marker,
    split_lines,
    split_tokens,
)


@pytest.mark.parametrize(
    ("token", "folded"),
    [
        ("STМ32F407", "STM32F407"),  # Cyrillic М
        ("АТМЕGА328Р", "ATMEGA328P"),  # Cyrillic А Т М Е А Р
        ("МАХ2769", "MAX2769"),  # Cyrillic М А Х
        ("СС1101", "CC1101"),  # Cyrillic С С
        ("ТІ", "TI"),  # Cyrillic Т and Ukrainian І
        ("К4В4G1646Е", "K4B4G1646E"),  # Cyrillic К В Е
        ("ХС7А35Т", "XC7A35T"),
        ("mах232", "mAX232"),  # lower-case Cyrillic а х map to capitals
        ("ΑΤ24C02", "AT24C02"),  # Greek Α Τ
        ("Мікроконтролер", "Мікроконтролер"),  # л, п have no Latin twin: a real word stays
        ("Микроконтроллер", "Микроконтроллер"),
        ("STM32F407", "STM32F407"),
    ],
)
def test_fold_lookalikes(token: str, folded: str) -> None:
    assert fold_lookalikes(token) == folded


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("STM32F407\u00a0VGT6", "STM32F407 VGT6"),  # no-break space
        ("LM2596S\u20135.0", "LM2596S-5.0"),  # en dash
        ("AD9361\u200bBBCZ", "AD9361BBCZ"),  # zero-width space
        ("ＳＴＭ３２", "STM32"),  # full-width forms
        ("TI® TPS7A4501™", "TI TPS7A4501"),  # marks that NFKC would turn into "TM"
        ("  ADM3202   ARNZ ", "ADM3202 ARNZ"),
        ("STМ32\nМАХ232", "STM32\nMAX232"),
    ],
)
def test_clean_text(text: str, cleaned: str) -> None:
    assert clean_text(text) == cleaned


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("STM32F407 / VGT6 / CHN 144", ["STM32F407", "VGT6", "CHN 144"]),
        ("STM32F407/ VGT6 /CHN 144", ["STM32F407", "VGT6", "CHN 144"]),
        ("PIC16F877A-I/P / 1042NBQ", ["PIC16F877A-I/P", "1042NBQ"]),
        ("A\nB\r\nC\rD", ["A", "B", "C", "D"]),
        ("TPS7A4501 | 2BA | TI", ["TPS7A4501", "2BA", "TI"]),
        (" / / ", []),
    ],
)
def test_split_lines(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


@pytest.mark.parametrize(
    ("line", "tokens"),
    [
        ("MAX2769 (MAX2769ETI+)", [("MAX2769", False), ("MAX2769ETI+", True)]),
        ("ADM3202 ARNZ #2135", [("ADM3202", False), ("ARNZ", False), ("#2135", False)]),
        ("SN74HC595N, 1935.", [("SN74HC595N", False), ("1935", False)]),
        ("LM2596S-5.0", [("LM2596S-5.0", False)]),
        ("[AD9361 BBCZ] 1719", [("AD9361", True), ("BBCZ", True), ("1719", False)]),
        ('"XC7A35T"', [("XC7A35T", False)]),
    ],
)
def test_split_tokens(line: str, tokens: list[tuple[str, bool]]) -> None:
    assert split_tokens(line) == tokens


@pytest.mark.parametrize(
    ("token", "variant"),
    [
        ("STM32F4O7", "STM32F407"),
        ("ADM32O2", "ADM3202"),
        ("5N74HC595", "SN74HC595"),
        ("AT24CO2", "AT24C02"),
        ("LM3l7", "LM317"),
        ("IRF54ON", "IRF540N"),
        ("8SS138", "BSS138"),
        ("MC2Z", "MC22"),
        ("G4", "64"),
        ("STM32F407", "STM32F407"),  # the token itself is always a variant
    ],
)
def test_confusion_variants_include(token: str, variant: str) -> None:
    assert variant in confusion_variants(token)


@pytest.mark.parametrize(
    "token", ["STM32F407VGT6", "0O0O0O0O0O0O0O0O0O0O", "ISO5ISO5ISO5ISO5", "B8B8B8B8B8B8"]
)
def test_confusion_variants_are_bounded(token: str) -> None:
    assert len(confusion_variants(token, limit=50)) <= 50


def test_confusion_variants_of_a_plain_token() -> None:
    assert confusion_variants("ARNZ") == {"ARNZ", "ARN2"}


@pytest.mark.parametrize(
    ("token", "marker"),
    [
        ("RoHS", True), ("e3", True), ("E4", True), ("G4", True), ("•", True), ("#", True),
        ("Pb-free", True), ("ES", True), ("N", True),
        ("E31", False), ("GH21V", False), ("2135", False), ("STM32F407", False),
    ],
)  # fmt: skip
def test_is_marker(token: str, marker: bool) -> None:
    assert is_marker(token) is marker


@pytest.mark.parametrize(
    ("token", "describes"),
    [
        ("Microcontroller", True), ("regulator", True), ("32-bit", True), ("3.3V", True),
        ("3V-3.6V", True), ("DC-6GHz", True), ("0.1uF", True), ("SOIC-14", True),
        ("64-TQFP", True), ("RS-485", True), ("GPS", True), ("Мікроконтролер", True),
        ("of", True),
        ("1451A", False), ("2135", False), ("STM32F407", False), ("MAX2769ETI+", False),
        ("ATmega", False), ("TI", False), ("CC1101", False),
    ],
)  # fmt: skip
def test_is_description_word(token: str, describes: bool) -> None:
    assert is_description_word(token) is describes
