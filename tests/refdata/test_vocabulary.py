"""Bundled vocabularies load and validate; free text resolves as investigators write it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from armtrace.errors import ReferenceDataError
from armtrace.refdata import vocabulary as v


def test_all_bundled_files_load() -> None:
    assert len(v.load_hs_codes()) >= 50
    assert len(v.load_component_kinds()) >= 40
    assert len(v.load_item_types()) >= 15
    assert len(v.load_weapon_systems()) >= 30


def test_chpl_has_fifty_codes_in_six_tiers() -> None:
    chpl = v.load_chpl()
    counts = Counter(item.tier for item in chpl.items)
    assert counts == {"1": 4, "2": 5, "3.A": 16, "3.B": 9, "4.A": 11, "4.B": 5}


def test_chpl_records_its_version_and_source() -> None:
    chpl = v.load_chpl()
    assert chpl.version == "2024-02-23"
    assert any("bis.gov" in source.url for source in chpl.sources)


def test_every_chpl_code_is_a_known_hs_code() -> None:
    assert {item.code for item in v.load_chpl().items} <= set(v.load_hs_codes())


def test_every_weapon_system_and_mapped_kind_has_sources() -> None:
    assert all(s.sources for s in v.load_weapon_systems().values())
    assert all(k.sources for k in v.load_component_kinds().values() if k.hs_codes)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Microcontroller 32-bit", "microcontroller"),
        ("microcontroller ARM Cortex-M4", "microcontroller"),
        ("мікроконтролер", "microcontroller"),
        ("микроконтроллер", "microcontroller"),
        ("микроконтроллера STM32", "microcontroller"),
        ("MCU", "microcontroller"),
        ("uC", "microcontroller"),
        ("\u00b5C", "microcontroller"),
        ("FPGA", "fpga"),
        ("ПЛИС Xilinx", "fpga"),
        ("DSP", "dsp"),
        ("Flash memory 16Mbit", "flash_memory"),
        ("NOR flash", "flash_memory"),
        ("флеш-память", "flash_memory"),
        ("DDR3 SDRAM", "dram"),
        ("serial EEPROM", "eeprom"),
        ("ADC 16-bit", "adc"),
        ("АЦП", "adc"),
        ("op-amp", "op_amp"),
        ("Operational amplifier, dual", "op_amp"),
        ("LDO voltage regulator 3.3V", "voltage_regulator"),
        ("DC-DC converter", "dc_dc_converter"),
        ("DC/DC converter module", "dc_dc_converter"),
        ("Power MOSFET N-channel", "mosfet"),
        ("IGBT module", "igbt"),
        ("Schottky diode", "diode"),
        ("діод", "diode"),
        ("RS-485 transceiver", "interface_ic"),
        ("LNA", "rf_amplifier"),
        ("GPS module", "gnss_module"),
        ("GNSS receiver u-blox", "gnss_module"),
        ("модуль GPS", "gnss_module"),
        ("GPS antenna", "antenna"),
        ("CRPA antenna", "antenna"),
        ("MEMS gyroscope", "imu"),
        ("акселерометр", "imu"),
        ("pressure sensor", "pressure_sensor"),
        ("Crystal 16 MHz", "crystal"),
        ("кварцевый резонатор", "crystal"),
        ("TCXO", "oscillator"),
        ("Tantalum capacitor 10uF", "capacitor_tantalum"),
        ("Capacitor, tantalum", "capacitor_tantalum"),
        ("танталовий конденсатор", "capacitor_tantalum"),
        ("MLCC 100nF", "capacitor_ceramic"),
        ("aluminium electrolytic capacitor", "capacitor_aluminium"),
        ("конденсатори", "capacitor"),
        ("chip resistor 10k", "resistor"),
        ("резистор", "resistor"),
        ("power inductor", "inductor"),
        ("pulse transformer", "transformer"),
        ("SMA connector", "connector"),
        ("роз'єм", "connector"),
        ("relay", "relay"),
        ("fuse", "fuse"),
        ("Li-ion battery pack", "battery_lithium_ion"),
        ("servo", "servo_motor"),
        ("BLDC motor", "brushless_motor"),
        ("two-stroke engine", "piston_engine"),
        ("thermal camera", "camera_module"),
        ("друкована плата", "pcb"),
        ("coaxial cable", "coaxial_cable"),
        ("ball bearing", "ball_bearing"),
    ],
)
def test_kind_for_text(text: str, kind: str) -> None:
    found = v.kind_for_text(text)
    assert found is not None and found.id == kind


@pytest.mark.parametrize("text", ["", "unidentified", "part no. 1234", "чип"])
def test_kind_for_text_returns_none_for_unknown(text: str) -> None:
    assert v.kind_for_text(text) is None


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("microcontroller", ("854231",)),
        ("flash_memory", ("854232",)),
        ("op_amp", ("854233",)),
        ("adc", ("854239",)),
        ("capacitor_tantalum", ("853221",)),
        ("gnss_module", ("852691",)),
        ("mosfet", ("854121", "854129")),
        ("imu", ()),
    ],
)
def test_hs_for_kind(kind: str, codes: tuple[str, ...]) -> None:
    assert v.hs_for_kind(kind) == codes


@pytest.mark.parametrize(
    ("code", "tier"),
    [
        ("854231", "1"),
        ("8542.31", "1"),
        ("8542.39.0090", "1"),
        ("852691", "2"),
        ("8532.24", "2"),
        ("8541.60", "3.A"),
        ("8807.30", "3.B"),
        ("9014.20", "3.B"),
        ("853400", "4.A"),
        ("8457.10", "4.B"),
        ("850760", None),
        ("853321", None),
    ],
)
def test_chpl_tier(code: str, tier: str | None) -> None:
    assert v.chpl_tier(code) == tier


@pytest.mark.parametrize(
    ("text", "system"),
    [
        ("Shahed-136", "shahed_136"),
        ("shahed 136", "shahed_136"),
        ("Герань-2", "shahed_136"),
        ("GERAN-2", "shahed_136"),
        ("M214 Geran-2", "shahed_136"),
        ("Shahed-131", "shahed_131"),
        ("Герань-1", "shahed_131"),
        ("Geran-3", "geran_3"),
        ("KN-23", "kn_23"),
        ("Hwasong-11Ga", "kn_23"),
        ("KN-24", "kn_24"),
        ("Iskander-M", "iskander_m"),
        ("Искандер-М", "iskander_m"),
        ("9M723", "iskander_m"),
        ("9M728", "iskander_k"),
        ("Kh-101", "kh_101"),
        ("X-101", "kh_101"),
        ("Х-101", "kh_101"),
        ("kh101", "kh_101"),
        ("remnants of a Kh-101 cruise missile", "kh_101"),
        ("Kh-555", "kh_555"),
        ("Kh-59MK2", None),
        ("Kh-59", "kh_59"),
        ("Kh-22", "kh_22"),
        ("Kh-32", "kh_32"),
        ("Kalibr", "kalibr"),
        ("Калибр", "kalibr"),
        ("Kinzhal", "kinzhal"),
        ("Kh-47M2", "kinzhal"),
        ("P-800 Oniks", "oniks"),
        ("S-300", "s_300_ground_attack"),
        ("Tochka-U", "tochka_u"),
        ("Точка-У", "tochka_u"),
        ("Lancet-3", "lancet"),
        ("Orlan-10", "orlan_10"),
        ("Орлан-10", "orlan_10"),
        ("ZALA 421-16E", "zala_421_16e"),
        ("Supercam", "supercam"),
        ("Merlin-VR", "merlin_vr"),
        ("Gerbera", "gerbera"),
        ("Mohajer-6", "mohajer_6"),
        ("BM-21 Grad", "bm_21_grad"),
        ("9M22U", "bm_21_grad"),
        ("Uragan", "bm_27_uragan"),
        ("BM-30 Smerch", "bm_30_smerch"),
        ("Tornado-S", "tornado_s"),
        ("KN-25", "kn_25"),
        ("Zolfaghar", "zolfaghar"),
        ("Fateh-110", "fateh_110"),
        ("ФАБ-500 з УМПК", "fab_500"),
        ("UMPK", "umpk"),
        ("Patriot", None),
    ],
)
def test_weapon_system_for_text(text: str, system: str | None) -> None:
    found = v.weapon_system_for_text(text)
    assert (found.id if found else None) == system


@pytest.mark.parametrize(
    ("text", "systems"),
    [
        ("KN-23/24", {"kn_23", "kn_24"}),
        ("Hwasong-11", {"kn_23", "kn_24"}),
        ("Shahed-131/136", {"shahed_131", "shahed_136"}),
        ("Iskander", {"iskander_m", "iskander_k"}),
    ],
)
def test_shared_names_are_ambiguous(text: str, systems: set[str]) -> None:
    assert v.weapon_system_for_text(text) is None
    assert {s.id for s in v.weapon_systems_for_text(text)} == systems


def test_weapon_systems_reference_known_item_types() -> None:
    item_types = v.load_item_types()
    assert all(s.item_type in item_types for s in v.load_weapon_systems().values())


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SOURCE = "    sources: [{url: 'https://example.org/report'}]\n"


def test_weapon_system_without_source_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "ws.yaml", "weapon_systems:\n  - id: x\n    name: X\n"
                  "    item_type: cruise_missile\n    origin_country: RU\n")  # fmt: skip
    with pytest.raises(ReferenceDataError, match=r"ws\.yaml: record 'x': has no sources"):
        v.load_weapon_systems(path)


def test_unknown_item_type_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "ws.yaml", "weapon_systems:\n  - id: x\n    name: X\n"
                  "    item_type: spaceship\n    origin_country: RU\n" + SOURCE)  # fmt: skip
    with pytest.raises(ReferenceDataError, match="unknown item_type 'spaceship'"):
        v.load_weapon_systems(path)


def test_bad_country_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "ws.yaml", "weapon_systems:\n  - id: x\n    name: X\n"
                  "    item_type: cruise_missile\n    origin_country: XX\n" + SOURCE)  # fmt: skip
    with pytest.raises(ReferenceDataError, match="origin_country 'XX'"):
        v.load_weapon_systems(path)


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    record = "  - id: x\n    name: X\n    item_type: cruise_missile\n    origin_country: RU\n"
    path = _write(tmp_path, "ws.yaml", "weapon_systems:\n" + (record + SOURCE) * 2)
    with pytest.raises(ReferenceDataError, match="record 'x': missing or duplicate id"):
        v.load_weapon_systems(path)


def test_unknown_related_system_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "ws.yaml", "weapon_systems:\n  - id: x\n    name: X\n"
                  "    item_type: cruise_missile\n    origin_country: RU\n"
                  "    related: [{id: y, relation: sibling}]\n" + SOURCE)  # fmt: skip
    with pytest.raises(ReferenceDataError, match=r"related system\(s\) \['y'\]"):
        v.load_weapon_systems(path)


def test_kind_with_unknown_hs_code_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "kinds.yaml", "kinds:\n  - id: widget\n    aliases: [widget]\n"
                  "    hs_codes: ['999999']\n" + SOURCE)  # fmt: skip
    with pytest.raises(ReferenceDataError, match=r"kinds\.yaml: record 'widget': HS code '999999'"):
        v.load_component_kinds(path)


def test_kind_mapping_without_source_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "kinds.yaml", "kinds:\n  - id: widget\n    hs_codes: ['854231']\n")
    with pytest.raises(ReferenceDataError, match="record 'widget': has no sources"):
        v.load_component_kinds(path)


def test_alias_naming_two_kinds_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "kinds.yaml", "kinds:\n  - id: a\n    aliases: [gizmo]\n"
                  "  - id: b\n    aliases: [Gizmo]\n")  # fmt: skip
    with pytest.raises(ReferenceDataError, match=r"kinds\.yaml: alias 'gizmo' names \['a', 'b'\]"):
        v.load_component_kinds(path)


def test_malformed_hs_code_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "hs.yaml", "codes:\n  - code: '8542.31'\n    description: ICs\n" + SOURCE
    )
    with pytest.raises(ReferenceDataError, match=r"hs\.yaml: record '8542\.31': code must be six"):
        v.load_hs_codes(path)


def test_chpl_item_with_unknown_tier_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "chpl.yaml", "version: x\nsources: [{url: 'https://bis.gov'}]\n"
                  "tiers: [{id: '1', name: Tier 1, definition: d}]\n"
                  "items: [{code: '854231', tier: '9'}]\n")  # fmt: skip
    with pytest.raises(ReferenceDataError, match="record '854231': unknown tier '9'"):
        v.load_chpl(path)


def test_file_that_is_not_yaml_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "items.yaml", "item_types: [unclosed\n")
    with pytest.raises(ReferenceDataError, match=r"items\.yaml: cannot read"):
        v.load_item_types(path)
