"""Reading chip-top markings from photos the tests render themselves.

Each picture looks like the top of a packaged chip: a dark, slightly textured body with a pin-1
dot and a light two- or three-line marking in a real TrueType font. Every case asserts that the
part-number line is read exactly (spaces and case aside); pictures are read once and shared.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypedDict

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from armtrace.errors import OCRError
from armtrace.ocr import OCRResult, read_marking

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),  # Debian: fonts-dejavu-core
    Path("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSansMono.ttf"),
]
FONT = next((path for path in FONT_CANDIDATES if path.exists()), None)

MARKINGS = {
    "stm32": ("STM32F407", "VGT6", "GH21V 93"),
    "adm3202": ("ADM3202", "ARNZ", "#2135"),
    "max2769": ("MAX2769", "ETI+", "2145"),
    "tps7a": ("TPS7A4501", "TI 21A"),
    "xc7a35t": ("XC7A35T", "FTG256"),
}
BODY = (38, 38, 41)


def render_chip(
    lines: tuple[str, ...], size: int = 26, body: tuple[int, int, int] = BODY, ink: int = 205
) -> Image.Image:
    """Draw a chip top: textured dark body, pin-1 dot, light marking lines."""
    if FONT is None:  # fail, not skip: a skipped OCR suite would hide a broken reader
        pytest.fail("no TrueType font for test pictures: apt-get install fonts-dejavu-core")
    font = ImageFont.truetype(str(FONT), size)
    pitch = int(size * 1.45)
    width = max(int(font.getlength(line)) for line in lines) + 3 * size
    height = pitch * len(lines) + 3 * size
    picture = Image.new("RGB", (width, height), body)
    draw = ImageDraw.Draw(picture)
    noise = random.Random(width * height)
    for _ in range(width * height // 40):  # moulding-compound speckle
        x, y = noise.randrange(width), noise.randrange(height)
        shade = noise.randint(-8, 8)
        draw.point((x, y), fill=tuple(max(0, c + shade) for c in body))
    dot = size // 3
    draw.ellipse((dot, dot, 2 * dot, 2 * dot), fill=tuple(c - 12 for c in body))
    for row, line in enumerate(lines):
        draw.text(
            (int(1.5 * size), int(1.5 * size) + row * pitch), line, font=font, fill=(ink,) * 3
        )
    return picture


def _rotated(degrees: float) -> Callable[[Image.Image], Image.Image]:
    # Pillow turns counter-clockwise, so reading the result needs a clockwise turn of `degrees`.
    return lambda p: p.rotate(
        degrees, expand=True, fillcolor=BODY, resample=Image.Resampling.BICUBIC
    )


def _jpeg(picture: Image.Image) -> Image.Image:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=20)
    return Image.open(io.BytesIO(buffer.getvalue()))


DISTORTIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "plain": lambda p: p,
    "rotated 90": _rotated(90),
    "rotated 180": _rotated(180),
    "rotated 270": _rotated(270),
    "rotated 7": _rotated(7),
    "blurred": lambda p: p.filter(ImageFilter.GaussianBlur(1.8)),
    "jpeg": _jpeg,
}


class ChipStyle(TypedDict, total=False):
    """Keyword arguments of render_chip that change how a chip looks."""

    size: int
    body: tuple[int, int, int]
    ink: int


SPECIAL: dict[str, ChipStyle] = {
    # Laser etching: light grey on dark grey, and dark on dark.
    "low contrast": {"body": (70, 70, 72), "ink": 100},
    "dark on dark": {"body": (28, 28, 30), "ink": 52},
    # A small crop: a 9 px font, the image about 60 px across.
    "small": {"size": 9},
}
PARTS = list(MARKINGS)
# Two parts per distortion, rotating through the parts, keeps the suite fast.
CASES = sorted(
    {
        (PARTS[(index + offset) % len(PARTS)], distortion)
        for index, distortion in enumerate([*DISTORTIONS, *SPECIAL])
        for offset in (0, 2)
    }
    | {("stm32", "rotated 90"), ("adm3202", "rotated 180"), ("max2769", "rotated 270")}
    | {("tps7a", "plain"), ("stm32", "rotated 7")}
)


@cache
def picture_bytes(part: str, distortion: str) -> bytes:
    """Render one case as PNG bytes (JPEG cases are decoded once, so keep their artefacts)."""
    if distortion in SPECIAL:
        picture = render_chip(MARKINGS[part], **SPECIAL[distortion])
    else:
        picture = DISTORTIONS[distortion](render_chip(MARKINGS[part]))
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


@cache
def read_case(part: str, distortion: str) -> OCRResult:
    return read_marking(picture_bytes(part, distortion))


def normalised(text: str) -> str:
    return "".join(text.split()).upper()


@pytest.mark.parametrize(("part", "distortion"), CASES)
def test_part_number_line_is_read_exactly(part: str, distortion: str) -> None:
    result = read_case(part, distortion)
    first_line = result.text.split(" / ")[0]
    assert normalised(first_line) == normalised(MARKINGS[part][0]), result


@pytest.mark.parametrize(
    ("part", "distortion", "rotation"),
    [
        ("stm32", "rotated 90", 90),
        ("adm3202", "rotated 180", 180),
        ("max2769", "rotated 270", 270),
        ("tps7a", "plain", 0),
        ("stm32", "rotated 7", 0),
    ],
)
def test_rotation_is_reported(part: str, distortion: str, rotation: int) -> None:
    assert read_case(part, distortion).rotation == rotation


def test_all_lines_are_read_in_typing_order() -> None:
    assert normalised(read_case("stm32", "rotated 90").text) == normalised(
        "STM32F407 / VGT6 / GH21V 93"
    )


def test_boxes_are_in_the_coordinates_of_the_photo_as_given() -> None:
    # The picture was turned on its side, so the part-number box must be tall and inside it.
    picture = Image.open(io.BytesIO(picture_bytes("stm32", "rotated 90")))
    box = read_case("stm32", "rotated 90").lines[0].box
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    inside = min(xs) >= -2 and min(ys) >= -2 and max(xs) <= picture.width + 2
    assert inside and max(ys) <= picture.height + 2 and max(ys) - min(ys) > 2 * (max(xs) - min(xs))


def test_file_path_and_bytes_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "chip.png"
    path.write_bytes(picture_bytes("max2769", "plain"))
    assert read_marking(path) == read_case("max2769", "plain")


def test_a_picture_without_text_reads_as_empty() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), BODY).save(buffer, "PNG")
    assert read_marking(buffer.getvalue()).text == ""


def _png_of_noise() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 40).save(buffer, "PNG")
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A valid tiny PNG whose header claims ``width`` x ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.png", b"investigator notes, not a photo\n"),
        ("truncated.png", _png_of_noise()[:400]),
        ("truncated.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
        ("bomb.png", _png_claiming(60_000, 60_000)),
        ("huge.png", _png_claiming(9_000, 9_000)),
        ("empty.png", b""),
    ],
)
def test_unreadable_file_raises_ocr_error_naming_it(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(OCRError, match=re.escape(name)):
        read_marking(path)


def test_missing_file_raises_ocr_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(OCRError, match=re.escape("missing.jpg")):
        read_marking(tmp_path / "missing.jpg")


def test_bomb_given_as_bytes_raises_ocr_error() -> None:
    with pytest.raises(OCRError, match="too large"):
        read_marking(_png_claiming(60_000, 60_000))


def test_truncated_photo_is_refused_even_after_weasyprint_loosened_pillow(tmp_path: Path) -> None:
    # WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when imported.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    path = tmp_path / "cut.png"
    path.write_bytes(_png_of_noise()[:400])
    with pytest.raises(OCRError, match=re.escape("cut.png")):
        read_marking(path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # the process-wide setting is restored
