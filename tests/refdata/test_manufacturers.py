"""The manufacturer registry: bundled records, look-ups, ownership over time and validation."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from armtrace.errors import NotFound, ReferenceDataError
from armtrace.refdata.countries import country_name, is_country_code
from armtrace.refdata.manufacturers import Registry, bundled_paths, load_registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def test_bundled_files_load_with_many_records(registry: Registry) -> None:
    assert len(registry) >= 200


def test_every_record_has_a_source(registry: Registry) -> None:
    assert all(maker.sources for maker in registry)


def test_every_successor_resolves(registry: Registry) -> None:
    for maker in registry:
        if maker.successor is not None:
            assert registry.get(maker.successor.successor_id).id == maker.successor.successor_id


def test_own_files_are_bundled() -> None:
    names = {path.name for path in bundled_paths()}
    assert {"americas.yaml", "europe.yaml"} <= names


@pytest.mark.parametrize(
    ("maker_id", "country"),
    [
        ("analog-devices", "US"),
        ("linear-technology", "US"),
        ("stmicroelectronics", "CH"),
        ("infineon", "DE"),
        ("nxp", "NL"),
        ("nordic-semiconductor", "NO"),
        ("u-blox", "CH"),
        ("te-connectivity", "IE"),
        ("milandr", "RU"),
        ("integral", "BY"),
        ("tower-semiconductor", "IL"),
        ("future-electronics", "CA"),
    ],
)
def test_headquarters_country(registry: Registry, maker_id: str, country: str) -> None:
    assert registry.get(maker_id).country == country


def test_get_unknown_id_raises_not_found(registry: Registry) -> None:
    with pytest.raises(NotFound):
        registry.get("no-such-maker")


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("LTC3780", "linear-technology"),
        ("LTC3780EG#PBF", "linear-technology"),
        ("LTM4644", "linear-technology"),
        ("MAX232", "maxim"),
        ("MAX3232ESE", "maxim"),
        ("STM32F407VGT6", "stmicroelectronics"),
        ("ATMEGA328P", "atmel"),
        ("atmega328p-au", "atmel"),
        ("ATTINY85", "atmel"),
        ("XC7A35T", "xilinx"),
        ("XC6SLX9", "xilinx"),
        ("EPM1270T144", "altera"),
        ("ADXL345", "analog-devices"),
        ("ADUM1201", "analog-devices"),
        ("HMC830", "hittite"),
        ("IRF540N", "international-rectifier"),
        ("MPU-6050", "tdk-invensense"),
        ("NRF52832", "nordic-semiconductor"),
        ("FT232RL", "ftdi"),
        ("DS18B20", "dallas-semiconductor"),
        ("PIC16F877A", "microchip"),
        ("EFM32GG990", "silicon-labs"),
        ("SX1276", "semtech"),
        ("BMP280", "bosch"),
        ("MLX90614", "melexis"),
    ],
)
def test_by_prefix_finds_maker(registry: Registry, part_number: str, maker_id: str) -> None:
    assert maker_id in {maker.id for maker, _ in registry.by_prefix(part_number)}


def test_by_prefix_longest_first(registry: Registry) -> None:
    prefixes = [prefix for _, prefix in registry.by_prefix("LTC3780")]
    assert prefixes == sorted(prefixes, key=len, reverse=True)


def test_by_prefix_longest_match_is_linear_for_ltc(registry: Registry) -> None:
    maker, prefix = registry.by_prefix("LTC3780")[0]
    assert (maker.id, prefix) == ("linear-technology", "LTC")


def test_by_prefix_unknown_part(registry: Registry) -> None:
    assert registry.by_prefix("QQQ999") == []


@pytest.mark.parametrize(
    ("name", "maker_id"),
    [
        ("Analog Devices Inc.", "analog-devices"),
        ("ANALOG DEVICES", "analog-devices"),
        ("ADI", "analog-devices"),
        ("ON Semiconductor", "onsemi"),
        ("onsemi", "onsemi"),
        ("Maxim Integrated Products, Inc.", "maxim"),
        ("Maxim", "maxim"),
        ("Linear Technology Corp.", "linear-technology"),
        ("Avago Technologies", "broadcom"),
        ("Broadcom Inc.", "broadcom"),
        ("SGS-Thomson Microelectronics", "stmicroelectronics"),
        ("ST Microelectronics", "stmicroelectronics"),
        ("Cree, Inc.", "wolfspeed"),
        ("u-blox AG", "u-blox"),
        ("ublox", "u-blox"),
        ("Würth Elektronik", "wurth-elektronik"),
        ("Wurth Elektronik GmbH & Co. KG", "wurth-elektronik"),
        ("Digi-Key Electronics", "digi-key"),
        ("Миландр", "milandr"),
        ("Electrocomponents plc", "rs-group"),
        ("xilinx", "xilinx"),
    ],
)
def test_resolve_name(registry: Registry, name: str, maker_id: str) -> None:
    maker = registry.resolve_name(name)
    assert maker is not None and maker.id == maker_id


def test_resolve_unknown_name(registry: Registry) -> None:
    assert registry.resolve_name("No Such Components GmbH") is None


@pytest.mark.parametrize(
    ("logo", "maker_id"),
    [("MAXIM", "maxim"), ("maxim", "maxim"), ("ATMEL", "atmel"), ("U-BLOX", "u-blox")],
)
def test_by_logo(registry: Registry, logo: str, maker_id: str) -> None:
    assert maker_id in {maker.id for maker in registry.by_logo(logo)}


@pytest.mark.parametrize(
    ("maker_id", "chain"),
    [
        ("linear-technology", ["linear-technology", "analog-devices"]),
        ("dallas-semiconductor", ["dallas-semiconductor", "maxim", "analog-devices"]),
        ("actel", ["actel", "microsemi", "microchip"]),
        ("spansion", ["spansion", "cypress", "infineon"]),
        ("motorola-semiconductor", ["motorola-semiconductor", "freescale", "nxp"]),
        ("analog-devices", ["analog-devices"]),
    ],
)
def test_owner_chain(registry: Registry, maker_id: str, chain: list[str]) -> None:
    assert [maker.id for maker in registry.owner_chain(maker_id)] == chain


@pytest.mark.parametrize(
    ("maker_id", "owner_id"),
    [("zilog", "littelfuse"), ("xilinx", "amd"), ("fairchild", "onsemi"), ("nxp", "nxp")],
)
def test_current_owner(registry: Registry, maker_id: str, owner_id: str) -> None:
    assert registry.current_owner(maker_id).id == owner_id


@pytest.mark.parametrize(
    ("maker_id", "when", "owner_id"),
    [
        ("linear-technology", datetime.date(2016, 6, 1), "linear-technology"),
        ("linear-technology", datetime.date(2017, 3, 9), "linear-technology"),
        ("linear-technology", datetime.date(2017, 3, 10), "analog-devices"),
        ("linear-technology", datetime.date(2018, 6, 1), "analog-devices"),
        ("maxim", datetime.date(2021, 8, 25), "maxim"),
        ("maxim", datetime.date(2022, 1, 1), "analog-devices"),
        ("dallas-semiconductor", datetime.date(2000, 6, 1), "dallas-semiconductor"),
        ("dallas-semiconductor", datetime.date(2010, 1, 1), "maxim"),
        ("dallas-semiconductor", datetime.date(2023, 1, 1), "analog-devices"),
        # Year precision: during 2001 the takeover is not yet certain on a given day.
        ("dallas-semiconductor", datetime.date(2001, 12, 31), "dallas-semiconductor"),
        ("spansion", datetime.date(2018, 1, 1), "cypress"),
        ("spansion", datetime.date(2021, 1, 1), "infineon"),
    ],
)
def test_owner_on(registry: Registry, maker_id: str, when: datetime.date, owner_id: str) -> None:
    assert registry.owner_on(maker_id, when).id == owner_id


def test_load_registry_is_cached() -> None:
    assert load_registry() is load_registry()


@pytest.mark.parametrize(
    ("code", "valid"),
    [("US", True), ("TW", True), ("HK", True), ("XK", True), ("us", False), ("UK", False),
     ("USA", False), ("", False)],
)  # fmt: skip
def test_is_country_code(code: str, valid: bool) -> None:
    assert is_country_code(code) is valid


@pytest.mark.parametrize(
    ("code", "name"),
    [("TW", "Taiwan"), ("HK", "Hong Kong"), ("XK", "Kosovo"), ("DE", "Germany"),
     ("RU", "Russia")],
)  # fmt: skip
def test_country_name(code: str, name: str) -> None:
    assert country_name(code) == name


# ---------- validation on small files written for each case

GOOD = """
- id: acme
  name: Acme Components Inc.
  country: US
  kinds: [passive]
  sources:
    - url: https://example.org/acme
      supports: [name, country, kinds]
