"""Read a component's printed or laser-etched marking from a photo, offline.

The model is RapidOCR's bundled PP-OCR detector and recogniser (ONNX, run by onnxruntime); its
weights ship inside the ``rapidocr`` wheel, so nothing is downloaded at run time.

Invariants:
- The engine is built once per process (model loading is the slow part) and never reconfigured
  per call, so concurrent calls share no mutable settings.
- Orientation is decided here, for the whole image, not per text line: the engine's own per-line
  180-degree classifier is off, because flipping lines one by one reads an upside-down chip but
  loses the line order a user types.
- Every returned box is in the pixel coordinates of the image as given (after EXIF orientation),
  whatever rotation or scaling the winning variant used.
- Variants are tried cheapest first and the search stops at the first confident reading, so a clean
  upright photo costs one engine run.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFile, ImageFilter, ImageOps

from armtrace.errors import OCRError

# A phone photo is ~12-50 Mpx; anything far beyond that is a decompression bomb, not a photo.
MAX_PIXELS = 80_000_000
# A reading whose mean line confidence reaches this stops the search; correct readings of clean
# markings score 0.95-1.0, while sideways or upside-down text read as-is scores 0.6-0.85.
CONFIDENT = 0.93
# Engine runs allowed per photo: enough for a turn plus two enhancements, and bounded so a
# photo with no legible text costs seconds, not tens of seconds.
MAX_RUNS = 6
# The detector scales a picture so its shorter side is at least this many pixels. RapidOCR's
# default, 736, blows a 200-pixel chip crop up almost fourfold; 480 read our bench set as well
# (see docs/ocr.md) at roughly 60% of the time per engine run.
DETECTION_SIDE = 480
# Images whose longer side is under this are upscaled as one of the variants.
SMALL_SIDE = 500

Point = tuple[float, float]


@dataclass(frozen=True)
class OCRLine:
    """One detected run of text, with its recogniser confidence and corner points."""

    text: str
    confidence: float
    box: tuple[Point, ...]


@dataclass(frozen=True)
class OCRResult:
    """The marking read from one photo, and how it was read."""

    text: str
    lines: tuple[OCRLine, ...]
    rotation: int
    confidence: float
    preprocessing: str


@cache
def _engine() -> Any:
    """Build the OCR engine once per process."""
    from rapidocr import RapidOCR  # imported late: loading onnxruntime costs ~1 s

    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.limit_side_len": DETECTION_SIDE,
        }
    )


_DECODE_LOCK = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Refuse cut-off images while decoding, whatever the rest of the process asked for.

    WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import; a truncated photo
    must be an error here, not a half-grey picture read as a marking.
    """
    with _DECODE_LOCK:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _open(image: Path | bytes) -> Image.Image:
    """Decode ``image`` into an 8-bit grayscale picture, refusing non-images and bombs."""
    name = f"image bytes ({len(image)} bytes)" if isinstance(image, bytes) else str(image)
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = io.BytesIO(image) if isinstance(image, bytes) else image
            with Image.open(source) as picture:
                if picture.width * picture.height > MAX_PIXELS:
                    raise OCRError(
                        f"{name}: {picture.width}x{picture.height} pixels is too large "
                        f"(limit {MAX_PIXELS:,} pixels); crop the photo to the component."
                    )
                upright = ImageOps.exif_transpose(picture)
                return upright.convert("L")
    except OCRError:
        raise
    except FileNotFoundError as error:
        raise OCRError(f"{name}: file not found.") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise OCRError(
            f"{name}: image is too large to decode safely ({error}); "
            "crop the photo to the component."
        ) from error
    except (OSError, ValueError, SyntaxError) as error:
        # Pillow raises UnidentifiedImageError (an OSError) for non-images and OSError or
        # SyntaxError for truncated or corrupt data.
        raise OCRError(f"{name}: not a readable image ({error}).") from error


def _enhance(gray: Image.Image, enhancement: str) -> Image.Image:
    """Apply one named enhancement to a grayscale picture."""
    if enhancement == "autocontrast":
        return ImageOps.autocontrast(gray, cutoff=1)
    if enhancement == "equalise":
        return ImageOps.equalize(gray)
    if enhancement == "invert":
        return ImageOps.invert(ImageOps.autocontrast(gray, cutoff=1))
    if enhancement == "sharpen":
        return ImageOps.autocontrast(gray, cutoff=1).filter(ImageFilter.UnsharpMask(2, 200, 2))
    if enhancement == "upscale":
        factor = _upscale_factor(gray)
        return ImageOps.autocontrast(gray, cutoff=1).resize(
            (gray.width * factor, gray.height * factor), Image.Resampling.LANCZOS
        )
    return gray


def _upscale_factor(gray: Image.Image) -> int:
    return max(2, min(4, math.ceil(SMALL_SIDE * 2 / max(gray.size))))


# PIL's transpose constants turn counter-clockwise; ours are clockwise degrees.
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def _to_original(point: Point, rotation: int, scale: float, size: tuple[int, int]) -> Point:
    """Map a point of a variant (turned ``rotation`` degrees clockwise, then scaled) back."""
    width, height = size
    x, y = point[0] / scale, point[1] / scale
    if rotation == 90:
        return (y, height - x)
    if rotation == 180:
        return (width - x, height - y)
    if rotation == 270:
        return (width - y, x)
    return (x, y)


