"""Benchmark: how well and how fast armtrace reads chip-top markings, against Tesseract.

Renders synthetic chip tops (dark body, light marking in several real fonts) with one distortion
each, reads every picture with ``armtrace.ocr.read_marking`` and, when the ``tesseract`` CLI is
installed (Debian: tesseract-ocr), with Tesseract on the same file in the same run, and prints a
table. A reading counts as exact when it equals the marking after removing spaces and case; the
part-number column checks the first line only.

    python bench/ocr.py --per-distortion 10 --seed 1
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from armtrace.ocr import read_marking

FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
]
# Synthetic markings in the shape real ones take: part number, suffix or package, date/lot code.
MARKINGS = [
    ("STM32F407", "VGT6", "GH21V 93"),
    ("ADM3202", "ARNZ", "#2135"),
    ("MAX2769", "ETI+", "2145"),
    ("TPS7A4501", "TI 21A"),
    ("XC7A35T", "FTG256"),
    ("LM2596S", "5.0 P+", "2231"),
    ("AD9361", "BBCZ", "#1947"),
    ("TMS320F28335", "PGFA", "ZHC 22W"),
    ("SN74LVC245A", "RGYR"),
    ("LTC2440", "CGN", "2208"),
    ("ATMEGA2560", "16AU", "1936"),
    ("MPU6050", "C1T 2145"),
    ("ISO7721", "DWR"),
    ("LT8610", "AEMSE", "2116"),
]


def _font(size: int, rng: random.Random) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(rng.choice([f for f in FONTS if Path(f).exists()]), size)


def render(
    lines: tuple[str, ...], rng: random.Random, size: int = 26, body: int = 38, ink: int = 205
) -> Image.Image:
    """Draw a chip top with speckled moulding compound and a pin-1 dot."""
    font = _font(size, rng)
    pitch = int(size * 1.45)
    width = max(int(font.getlength(line)) for line in lines) + 3 * size
    height = pitch * len(lines) + 3 * size
    picture = Image.effect_noise((width, height), 6).point(lambda v: body + (v - 128) // 4)
    draw = ImageDraw.Draw(picture)
    dot = size // 3
    draw.ellipse((dot, dot, 2 * dot, 2 * dot), fill=max(0, body - 14))
    for row, line in enumerate(lines):
        draw.text((int(1.5 * size), int(1.5 * size) + row * pitch), line, font=font, fill=ink)
    return picture.convert("RGB")


def _turn(degrees: float) -> Callable[[Image.Image, random.Random], Image.Image]:
    return lambda p, _: p.rotate(degrees, expand=True, fillcolor=(38,) * 3)


def _jpeg(picture: Image.Image, rng: random.Random) -> Image.Image:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=rng.randint(8, 20))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _on_board(picture: Image.Image, rng: random.Random) -> Image.Image:
    """Place the chip in a 1280x960 photo of a green board with uneven light."""
    board = Image.new("RGB", (1280, 960), (24, 70, 40))
    light = Image.linear_gradient("L").resize(board.size).point(lambda v: 60 + v // 2)
    board = Image.composite(board, Image.new("RGB", board.size, (6, 20, 10)), light)
    scaled = picture.resize((picture.width * 2, picture.height * 2), Image.Resampling.BICUBIC)
    board.paste(scaled, (rng.randint(0, 1280 - scaled.width), rng.randint(0, 960 - scaled.height)))
    return board


Distort = Callable[[tuple[str, ...], random.Random], Image.Image]
DISTORTIONS: dict[str, Distort] = {
    "plain": lambda m, rng: render(m, rng),
    "rotated 90": lambda m, rng: _turn(90)(render(m, rng), rng),
    "rotated 180": lambda m, rng: _turn(180)(render(m, rng), rng),
    "rotated 270": lambda m, rng: _turn(270)(render(m, rng), rng),
    "skewed 4-10": lambda m, rng: _turn(rng.choice([-1, 1]) * rng.uniform(4, 10))(
        render(m, rng), rng
    ),
    "blur 1.5-2.5": lambda m, rng: render(m, rng).filter(
        ImageFilter.GaussianBlur(rng.uniform(1.5, 2.5))
    ),
    "low contrast": lambda m, rng: render(m, rng, body=70, ink=70 + rng.randint(18, 30)),
    "dark on dark": lambda m, rng: render(m, rng, body=26, ink=26 + rng.randint(14, 24)),
    "jpeg q8-20": lambda m, rng: _jpeg(render(m, rng), rng),
    "small 7-10 px": lambda m, rng: render(m, rng, size=rng.randint(7, 10)),
    "on a board photo": lambda m, rng: _on_board(render(m, rng), rng),
    "90 + blur + low contrast": lambda m, rng: _turn(90)(
        render(m, rng, body=60, ink=95).filter(ImageFilter.GaussianBlur(1.5)), rng
    ),
}


@dataclass
class Outcome:
    distortion: str
    exact: bool
    part_number: bool
    seconds: float
    preprocessing: str = ""
    text: str = ""


def normalised(text: str) -> str:
    return "".join(text.split()).upper()


def judge(distortion: str, marking: tuple[str, ...], text: str, seconds: float) -> Outcome:
    lines = [line for line in text.split(" / ") if line.strip()]
    first = lines[0] if lines else ""
    exact = normalised(text.replace(" / ", "")) == normalised("".join(marking))
    return Outcome(distortion, exact, normalised(first) == normalised(marking[0]), seconds)


def tesseract_text(path: Path) -> str:
    """Run the Tesseract CLI with its defaults, as a user would, and join its lines."""
    done = subprocess.run(
        ["tesseract", str(path), "stdout"], capture_output=True, text=True, check=False
    )
    return " / ".join(line.strip() for line in done.stdout.splitlines() if line.strip())


def percent(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}" if total else "    -"


def read_all(cases: list[tuple[str, tuple[str, ...], Path]], engine: str) -> list[Outcome]:
    """Read every rendered picture with one engine, timing each."""
    outcomes = []
    for distortion, marking, path in cases:
        start = time.perf_counter()
        if engine == "armtrace":
            result = read_marking(path)
            text, variant = result.text, result.preprocessing
        else:
            text, variant = tesseract_text(path), ""
        outcome = judge(distortion, marking, text, time.perf_counter() - start)
        outcome.preprocessing, outcome.text = variant, text
        outcomes.append(outcome)
    return outcomes


def timing(outcomes: list[Outcome]) -> str:
    seconds = sorted(o.seconds for o in outcomes)
    p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
    return f"median {statistics.median(seconds):.2f} s, p95 {p95:.2f} s per image"


def print_table(
    cases: list[tuple[str, tuple[str, ...], Path]], results: dict[str, list[Outcome]]
) -> None:
    header = f"{'distortion':26} {'n':>3}"
    for engine in results:
        header += f"  {engine + ' exact %':>17} {'part no. %':>10} {'median s':>8}"
    print(header)
    groups: dict[str, list[int]] = defaultdict(list)
    for position, (distortion, _, _) in enumerate(cases):
        groups[distortion].append(position)
    for distortion, positions in [*groups.items(), ("all", list(range(len(cases))))]:
        row = f"{distortion:26} {len(positions):3}"
        for outcomes in results.values():
            exact = sum(outcomes[p].exact for p in positions)
            part = sum(outcomes[p].part_number for p in positions)
            median = statistics.median(outcomes[p].seconds for p in positions)
            row += f"  {percent(exact, len(positions)):>17} {percent(part, len(positions)):>10}"
            row += f" {median:8.2f}"
        print(row)


def main() -> None:
    """Render, read and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--per-distortion", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-misses", action="store_true", help="print every wrong reading")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results: dict[str, list[Outcome]] = {}
    with tempfile.TemporaryDirectory() as folder:
        cases: list[tuple[str, tuple[str, ...], Path]] = []
        for distortion, make in DISTORTIONS.items():
            for _ in range(args.per_distortion):
                marking = rng.choice(MARKINGS)
                path = Path(folder) / f"{len(cases):04d}.png"
                make(marking, rng).save(path)
                cases.append((distortion, marking, path))
        # Tesseract runs first, while this process is small: a child's peak RSS counts the
        # parent's memory at the moment of fork, and the OCR model makes the parent large.
        has_tesseract = shutil.which("tesseract") is not None
        if has_tesseract:
            results["tesseract"] = read_all(cases, "tesseract")
        start = time.perf_counter()
        warmup = io.BytesIO()
        render(("WARMUP",), random.Random(0)).save(warmup, "PNG")
        read_marking(warmup.getvalue())  # loads the model
        load_seconds = time.perf_counter() - start
        results = {"armtrace": read_all(cases, "armtrace"), **results}

    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{len(cases)} synthetic chip-top images, seed {args.seed}; {os.cpu_count()} CPUs,")
    print(f"load average at the end {load_average} (other work on the machine slows timings)\n")
    print_table(cases, results)
    ours = results["armtrace"]
    peak_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = f"model load {load_seconds:.1f} s"
    print(f"\narmtrace:  {timing(ours)}; {load}; peak RSS {peak_ours:.0f} MiB")
    if has_tesseract:
        peak_theirs = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"tesseract: {timing(results['tesseract'])} (CLI, default --psm 3); "
            f"peak RSS {peak_theirs:.0f} MiB"
        )
    else:
        print("tesseract: not installed (apt-get install tesseract-ocr); column skipped")
    winners = Counter(o.preprocessing for o in ours)
    print("winning variant:", ", ".join(f"{name} {count}" for name, count in winners.most_common()))
    for outcome, (_, marking, _) in zip(ours, cases, strict=True):
        if args.show_misses and not outcome.exact:
            print(f"  miss [{outcome.distortion}] {' / '.join(marking)!r} read {outcome.text!r}")


if __name__ == "__main__":
    main()