"""


def _write(tmp_path: Path, text: str, name: str = "test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads(tmp_path: Path) -> None:
    registry = load_registry([_write(tmp_path, GOOD)])
    assert registry.get("acme").short == "Acme Components Inc."


def test_country_no_stays_norway(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("country: US", "country: NO"))
    assert load_registry([path]).get("acme").country == "NO"


BAD_CASES = {
    "no source": GOOD.split("  sources:")[0],
    "empty sources": GOOD.split("  sources:")[0] + "  sources: []\n",
    "unsupported country": GOOD.replace("[name, country, kinds]", "[name, kinds]"),
    "unsupported prefixes": GOOD.replace("  kinds:", "  prefixes: [ACM]\n  kinds:"),
    "bad country": GOOD.replace("country: US", "country: USA"),
    "lower-case country": GOOD.replace("country: US", "country: us"),
    "bad kind": GOOD.replace("[passive]", "[widgets]"),
    "bad date": GOOD.replace(
        "  kinds:", "  successor: {id: acme, date: 2017-02-30, event: acquired}\n  kinds:"
    ).replace("kinds]", "kinds, successor]"),
    "unknown successor": GOOD.replace(
        "  kinds:", "  successor: {id: nobody, date: 2017-02-03, event: acquired}\n  kinds:"
    ).replace("kinds]", "kinds, successor]"),
    "month date not on the 1st": GOOD.replace(
        "  kinds:",
        "  successor: {id: acme, date: 2017-02-03, date_precision: month, event: acquired}\n"
        "  kinds:",
    ).replace("kinds]", "kinds, successor]"),
    "bad event": GOOD.replace(
        "  kinds:", "  successor: {id: acme, date: 2017-02-03, event: bought}\n  kinds:"
    ).replace("kinds]", "kinds, successor]"),
    "unknown field": GOOD.replace("  kinds:", "  colour: red\n  kinds:"),
    "bad id": GOOD.replace("id: acme", "id: Acme Inc"),
    "lower-case prefix": GOOD.replace("  kinds:", "  prefixes: [acm]\n  kinds:").replace(
        "kinds]", "kinds, prefixes]"
    ),
    "not a list": "id: acme\n",
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_record_is_rejected_naming_file_and_id(tmp_path: Path, case: str) -> None:
    path = _write(tmp_path, BAD_CASES[case])
    with pytest.raises(ReferenceDataError, match=r"test\.yaml"):
        load_registry([path])


def test_error_names_the_record(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("country: US", "country: USA"))
    with pytest.raises(ReferenceDataError, match="'acme'"):
        load_registry([path])


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    first = _write(tmp_path, GOOD, "first.yaml")
    second = _write(tmp_path, GOOD, "second.yaml")
    with pytest.raises(ReferenceDataError, match="duplicate id"):
        load_registry([first, second])


def test_successor_cycle(tmp_path: Path) -> None:
    def record(maker_id: str, successor: str) -> str:
        return (
            f"- id: {maker_id}\n  name: {maker_id}\n  kinds: [other]\n"
            f"  successor: {{id: {successor}, date: 2001-01-01, date_precision: year,"
            " event: merged}\n"
            "  sources: [{url: 'https://example.org', supports: [name, kinds, successor]}]\n"
        )

    path = _write(tmp_path, record("alpha", "beta") + record("beta", "alpha"))
    with pytest.raises(ReferenceDataError, match="cycle"):
        load_registry([path])
