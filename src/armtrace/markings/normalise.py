"""Clean typed or OCR-read marking text and split it into lines and tokens.

Also the small vocabularies that tell a token that names a part from one that only marks
(RoHS, "e3") or describes ("regulator", "SOIC-14", "3.3V") it.

Invariants:
- Cleaning never drops a letter or digit; it only maps look-alikes, unifies punctuation and
  whitespace, and removes decoration (trademark signs, zero-width characters).
- A Cyrillic or Greek letter becomes Latin only inside a token whose every non-Latin letter has a
  Latin look-alike, so a Russian or Ukrainian description ("Микроконтроллер") stays readable.
- ``confusion_variants`` returns at most ``limit`` strings, the token itself included, chosen
  fewest substitutions first, so callers can try them against a registry cheaply.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Letters typed on Ukrainian/Russian keyboards (and Greek ones) that look like Latin capitals.
# Lower-case forms map to the capital they resemble in marking fonts (small caps on chips).
_LOOKALIKES: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ї": "I",
    # Cyrillic small letters
    "а": "A", "в": "B", "е": "E", "к": "K", "м": "M", "н": "H", "о": "O", "р": "P",
    "с": "C", "т": "T", "х": "X", "у": "Y", "і": "I", "ј": "J", "ѕ": "S",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip

# Decoration that carries no identifying text; NFKC would turn "™" into "TM", a false token.
_DECORATION = dict.fromkeys(map(ord, "®™©℗\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# A slash with space on at least one side separates lines; "I/P" inside a part number does not.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\s+/\s*|\s*/\s+|\s*\|\s*")
# Tokens split on whitespace and commas; a bracket also splits so "(MAX2769ETI+)" stands alone.
_TOKEN_SPLIT = re.compile(r"[\s,;]+|(?=[(\[{])|(?<=[)\]}])")
_EDGE_PUNCT = "\"'`.,;:!?*()[]{}<>~^_=|\\"
_BRACKET = re.compile(r"[(\[{)\]}]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_TWO_LOWER = re.compile(r"[a-z]{2}")
_LOWER_WORD = re.compile(r"[A-Za-z][a-z]{2,}(-[A-Za-z]+)*")

_MARKER = re.compile(r"[EG]\d|ROHS\d?|PB-?FREE|LEAD-?FREE|HALOGEN-?FREE|GREEN|HF|ES|.")
# Ratings and sizes ("32-bit", "3V-3.6V", "DC-6GHz", "0.1uF"), packages ("SOIC-14", "64-TQFP")
# and interface standards ("RS-232") describe a part; they never name one.
_UNITS = "BIT|HZ|KHZ|MHZ|GHZ|V|KV|MV|A|MA|UA|W|MW|KB|MB|GB|KBIT|MBIT|GBIT|PIN|NM|UF|NF|PF|OHM|DBM?"
# At most three integer digits, so a date code such as "1451A" is never read as 1451 amperes.
_SPEC = re.compile(rf"(DC-|±)?\d{{1,3}}(\.\d+)?([A-Z]{{0,2}}-\d+(\.\d+)?)?-?({_UNITS})")
_PACKAGES = (
    "SOIC|SOP|SSOP|TSSOP|MSOP|QFN|DFN|LQFP|TQFP|QFP|BGA|FBGA|LGA|TLGA|LFCSP|SOT|DIP|PDIP|PLCC"
)
_PACKAGE = re.compile(
    rf"({_PACKAGES})(-?\d+[A-Z]?)?|\d+-({_PACKAGES})|TO-\d+|RS-?\d{{3}}(/RS-?\d{{3}})?"
)
# Words that describe a part rather than name it, when typed in capitals.
_DESCRIPTION_WORDS = frozenset({
    "MICROCONTROLLER", "MCU", "MPU", "CPU", "DSP", "FPGA", "CPLD", "PROCESSOR", "CONTROLLER",
    "MEMORY", "FLASH", "EEPROM", "SRAM", "DRAM", "SDRAM", "GPS", "GNSS", "RECEIVER", "TRANSCEIVER",
    "TRANSMITTER", "MODULE", "REGULATOR", "LDO", "AMPLIFIER", "OPAMP", "CONVERTER", "ADC", "DAC",
    "MOSFET", "TRANSISTOR", "DIODE", "SENSOR", "GYROSCOPE", "ACCELEROMETER", "IMU", "CHIP", "IC",
    "DRIVER", "SWITCH", "OSCILLATOR", "CRYSTAL", "INTERFACE", "SYNTHESIZER", "MIXER", "FILTER",
    "BUFFER", "LOGIC", "GATE", "POWER", "VOLTAGE", "BIT", "RF", "WIFI", "BLUETOOTH", "RADIO",
})  # fmt: skip


# OCR and hand-copy confusions between look-alike glyphs, both directions.
_CONFUSABLE: dict[str, tuple[str, ...]] = {
    "O": ("0", "D", "Q"), "0": ("O", "D"), "D": ("0", "O"), "Q": ("O", "0"),
    "I": ("1", "L"), "1": ("I", "L"), "L": ("1", "I"),
    "S": ("5",), "5": ("S",), "B": ("8",), "8": ("B",),
    "Z": ("2",), "2": ("Z",), "G": ("6",), "6": ("G",),
}  # fmt: skip


def fold_lookalikes(token: str) -> str:
    """Replace Cyrillic/Greek look-alike letters with Latin ones when the whole token allows it."""
    if token.isascii():
        return token
    foreign = [ch for ch in token if ch.isalpha() and not ch.isascii()]
    if not foreign or any(ch not in _LOOKALIKES for ch in foreign):
        return token
    return "".join(_LOOKALIKES.get(ch, ch) for ch in token)


def clean_text(text: str) -> str:
    """Unify unicode forms, dashes, quotes and spaces and fold look-alike letters, keeping lines."""
    if text.isascii():  # every table and form below changes only non-ASCII characters
        return "\n".join(" ".join(line.split()) for line in _NEWLINE.split(text))
    text = text.translate(_DECORATION).translate(_QUOTES)
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    out_lines = []
    for line in _NEWLINE.split(text):
        words = [fold_lookalikes(word) for word in line.split()]
        out_lines.append(" ".join(words))
    return "\n".join(out_lines)


def split_lines(text: str) -> list[str]:
    """Split cleaned marking text into its printed lines (" / " and newlines), dropping empties."""
    return [part.strip() for part in _LINE_BREAK.split(text) if part and part.strip()]


def split_tokens(line: str) -> list[tuple[str, bool]]:
    """Split one line into (token, was_in_brackets) pairs with edge punctuation removed."""
    tokens: list[tuple[str, bool]] = []
    if not _BRACKET.search(line):  # most lines: nothing is in brackets
        for piece in _TOKEN_SPLIT.split(line):
            if token := piece.strip(_EDGE_PUNCT):
                tokens.append((token, False))
        return tokens
    depth = 0
    for piece in _TOKEN_SPLIT.split(line):
        if not piece:
            continue
        opens = sum(piece.count(ch) for ch in "([{")
        closes = sum(piece.count(ch) for ch in ")]}")
        in_brackets = depth > 0 or opens > 0
        depth = max(0, depth + opens - closes)
        token = piece.strip(_EDGE_PUNCT)
        if token:
            tokens.append((token, in_brackets))
    return tokens


def confusion_variants(token: str, *, limit: int = 64) -> set[str]:
    """Return the token and its spellings with look-alike glyphs swapped, at most ``limit``."""
    token = token.upper()
    positions = [i for i, ch in enumerate(token) if ch in _CONFUSABLE]
    variants: dict[str, None] = {token: None}  # dict keeps insertion order: fewest changes first
    for changes in range(1, len(positions) + 1):
        for chosen in itertools.combinations(positions, changes):
            options = [_CONFUSABLE[token[i]] for i in chosen]
            chars = list(token)  # every replacement below rewrites all the chosen positions
            for replacement in itertools.product(*options):
                for i, ch in zip(chosen, replacement, strict=True):
                    chars[i] = ch
                variants["".join(chars)] = None
                if len(variants) >= limit:
                    return set(variants)
    return set(variants)


def is_marker(token: str) -> bool:
    """Tell whether a token marks nothing that identifies a part: RoHS, "e3", "G4", a pin-1 dot.

    "e0".."e9" are JEDEC JESD97 lead-finish categories ("E0 - E7 per JESD97" in
    http://www.ti.com/lsds/ti/packaging/packaging_tools/former_national_device_marking_convention.page
    ) and "G" plus a digit TI's environmental ("green") classification, e.g. "G4" in
    https://www.ti.com/document-viewer/lit/html/SWRZ134F/GUID-A6461990-0240-4951-99EF-1129D0D7F22E.html
    """
    if token.isalnum():  # the usual token: skip scanning it character by character
        return bool(_MARKER.fullmatch(token.upper()))
    return not any(ch.isalnum() for ch in token) or bool(_MARKER.fullmatch(token.upper()))


def is_description_word(token: str) -> bool:
    """Tell whether a token describes a part (a word, a rating, a package) rather than names it."""
    if not token.isascii() and any(ch.isalpha() and not ch.isascii() for ch in token):
        return True  # a word left in Cyrillic (no Latin look-alike) is a description
    upper = token.upper()
    if _SPEC.fullmatch(upper) or _PACKAGE.fullmatch(upper):
        return True
    if _TWO_LOWER.fullmatch(token):
        return True  # "of", "in", "to": words of a typed description
    if _LOWER_WORD.fullmatch(token):
        return True  # a lower- or title-case word: "Microcontroller", "regulator"
    return upper in _DESCRIPTION_WORDS
