"""Synthetic component sheets for benchmarks: realistic shape, deterministic, streamed to disk.

Every row is exercise data (the ``exercise`` column says "yes"), so a store filled from it never
mixes invented incidents with real ones. Shape follows what field teams document: incidents with
a date, a place and coordinates; one to four items each (missile remnants, drones) with 50–300
components; component markings of two or three lines (part number, date/lot code, origin text)
joined by " / " or by a newline, as sheets hold both. About one item in ten leaves component ids
empty, so armtrace generates them.

Rows are written as they are made, one item at a time, so a 10M-row sheet never sits in memory.

    python bench/synth.py --rows 1000000 --seed 7 -o bench/.data/components-1M.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from armtrace.model.sheet import COLUMNS

# Part-number shapes as they appear on chip tops: a family prefix, digits, then a suffix for
# package/temperature grade, and the kind of part the family is. Digits are drawn at random, so
# the part numbers themselves are invented.
FAMILIES = (
    ("STM32F", 3, ("RGT6", "VGT6", "CBT6", "C8T6"), "microcontroller"),
    ("ATMEGA", 3, ("-16AU", "-20AU", "A-AU"), "microcontroller"),
    ("LM", 3, ("DR", "MX", "ADT"), "operational amplifier"),
    ("TPS", 5, ("DRVR", "DBVR", "QPWPRQ1"), "voltage regulator"),
    ("AD", 4, ("BRZ", "ARMZ", "SRZ"), "analog-to-digital converter"),
    ("MAX", 4, ("ESA+", "EUA+", "CSE"), "line driver"),
    ("XC7A", 3, ("T-1FTG256C", "T-2CSG324I"), "FPGA"),
    ("EP4CE", 2, ("F17C8N", "E22C8N"), "FPGA"),
    ("IRF", 4, ("PBF", "STRLPBF"), "MOSFET"),
    ("SN74LVC", 3, ("PWR", "DR"), "logic buffer"),
    ("ADXL", 3, ("BCCZ", "WACPZ"), "accelerometer"),
    ("NRF", 5, ("-QFAA", "-CIAA"), "RF transceiver"),
    ("W25Q", 3, ("JVSIQ", "FVSSIG"), "flash memory"),
    ("LTC", 4, ("EMS8", "IDD#PBF"), "DC-DC converter"),
)
ORIGINS = ("", "", "CHN", "MYS", "PHL", "TWN", "KOR", "MEX", "THA", "e3", "e4")
ITEM_TYPES = (
    ("UAV", "one-way attack UAV", 0.55),
    ("cruise missile", "cruise missile", 0.2),
    ("ballistic missile", "ballistic missile", 0.15),
    ("artillery rocket", "artillery rocket", 0.1),
)
PLACE_KINDS = (
    "residential block",
    "industrial zone",
    "field near road",
    "power substation",
    "rail yard",
    "warehouse",
    "riverbank",
)
NOTES = ("", "", "", "", "partly burnt", "board cracked", "marking worn", "conformal coating")


def _marking(rng: random.Random) -> tuple[str, str]:
    prefix, digits, suffixes, description = FAMILIES[rng.randrange(len(FAMILIES))]
    number = "".join(str(rng.randrange(10)) for _ in range(digits))
    part = f"{prefix}{number}{rng.choice(suffixes)}"
    year, week = rng.randrange(12, 24), rng.randrange(1, 53)
    lot = f"{year:02d}{week:02d}{rng.choice('ABCDEFGHJK')}{rng.randrange(1000):03d}"
    lines = [part, lot]
    origin = ORIGINS[rng.randrange(len(ORIGINS))]
    if origin:
        lines.append(origin)
    separator = "\n" if rng.random() < 0.2 else " / "
    return separator.join(lines), description


def _item_type(roll: float) -> tuple[str, str]:
    # Walks the shares; the last type takes whatever float rounding leaves over.
    for short, item_type, share in ITEM_TYPES:
        roll -= share
        if roll <= 0:
            return short, item_type
    return ITEM_TYPES[-1][0], ITEM_TYPES[-1][1]


def rows(count: int, seed: int) -> Iterator[list[str]]:
    """``count`` sheet rows in COLUMNS order, the same for the same seed."""
    rng = random.Random(seed)
    made = 0
    incident = 0
    item = 0
    start = date(2022, 2, 24)
    while made < count:
        incident += 1
        incident_id = f"EX-INC-{incident:07d}"
        when = (start + timedelta(days=rng.randrange(1000))).isoformat()
        place = f"{rng.choice(PLACE_KINDS)}, sector {rng.randrange(1, 400)}"
        latitude = f"{rng.uniform(44.5, 52.0):.5f}"
        longitude = f"{rng.uniform(22.5, 40.0):.5f}"
        for _ in range(rng.randint(1, 4)):
            item += 1
            item_id = f"EX-ITEM-{item:08d}"
            short, item_type = _item_type(rng.random())
            item_markings = f"{short[:3].upper()}-{rng.randrange(10**6):06d}"
            weapon_system = "" if rng.random() < 0.7 else f"EXERCISE-SYSTEM-{rng.randrange(1, 9)}"
            generated_ids = rng.random() < 0.1
            for n in range(1, rng.randint(50, 300) + 1):
                if made == count:
                    return
                made += 1
                marking, description = _marking(rng)
                yield [
                    incident_id,
                    when,
                    place,
                    "UA",
                    latitude,
                    longitude,
                    item_id,
                    item_type,
                    item_markings,
                    weapon_system,
                    "" if generated_ids else f"C{n:03d}",
                    marking,
                    description,
                    "",
                    "",
                    NOTES[rng.randrange(len(NOTES))],
                    "yes",
                ]


def write_csv(path: Path, count: int, seed: int = 7) -> Path:
    """Write a ``count``-row sheet to ``path`` (via a temporary name, so a cut run leaves none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(count, seed))
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    write_csv(args.output, args.rows, args.seed)
    print(f"wrote {args.rows:,} rows to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