@dataclass(frozen=True)
class _Reading:
    """What one variant read, boxes still in that variant's coordinates."""

    rotation: int
    enhancement: str
    scale: float
    lines: tuple[OCRLine, ...]

    @property
    def confidence(self) -> float:
        return sum(line.confidence for line in self.lines) / len(self.lines) if self.lines else 0.0

    @property
    def characters(self) -> int:
        return sum(sum(c.isalnum() for c in line.text) for line in self.lines)

    @property
    def score(self) -> float:
        # Mean confidence times the amount of text: a wrong orientation reads fewer characters
        # and reads them less surely, so it loses on both counts.
        return self.confidence * self.characters

    @property
    def vertical(self) -> bool:
        # Detection boxes keep their first edge along the text; text that runs up or down the
        # picture gives boxes much taller than that edge is long.
        along = sum(_distance(line.box[0], line.box[1]) for line in self.lines)
        across = sum(_distance(line.box[1], line.box[2]) for line in self.lines)
        return across > 1.5 * along

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT and not self.vertical


def _distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _run(gray: Image.Image, rotation: int, enhancement: str) -> _Reading:
    """Run the engine on one variant of the picture."""
    turned = gray.transpose(_TRANSPOSE[rotation]) if rotation else gray
    variant = _enhance(turned, enhancement)
    output = _engine()(np.asarray(variant))
    lines: list[OCRLine] = []
    if output.txts and output.boxes is not None:
        for text, score, box in zip(output.txts, output.scores, output.boxes, strict=True):
            corners = tuple((float(x), float(y)) for x, y in box)
            lines.append(OCRLine(text=str(text).strip(), confidence=float(score), box=corners))
    return _Reading(rotation, enhancement, variant.width / turned.width, tuple(lines))


def _rows(lines: tuple[OCRLine, ...]) -> list[list[OCRLine]]:
    """Group lines into rows top to bottom, each row left to right, undoing a small skew."""
    if not lines:
        return []
    angles = sorted(
        math.atan2(ln.box[1][1] - ln.box[0][1], ln.box[1][0] - ln.box[0][0]) for ln in lines
    )
    skew = angles[len(angles) // 2]
    heights = sorted(_distance(line.box[1], line.box[2]) for line in lines)
    tolerance = heights[len(heights) // 2] / 2

    def deskewed(line: OCRLine) -> Point:
        cx = sum(p[0] for p in line.box) / len(line.box)
        cy = sum(p[1] for p in line.box) / len(line.box)
        return (
            cx * math.cos(skew) + cy * math.sin(skew),
            -cx * math.sin(skew) + cy * math.cos(skew),
        )

    rows: list[list[OCRLine]] = []
    row_y = 0.0
    for line in sorted(lines, key=lambda ln: deskewed(ln)[1]):
        y = deskewed(line)[1]
        if rows and abs(y - row_y) <= tolerance:
            rows[-1].append(line)
            row_y = sum(deskewed(ln)[1] for ln in rows[-1]) / len(rows[-1])
        else:
            rows.append([line])
            row_y = y
    return [sorted(row, key=lambda ln: deskewed(ln)[0]) for row in rows]


Variant = tuple[int, str]  # (clockwise rotation in degrees, enhancement)


def _plan(gray: Image.Image, tried: dict[Variant, _Reading]) -> Iterator[Variant]:
    """Yield variants to try, cheapest first, each choice informed by the readings so far."""
    enhancements = ["autocontrast", "equalise", "sharpen", "invert"]
    if max(gray.size) < SMALL_SIDE:
        enhancements.insert(1, "upscale")
    # Find any text first: with too little contrast the detector finds nothing, or only a
    # speck, and a speck says nothing about which way the text runs.
    for enhancement in ["grayscale", *enhancements]:
        yield (0, enhancement)
        if tried[0, enhancement].characters >= 3:
            break
    else:
        return
    found = tried[0, enhancement]
    # Sideways text read as-is reads upright only when the picture was turned 270 degrees
    # (the engine turns tall crops counter-clockwise), so a good sideways read points there.
    sideways = [270, 90] if found.confidence >= 0.85 else [90, 270]
    for rotation in sideways if found.vertical else [180]:
        yield (rotation, enhancement)
    rotation = _best(tried).rotation
    for candidate in ["grayscale", *enhancements]:
        yield (rotation, candidate)


def _best(tried: dict[Variant, _Reading]) -> _Reading:
    # A reading of sideways text cannot be put in line order, so it wins only if nothing
    # upright read at least half as much.
    return max(
        tried.values(),
        key=lambda reading: (reading.score / (2 if reading.vertical else 1), reading.confidence),
    )


def _search(gray: Image.Image) -> _Reading:
    """Try planned variants until one reads confidently or the budget is spent; return the best."""
    tried: dict[Variant, _Reading] = {}
    for variant in _plan(gray, tried):
        if variant in tried:
            continue
        if len(tried) >= MAX_RUNS:
            break
        reading = tried[variant] = _run(gray, *variant)
        if reading.confident:
            return reading
    return _best(tried)


def read_marking(image: Path | bytes) -> OCRResult:
    """Read the marking on a component photo (a file path or encoded image bytes)."""
    gray = _open(image)
    reading = _search(gray)
    ordered: list[OCRLine] = []
    row_texts: list[str] = []
    for row in _rows(reading.lines):
        row_texts.append(" ".join(line.text for line in row if line.text))
        for line in row:
            box = tuple(
                _to_original(p, reading.rotation, reading.scale, gray.size) for p in line.box
            )
            ordered.append(OCRLine(line.text, line.confidence, box))
    steps = ([f"rotate {reading.rotation}"] if reading.rotation else []) + [reading.enhancement]
    return OCRResult(
        text=" / ".join(text for text in row_texts if text),
        lines=tuple(ordered),
        rotation=reading.rotation,
        confidence=reading.confidence,
        preprocessing=", ".join(steps),
    )
