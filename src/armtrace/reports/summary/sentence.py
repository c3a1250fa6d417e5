"""The one sentence a reporter can quote about a summary, and nothing it cannot back.

Invariants:
- "countries and territories", since makers sit in Taiwan and Hong Kong too.
- Shares are of identified components whose company's country is known; the sentence names that
  denominator and says how many makers are unknown, so no share hides the unknown.
- Exercise data says so first.
"""

from __future__ import annotations

from armtrace.analytics.tally import Tally
from armtrace.refdata.countries import country_name


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


# Country names that read with an article in running text.
_WITH_THE = ("United ", "Netherlands", "Philippines", "Czech Republic")


def _country(code: str) -> str:
    try:
        name = country_name(code)
    except KeyError:
        return code
    return f"the {name}" if name.startswith(_WITH_THE) else name


def percent(part: int, whole: int) -> int:
    """A share as a whole percentage, rounded half up (0 when there is no whole)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def summary_sentence(tally: Tally, scope_words: str) -> str:
    """E.g. "290 components from 26 companies in 8 countries and territories; 75% ... US"."""
    prefix = "EXERCISE DATA: " if tally.exercise else ""
    if tally.components == 0:
        return f"{prefix}No documented components in this scope ({scope_words})."
    unknown = tally.components - tally.identified
    if tally.identified == 0:
        return (
            f"{prefix}{_plural(tally.components, 'component')}, none identified: "
            "no company or country can be named yet."
        )
    places = _plural(len(tally.by_country), "country and territory", "countries and territories")
    sentence = (
        f"{prefix}{_plural(tally.components, 'component')} from "
        f"{_plural(len(tally.by_company), 'company', 'companies')} in {places}"
    )
    located = sum(tally.by_country.values())
    if tally.by_country:
        top, count = next(iter(tally.by_country.items()))
        sentence += (
            f"; {percent(count, located)}% of the {located:,} identified with a known country "
            f"from companies headquartered in {_country(top)}"
        )
    if unknown:
        sentence += f"; maker unknown for {_plural(unknown, 'component')}"
    if tally.country_unknown:
        sentence += f"; {tally.country_unknown:,} identified with no known country"
    return sentence + "."
