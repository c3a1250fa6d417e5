"""Date codes and item years to production windows, every plausible reading kept visible."""

from armtrace.dating.codes import SCHEMES, decode_date_code, decodes
from armtrace.dating.model import DateReading, DateWindow
from armtrace.dating.years import decode_item_year, juche_to_gregorian

__all__ = [
    "SCHEMES",
    "DateReading",
    "DateWindow",
    "decode_date_code",
    "decode_item_year",
    "decodes",
    "juche_to_gregorian",
]
