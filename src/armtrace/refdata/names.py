"""Company-name normalisation for matching makers, distributors and sanctioned entities.

Invariants:
- ``normalise_company_name`` is idempotent: normalising its output changes nothing.
- Its output is casefolded Latin text without diacritics, punctuation or legal-form words,
  tokens joined by single spaces; Cyrillic is transliterated (BGN/PCGN-like) so that
  "ООО «Ромашка»" and "Romashka LLC" compare equal.
- Legal forms are removed only at the ends of a name (suffixes everywhere, prefixes for the
  forms that stand first, as in Russian or Indonesian names), so words inside a name survive.
- A name made only of legal-form words (e.g. "Limited") is kept rather than emptied.
- ``compact_company_name`` drops the spaces as well, so "u-blox" and "ublox" share a key.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic letters of Russian, Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j",
    "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)

# Letters that do not decompose into a base letter plus a combining mark.
_LATIN_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                              "þ": "th", "ı": "i", "ħ": "h"})  # fmt: skip

# CJK and Korean legal forms are written without spaces, so they are cut from the string ends.
_CJK_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "株式会社",
    "有限会社", "合同会社", "合資会社", "合名会社", "(股)", "(株)", "㈱", "주식회사",
    "유한회사", "(주)", "㈜", "公司",
)  # fmt: skip
_CJK_PREFIXES = ("株式会社", "有限会社", "合同会社", "주식회사", "(주)", "㈜", "(株)", "㈱")

# Latin legal forms (after transliteration; dots are removed before tokenising, so "S.A." is
# "sa" and "Co.,Ltd." is "co ltd").
_SUFFIX_FORMS = (
    # English and Commonwealth
    "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd", "limited",
    "llc", "llp", "lp", "lllp", "pllc", "plc", "public limited company", "pte", "pty", "pvt",
    "private limited", "bhd", "sdn bhd", "tbk",
    # German, Austrian, Swiss, Dutch, Belgian
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "se", "ev", "ek", "gbr", "and co kg",
    "and co", "aktiengesellschaft", "gesellschaft mit beschrankter haftung", "nv", "bv",
    "bvba", "cvba", "vof", "besloten vennootschap", "naamloze vennootschap",
    # Romance languages and Latin America
    "sa", "sas", "sasu", "sarl", "sau", "sl", "slu", "srl", "spa", "sapa", "sca", "snc",
    "sab", "sa de cv", "sab de cv", "sapi de cv", "s de rl de cv", "de cv", "ltda", "eireli",
    "societe anonyme",
    "societa per azioni", "sociedad anonima",
    # Nordic
    "ab", "publ", "as", "asa", "a s", "aps", "hf", "ehf", "oy", "oyj",
    # Central and Eastern Europe
    "sp z oo", "sp zoo", "sp k", "sp j", "zrt", "nyrt", "kft", "rt", "sro", "spol sro",
    "doo", "dd", "ad", "ood", "eood",
    # Japan (romanised)
    "kk", "kabushiki kaisha", "kabushiki gaisha", "gk", "godo kaisha", "yk", "yugen kaisha",
    # Russia, Ukraine, Belarus (transliterated from Cyrillic or written in Latin)
    "jsc", "cjsc", "ojsc", "pjsc", "ao", "oao", "zao", "pao", "nao", "ooo", "odo", "zat",
    "vat", "pat", "prat", "tov", "tdv", "joint stock company", "closed joint stock company",
    "open joint stock company", "public joint stock company", "limited liability company",
    "obshchestvo s ogranichennoy otvetstvennostyu", "aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo", "nepublichnoe aktsionernoe obshchestvo",
    "tovarystvo z obmezhenoyu vidpovidalnistyu", "tovaristvo z obmezhenoyu vidpovidalnistyu",
)  # fmt: skip

# Forms that stand before the name: "ООО «Ромашка»", "PT Len Industri", "The Boeing Company".
_PREFIX_FORMS = (
    "ooo", "oao", "zao", "pao", "ao", "nao", "odo", "jsc", "cjsc", "ojsc", "pjsc", "llc",
    "tov", "prat", "pat", "zat", "vat", "fgup", "gup", "mup", "ip", "pt", "kk", "the",
    "joint stock company", "closed joint stock company", "open joint stock company",
    "public joint stock company", "limited liability company",
    "obshchestvo s ogranichennoy otvetstvennostyu", "aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo", "nepublichnoe aktsionernoe obshchestvo",
    "tovarystvo z obmezhenoyu vidpovidalnistyu", "tovaristvo z obmezhenoyu vidpovidalnistyu",
    "federalnoe gosudarstvennoe unitarnoe predpriyatie",
)  # fmt: skip


def _token_forms(forms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Legal forms as token tuples, longest first so "co ltd" wins over "ltd"."""
    return tuple(sorted({tuple(form.split()) for form in forms}, key=len, reverse=True))


