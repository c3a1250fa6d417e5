"""Identification of real markings: maker, owner, headquarters country, date window, why."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys

import pytest

from armtrace.markings.identify import identify

# (marking as typed, maker id, current owner id or None, headquarters country)
KNOWN = [
    ("ADM3202 ARNZ #2135", "analog-devices", None, "US"),
    ("STM32F407 / VGT6 / GH21V 93 / CHN 144", "stmicroelectronics", None, "CH"),
    ("MAX2769 (MAX2769ETI+)", "maxim", "analog-devices", "US"),
    ("Microcontroller 32-bit STM32H743VIT6", "stmicroelectronics", None, "CH"),
    ("LTC3780 / 1523", "linear-technology", "analog-devices", "US"),
    ("XC7A35T / FTG256ABX1707", "xilinx", "amd", "US"),
    ("ATMEGA2560-16AU / 2217", "atmel", "microchip", "US"),
    ("IRLML6402 / 2145", "international-rectifier", "infineon", "US"),
    ("ТPS7А4501 / 2207", "texas-instruments", None, "US"),  # Cyrillic look-alikes typed
]


@pytest.mark.parametrize(("marking", "maker", "owner", "country"), KNOWN)
def test_known_markings(marking: str, maker: str, owner: str | None, country: str) -> None:
    result = identify(marking)
    assert result.manufacturer is not None, result.why
    assert (result.manufacturer.id, result.parent.id if result.parent else None) == (maker, owner)
    assert result.country == country and result.confidence >= 0.5 and result.why


@pytest.mark.parametrize(
    "marking", ["hello world", "UMPC №КН23-002-7876", "Conn_01x04", "", "1234"]
)
def test_no_maker_is_unknown_not_a_guess(marking: str) -> None:
    result = identify(marking)
    assert result.manufacturer is None and result.country is None
    assert "unknown" in result.why


def test_date_window_respects_documentation_day() -> None:
    result = identify("TPS7A4501 / 2310", documented_on=datetime.date(2024, 1, 2))
    assert result.date_code is not None
    assert (result.date_code.earliest, result.date_code.latest) == (
        datetime.date(2023, 3, 6),
        datetime.date(2023, 3, 12),
    )


def test_identify_json_contract() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "armtrace", "identify", "--json", "MAX2769 (MAX2769ETI+)", "xyz"],
        capture_output=True,
        text=True,
        check=True,
    )
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    for key in ("input", "part_number", "manufacturer", "parent", "country", "date_code",
                "confidence", "why"):  # fmt: skip
        assert key in first
    assert (first["manufacturer"], first["parent"], first["country"]) == (
        "Maxim Integrated",
        "Analog Devices",
        "US",
    )
    assert second["manufacturer"] is None and second["country"] is None
