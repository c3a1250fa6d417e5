"""Write the bundled exercise case: src/armtrace/demo/data/exercise_case.csv.

EXERCISE DATA. The case is modelled on the public reporting of a KN-23/KN-24 missile documented in
Kharkiv, Ukraine in January 2024 (about 290 components from some 26 companies, most of them US
companies, latest date codes in 2023). The part numbers are real products of the named makers, but
which parts sit in which item, the date codes, lots, serials, sites and coordinates are invented
for the exercise and say nothing about any real weapon. Every row is marked exercise=yes.

A second, later block of rows (appended after the original ones, which it leaves unchanged)
adds one-way attack UAVs: two reference airframes an analyst attributed to the Shahed-136 /
Geran-2 type (exercise attributions), three undetermined airframes of one build documented in
three other cities (one with two burnt parts, one with a substitute flash chip), and a second
BM-21 rocket with a plant code and a year, for attribution by markings and serial search.

Run: python scripts/make_exercise_case.py  (deterministic; the output is committed)
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from armtrace.model.sheet import COLUMNS

OUT = Path(__file__).resolve().parents[1] / "src/armtrace/demo/data/exercise_case.csv"

# (marking first line, description, count in one missile, carries a date code)
PARTS: list[tuple[str, str, int, bool]] = [
    ("TPS7A4501", "low-dropout regulator", 6, True),
    ("SN74LVC245A", "bus transceiver", 8, True),
    ("SN65HVD230", "CAN transceiver", 3, True),
    ("TMS320F28335", "digital signal controller", 1, True),
    ("OPA2277UA", "operational amplifier", 6, True),
    ("ISO7241C", "digital isolator", 4, True),
    ("LM2596S-5.0", "step-down converter", 3, True),
    ("TPS54331", "DC-DC converter", 4, True),
    ("ADS1256IDB", "24-bit ADC", 2, True),
    ("ADM3202ARNZ", "RS-232 transceiver", 4, True),
    ("AD7606BSTZ", "8-channel ADC", 2, True),
    ("ADSP-BF592KCPZ", "Blackfin DSP", 1, True),
    ("AD8605ARTZ", "operational amplifier", 6, True),
    ("ADUM1201ARZ", "digital isolator", 4, True),
    ("ADXRS453BRGZ", "angular rate sensor (gyroscope)", 3, True),
    ("LT1763CS8-3.3", "low-dropout regulator", 4, True),
    ("LTC2950IDDB-1", "pushbutton controller", 1, False),
    ("LT3080EST", "linear regulator", 3, True),
    ("MAX2769ETI+", "GNSS receiver front end", 1, True),
    ("MAX3232ECSE+", "RS-232 transceiver", 3, True),
    ("MAX1487ECSA+", "RS-485 transceiver", 4, True),
    ("DS3231SN", "real-time clock", 1, True),
    ("XC7A35T", "FPGA", 1, True),
    ("XCF04S", "FPGA configuration PROM", 1, False),
    ("EP4CE10E22C8N", "FPGA", 1, True),
    ("PIC18F4520-I/PT", "microcontroller", 1, True),
    ("MCP2551-I/SN", "CAN transceiver", 3, True),
    ("24LC256-I/SN", "EEPROM", 2, True),
    ("ATMEGA2560-16AU", "microcontroller", 1, True),
    ("AT45DB161E", "serial flash", 2, False),
    ("CY7C1041G30", "SRAM", 2, True),
    ("CY62157EV30", "SRAM", 2, False),
    ("IRF7413", "MOSFET", 6, True),
    ("IRLML6402", "MOSFET", 6, True),
    ("MT29F4G08ABADAWP", "NAND flash", 1, True),
    ("MT41K256M16TW-107", "DDR3 SDRAM", 2, True),
    ("SI2302CDS", "MOSFET", 8, True),
    ("CRCW060310K0FKEA", "thick-film resistor", 55, False),
    ("TAJB106K016RNJ", "tantalum capacitor", 24, True),
    ("XAL4020-222ME", "power inductor", 8, False),
    ("MBRS340T3G", "Schottky diode", 10, True),
    ("NCP1117ST33T3G", "low-dropout regulator", 3, True),
    ("STM32F407VGT6", "microcontroller", 1, True),
    ("L7805CV", "voltage regulator", 2, False),
    ("LPC1768FBD100", "microcontroller", 1, True),
    ("PCA9685PW", "PWM controller", 1, True),
    ("TLE4275", "low-dropout regulator", 2, True),
    ("NEO-M8N", "GNSS module", 1, True),
    ("GRM188R71H104KA93D", "ceramic capacitor", 42, False),
    ("C1608X7R1H104K080AA", "ceramic capacitor", 10, False),
    ("K4B4G1646E", "DDR3 SDRAM", 2, True),
    ("W25Q128JVSIQ", "serial flash", 1, True),
    ("RC0603FR-0710KL", "thick-film resistor", 6, False),
    ("GD25Q64CSIG", "serial flash", 1, True),
    ("FA-238 25.0000MB", "crystal", 3, False),
]

SITES = [  # incident, date, place, lat, lon
    ("EX-KHARKIV-2024-01-02", "2024-01-02", "Kharkiv (exercise)", 49.9935, 36.2304),
    ("EX-KYIV-2024-01-06", "2024-01-06", "Kyiv (exercise)", 50.4501, 30.5234),
    ("EX-ZAPORIZHZHIA-2024-01-13", "2024-01-13", "Zaporizhzhia (exercise)", 47.8388, 35.1396),
    ("EX-KHARKIV-2024-01-23", "2024-01-23", "Kharkiv (exercise)", 50.0053, 36.2419),
]


LATEST_CODE = "2310"  # ISO week 10 of 2023: 6-12 March 2023
LATEST_PARTS = ("ADXRS453BRGZ", "MAX2769ETI+")  # two parts, so one misread cannot set the bound


def date_code(rng: random.Random) -> str:
    year = rng.choice([19, 20, 21, 21, 22, 22, 22, 23])
    week = rng.randint(1, 9 if year == 23 else 52)
    return f"{year:02d}{week:02d}"


def missile_rows(
    rng: random.Random, site: tuple[str, str, str, float, float], n: int
) -> list[dict[str, str]]:
    incident, day, place, lat, lon = site
    item = f"EX-MSL-{n:03d}"
    rows: list[dict[str, str]] = []
    serial = f"guidance section; exercise serial {n:03d}-{rng.randint(1000, 9999)}"
    for first, description, count, dated in PARTS:
        for i in range(count):
            lines = [first]
            if first in LATEST_PARTS and i == 0:
                lines.append(LATEST_CODE)
            elif dated and rng.random() < 0.95:
                lines.append(date_code(rng))
            rows.append(
                {
                    "incident_id": incident,
                    "incident_date": day,
                    "place": place,
                    "country": "UA",
                    "latitude": f"{lat}",
                    "longitude": f"{lon}",
                    "item_id": item,
                    "item_type": "ballistic missile",
                    "item_markings": serial,
                    "marking": " / ".join(lines),
                    "description": description,
                    "exercise": "yes",
                }
            )
    return rows


# One-way attack UAV build (exercise composition of real products of the named makers' lines).
UAV_PARTS: list[tuple[str, str, int, bool]] = [
    ("STM32F405RGT6", "flight-controller microcontroller", 1, True),
    ("ATMEGA328P-AU", "servo microcontroller", 2, True),
    ("MPU-6000", "inertial measurement unit", 1, True),
    ("ICM-20602", "inertial measurement unit", 1, True),
    ("LIS3MDL", "magnetometer", 1, True),
    ("MS5611-01BA03", "barometric pressure sensor", 1, False),
    ("NEO-M8N", "GNSS module", 1, True),
    ("W25Q64JVSSIQ", "serial flash", 1, True),
    ("CP2102", "USB-UART bridge", 1, True),
    ("TJA1050T", "CAN transceiver", 2, True),
    ("ADM3485EARZ", "RS-485 transceiver", 2, True),
    ("SI8642BB-B-IS1", "digital isolator", 2, True),
    ("ACS712ELCTR-20A-T", "current sensor", 2, True),
    ("TPS54331", "DC-DC converter", 2, True),
    ("IRFR3708", "MOSFET", 6, True),
    ("BSS138", "MOSFET", 4, False),
    ("AMS1117-3.3", "low-dropout regulator", 3, False),
    ("XL4015E1", "step-down converter", 1, False),
    ("GRM188R71H104KA93D", "ceramic capacitor", 20, False),
    ("CRCW060310K0FKEA", "thick-film resistor", 24, False),
]

UAV_SITES = [  # incident, date, place, lat, lon, item, attribution
    ("EX-REFERENCE-UAV-2023-11-20", "2023-11-20", "Reference collection (exercise)",
     50.2547, 28.6587, "EX-UAV-101", "Geran-2"),
    ("EX-REFERENCE-UAV-2023-11-20", "2023-11-20", "Reference collection (exercise)",
     50.2547, 28.6587, "EX-UAV-102", "Shahed-136"),
    ("EX-ODESA-2024-02-03", "2024-02-03", "Odesa (exercise)", 46.4825, 30.7233, "EX-UAV-001", ""),
    ("EX-DNIPRO-2024-02-11", "2024-02-11", "Dnipro (exercise)", 48.4647, 35.0462, "EX-UAV-002",
     ""),
    ("EX-MYKOLAIV-2024-02-19", "2024-02-19", "Mykolaiv (exercise)", 46.9750, 31.9946,
     "EX-UAV-003", ""),
]  # fmt: skip


def uav_rows(
    rng: random.Random, site: tuple[str, str, str, float, float, str, str]
) -> list[dict[str, str]]:
    incident, day, place, lat, lon, item, system = site
    airframe = (
        f"exercise airframe no. EXU-{rng.randint(100, 999)}; motor lot EXM-23-{rng.randint(10, 99)}"
    )
    rows: list[dict[str, str]] = []
    for first, description, count, dated in UAV_PARTS:
        for _ in range(count):
            lines = [first]
            if dated and rng.random() < 0.9:
                lines.append(date_code(rng))
            rows.append(
                {
                    "incident_id": incident, "incident_date": day, "place": place,
                    "country": "UA", "latitude": f"{lat}", "longitude": f"{lon}",
                    "item_id": item, "item_type": "one-way attack UAV", "item_markings": airframe,
                    "weapon_system": system, "marking": " / ".join(lines),
                    "description": description, "exercise": "yes",
                }
            )  # fmt: skip
    return rows


def later_rows() -> list[dict[str, str]]:
    """The UAV block and a second rocket; its own random stream keeps earlier rows unchanged."""
    rng = random.Random(2025)
    rows: list[dict[str, str]] = []
    for site in UAV_SITES:
        block = uav_rows(rng, site)
        if site[5] == "EX-UAV-002":  # two parts burnt beyond reading
            for row in block[-2:]:
                row["marking"], row["description"] = "", "unreadable marking (burnt)"
        if site[5] == "EX-UAV-003":  # a substitute flash chip of another maker
            for row in block:
                if row["marking"].startswith("W25Q64JVSSIQ"):
                    row["marking"] = "GD25Q64CSIG / 2236"
        rows.extend(block)
    rows.append(
        {
            "incident_id": "EX-KHERSON-FRONT-2024-03-02",
            "incident_date": "2024-03-02",
            "place": "front line, Kherson oblast (exercise)",
            "country": "UA",
            "latitude": "46.6354",
            "longitude": "32.6169",
            "item_id": "EX-RKT-0002",
            "item_type": "artillery rocket",
            "item_markings": "122 9M22U / 11-81 / 1981",
            "exercise": "yes",
            "notes": "rocket motor only; no electronics",
        }
    )
    return rows


def main() -> None:
    rng = random.Random(2024)
    rows: list[dict[str, str]] = []
    for n, site in enumerate(SITES, start=1):
        rows.extend(missile_rows(rng, site, n))
    # The reference library: items an analyst attributed earlier (exercise attributions).
    ref = (
        "EX-REFERENCE-2023-12-30",
        "2023-12-30",
        "Reference collection (exercise)",
        50.2547,
        28.6587,
    )
    kn23 = missile_rows(rng, ref, 101)
    for r in kn23:
        r["weapon_system"] = "KN-23"
    kn24 = [dict(r) for r in missile_rows(rng, ref, 102)[:-40]]
    for r in kn24:
        r["weapon_system"] = "KN-24"
    rows.extend(kn23 + kn24)
    # Investigators' messy typing: a Cyrillic look-alike, an OCR confusion, an unreadable part.
    rows[5]["marking"] = "ТPS7А4501 / 2207"  # Cyrillic Т and А typed on a Ukrainian keyboard
    rows[12]["marking"] = "SN74LVC24SA / 2105"  # OCR read 5 as S
    rows[40]["marking"] = ""
    rows[40]["description"] = "unreadable marking (burnt)"
    rows.append(
        {
            "incident_id": "EX-DONETSK-FRONT-2024-02-10",
            "incident_date": "2024-02-10",
            "place": "front line, Donetsk oblast (exercise)",
            "country": "UA",
            "latitude": "48.5950",
            "longitude": "37.9990",
            "item_id": "EX-RKT-1977",
            "item_type": "artillery rocket",
            "item_markings": "122 9M22U / 04-77 / 1977",
            "weapon_system": "BM-21 Grad",
            "exercise": "yes",
            "notes": "rocket motor only; no electronics",
        }
    )
    rows.extend(later_rows())
    columns = list(COLUMNS)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