def _forms_by_length(
    forms: tuple[tuple[str, ...], ...],
) -> tuple[tuple[int, frozenset[tuple[str, ...]]], ...]:
    """The forms grouped by token count, longest first: one set look-up per length, not per form.

    At most one form of a given length can equal a name's last (or first) tokens, so trying the
    lengths longest first finds the same form as trying every form longest first.
    """
    lengths = sorted({len(form) for form in forms}, reverse=True)
    return tuple((n, frozenset(form for form in forms if len(form) == n)) for n in lengths)


_SUFFIX_TOKENS = _token_forms(_SUFFIX_FORMS)
_PREFIX_TOKENS = _token_forms(_PREFIX_FORMS)
_SUFFIX_BY_LENGTH = _forms_by_length(_SUFFIX_TOKENS)
_PREFIX_BY_LENGTH = _forms_by_length(_PREFIX_TOKENS)
# Words left dangling once a form is cut: "Smith & Co." -> "smith and" -> "smith".
_DANGLING = {"and", "und", "et", "y", "i", "e"}
_NOT_WORD = re.compile(r"[^\w]+|_")


def _to_latin(text: str) -> str:
    """Casefold, transliterate Cyrillic and drop diacritics."""
    if text.isascii():  # NFKC, NFKD and both tables leave ASCII as it is; casefold is lower
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold().translate(_CYRILLIC_TABLE)
    text = text.translate(_LATIN_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", stripped)


def _cut_cjk_forms(text: str) -> str:
    """Remove CJK and Korean legal forms from both ends of an unspaced name."""
    if text.isascii():  # every CJK and Korean form has a non-ASCII character
        return text.strip()
    changed = True
    while changed:
        changed = False
        text = text.strip()
        for suffix in _CJK_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
        for prefix in _CJK_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
    return text


def _cut_token_forms(tokens: list[str]) -> list[str]:
    """Remove legal-form token sequences from the end (and prefix forms from the start)."""
    changed = True
    while changed and tokens:
        changed = False
        for size, forms in _SUFFIX_BY_LENGTH:
            if len(tokens) > size and tuple(tokens[-size:]) in forms:
                tokens, changed = tokens[:-size], True
                while len(tokens) > 1 and tokens[-1] in _DANGLING:
                    tokens = tokens[:-1]
                break
        for size, forms in _PREFIX_BY_LENGTH:
            if len(tokens) > size and tuple(tokens[:size]) in forms:
                tokens, changed = tokens[size:], True
                break
    return tokens


def name_tokens(name: str) -> list[str]:
    """The words of a name before legal forms are cut from its ends.

    ``normalise_company_name`` keeps a run of consecutive ones, so a key that
    ``compact_company_name`` gives starts with one of them.
    """
    text = _cut_cjk_forms(_to_latin(name))
    # Dots go without a space so abbreviations stay whole: "S.A." -> "sa", "N.V." -> "nv".
    text = text.replace(".", "").replace("&", " and ").replace("+", " and ")
    return [token for token in _NOT_WORD.split(text) if token]


def normalise_company_name(name: str) -> str:
    """Return the comparison form of a company name (casefolded, Latin, no legal forms)."""
    return " ".join(_cut_token_forms(name_tokens(name)))


def compact_company_name(name: str) -> str:
    """Return the normalised name without spaces, the key used for exact look-ups."""
    return normalise_company_name(name).replace(" ", "")
