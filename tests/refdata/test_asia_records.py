"""Checks on the Asian and rest-of-world manufacturer records (asia.yaml, other.yaml).

The first half reads the two YAML files directly, so their own rules (unique ids, sourced
fields, ISO countries, the region each file covers) are checked even without the loader.
The second half asks the loaded registry about well-known makers, brand successions and
part-number prefixes found in documented weapon components.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from armtrace.refdata.manufacturers import load_registry

DATA = Path(__file__).parents[2] / "src" / "armtrace" / "refdata" / "data" / "manufacturers"
ASIA_COUNTRIES = frozenset({"JP", "KR", "TW", "CN", "HK", "SG", "MY", "IN", "TH", "PH", "VN"})
SUPPORTABLE = ("name", "country", "aliases", "former_names", "logos", "prefixes", "kinds",
               "successor")  # fmt: skip


def _records(file_name: str) -> list[dict[str, Any]]:
    records = yaml.safe_load((DATA / file_name).read_text(encoding="utf-8"))
    assert isinstance(records, list)
    return records


ASIA = _records("asia.yaml")
OTHER = _records("other.yaml")
OURS = ASIA + OTHER


def _id(record: dict[str, Any]) -> str:
    return str(record["id"])


def test_asia_file_covers_at_least_240_makers() -> None:
    assert len(ASIA) >= 240


def test_ids_are_unique_across_our_files() -> None:
    ids = [_id(r) for r in OURS]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


@pytest.mark.parametrize("record", OURS, ids=_id)
def test_every_filled_field_has_a_source(record: dict[str, Any]) -> None:
    supported = {fact for source in record["sources"] for fact in source["supports"]}
    filled = {field for field in SUPPORTABLE if record.get(field)}
    assert filled - supported == set()


@pytest.mark.parametrize("record", OURS, ids=_id)
def test_country_is_iso_alpha2(record: dict[str, Any]) -> None:
    assert pycountry.countries.get(alpha_2=record["country"]) is not None


@pytest.mark.parametrize("record", ASIA, ids=_id)
def test_asia_file_holds_only_asian_headquarters(record: dict[str, Any]) -> None:
    assert record["country"] in ASIA_COUNTRIES


@pytest.mark.parametrize("record", OTHER, ids=_id)
def test_other_file_holds_no_asian_headquarters(record: dict[str, Any]) -> None:
    assert record["country"] not in ASIA_COUNTRIES


@pytest.mark.parametrize(
    ("maker_id", "country"),
    [
        ("murata", "JP"), ("renesas", "JP"), ("kioxia", "JP"), ("elpida", "JP"),
        ("samsung-electronics", "KR"), ("sk-hynix", "KR"), ("tsmc", "TW"), ("yageo", "TW"),
        ("nuvoton", "TW"), ("mediatek", "TW"), ("gigadevice", "CN"), ("espressif", "CN"),
        ("wingtech", "CN"), ("dji", "CN"), ("solomon-systech", "HK"), ("flex", "SG"),
        ("unisem", "MY"), ("cdil", "IN"), ("hana-microelectronics", "TH"), ("imi", "PH"),
        ("aselsan", "TR"), ("hesa", "IR"), ("edge-group", "AE"), ("codan", "AU"),
    ],
)  # fmt: skip
def test_headquarters_country(maker_id: str, country: str) -> None:
    assert load_registry().get(maker_id).country == country


@pytest.mark.parametrize(
    ("maker_id", "owner_id"),
    [
        ("elpida", "micron"),
        ("renesas-technology", "renesas"),
        ("lapis", "rohm"),
        ("new-japan-radio", "nisshinbo-micro-devices"),
        ("ricoh-electronic-devices", "nisshinbo-micro-devices"),
        ("sanyo-semiconductor", "onsemi"),
        ("lite-on-semiconductor", "diodes"),
        ("panasonic-semiconductor-solutions", "nuvoton"),
        ("mitsumi", "minebeamitsumi"),
        ("stats-chippac", "jcet"),
        ("murata", "murata"),
    ],
)
def test_current_owner(maker_id: str, owner_id: str) -> None:
    assert load_registry().current_owner(maker_id).id == owner_id


@pytest.mark.parametrize(
    ("maker_id", "when", "owner_id"),
    [
        ("elpida", datetime.date(2013, 7, 30), "elpida"),
        ("elpida", datetime.date(2013, 7, 31), "micron"),
        ("lapis", datetime.date(2008, 9, 30), "lapis"),
        ("lapis", datetime.date(2008, 10, 1), "rohm"),
        # The merger is sourced to the month only, so it counts from the month after.
        ("ricoh-electronic-devices", datetime.date(2022, 1, 15), "ricoh-electronic-devices"),
        ("ricoh-electronic-devices", datetime.date(2022, 2, 1), "nisshinbo-micro-devices"),
        ("panasonic-semiconductor-solutions", datetime.date(2020, 9, 1), "nuvoton"),
        # An undated takeover never counts for a date.
        ("stats-chippac", datetime.date(2024, 1, 1), "stats-chippac"),
    ],
)
def test_owner_on(maker_id: str, when: datetime.date, owner_id: str) -> None:
    assert load_registry().owner_on(maker_id, when).id == owner_id


@pytest.mark.parametrize(
    ("name", "maker_id"),
    [
        ("NEC Electronics Corporation", "renesas"),
        ("Toshiba Memory", "kioxia"),
        ("Hynix Semiconductor", "sk-hynix"),
        ("Matsushita Electric Industrial Co., Ltd.", "panasonic"),
        ("Alps Electric", "alps-alpine"),
        ("OKI Semiconductor", "lapis"),
        ("株式会社村田製作所", "murata"),
        ("兆易创新", "gigadevice"),
        ("乐鑫", "espressif"),
        ("台積電", "tsmc"),
        ("新唐科技", "nuvoton"),
        ("Hon Hai", "foxconn"),
        ("Flextronics", "flex"),
    ],
)
def test_resolve_name(name: str, maker_id: str) -> None:
    maker = load_registry().resolve_name(name)
    assert maker is not None and maker.id == maker_id


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("GD32F103C8T6", "gigadevice"),
        ("ESP32-WROOM-32", "espressif"),
        ("W25Q128JVSIQ", "winbond"),
        ("MX25L6406EM2I", "macronix"),
        ("RTL8211F", "realtek"),
        ("MT6261DA", "mediatek"),
        ("XC6206P332MR", "torex"),
        ("H5TQ4G63CFR", "sk-hynix"),
        ("K4B4G1646E", "samsung-electronics"),
        ("TC58NVG0S3HTA00", "kioxia"),
        ("NT5CB256M16DP", "nanya"),
        ("APM32F103CBT6", "geehy"),
        ("R5F100LEA", "renesas"),
        ("GRM155R71C104KA88", "murata"),
    ],
)
def test_prefix_names_the_maker(part_number: str, maker_id: str) -> None:
    matches = load_registry().by_prefix(part_number)
    assert matches and matches[0][0].id == maker_id
