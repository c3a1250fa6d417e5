"""armtrace identify: markings (typed, from a file, or read from photos) to makers."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from armtrace.cli.app import app, err, out, print_json, user_errors
from armtrace.errors import ArmtraceError
from armtrace.markings.identify import Identification, identify, identify_many


@app.command("identify")
def identify_command(
    markings: Annotated[
        list[str] | None, typer.Argument(help="Markings; separate printed lines with ' / '.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="A text file with one marking per line.")
    ] = None,
    photos: Annotated[
        list[Path] | None, typer.Option("--photo", help="Read the marking from a photo (OCR).")
    ] = None,
    documented_on: Annotated[
        str | None,
        typer.Option(help="ISO date the part was documented; no date code may be later."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per input line.")
    ] = False,
) -> None:
    """Identify the maker, its current owner, its headquarters country and the production window.

    Example: armtrace identify "ADM3202 ARNZ / #2135" "MAX2769 (MAX2769ETI+)" --json
    """
    with user_errors():
        day = _day(documented_on)
        inputs = list(markings or [])
        if file is not None:
            inputs += _lines(file)
        results: list[tuple[Identification, dict[str, object] | None]] = [
            (found, None) for found in identify_many(inputs, documented_on=day)
        ]
        for photo in photos or []:
            from armtrace.ocr import read_marking  # loads the OCR model only when needed

            reading = read_marking(photo)
            ocr: dict[str, object] = {
                "photo": str(photo),
                "text": reading.text,
                "confidence": reading.confidence,
            }
            results.append((identify(reading.text, documented_on=day), ocr))
        if not results:
            raise ArmtraceError("give a marking, --file FILE or --photo IMAGE")
    if as_json:
        for result, photo_reading in results:
            extra = {"ocr": photo_reading} if photo_reading else {}
            print_json({**result.as_json(), **extra})
        return
    table = Table("marking", "part number", "maker", "owner", "HQ", "made", "conf.", "why")
    for result, _ in results:
        j = result.as_json()
        dc = result.date_code
        made = f"{dc.earliest:%Y-%m-%d}..{dc.latest:%Y-%m-%d}" if dc else ""
        table.add_row(
            result.input,
            str(j["part_number"] or ""),
            str(j["manufacturer"] or "unknown"),
            str(j["parent"] or ""),
            str(j["country"] or ""),
            made,
            f"{result.confidence:.2f}",
            result.why,
        )
    out.print(table)


def _day(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ArmtraceError(f"--documented-on {text!r} is not an ISO date (YYYY-MM-DD)") from None


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArmtraceError(f"{path}: cannot read the file ({exc})") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        err.print(f"{path}: no markings in the file")
    return lines
