"""Word lists the name folding uses: transliteration, legal forms, generic business words.

Invariants:
- Everything here is lower case (names are casefolded before use).
- ``LEGAL_FORM_TOKENS`` are removed from names; ``GENERIC_WORDS`` stay but cannot identify a
  company alone. A word is in one list or the other, never both.
- rigour's legal-form table (``rigour.names.remove_org_types``) runs first; these lists add what
  it leaves behind once punctuation is gone (a lone "co", "hk", "ooo" in Latin letters).
"""

from __future__ import annotations

# Russian, Ukrainian and Belarusian letters, close to BGN/PCGN romanisation.
CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip

# Chinese legal forms, longest first when compiled; Simplified and Traditional.
HAN_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "总公司",
    "總公司", "分公司", "公司",
)  # fmt: skip

# Generic Chinese business words and places, mapped to the English word lists below use.
HAN_GENERIC: dict[str, str] = {
    "贸易": "trading", "貿易": "trading", "电子": "electronics", "電子": "electronics",
    "科技": "technology", "技术": "technology", "技術": "technology", "国际": "international",
    "國際": "international", "实业": "industrial", "實業": "industrial", "集团": "group",
    "集團": "group", "进出口": "import export", "進出口": "import export", "香港": "hong kong",
    "深圳市": "shenzhen", "深圳": "shenzhen", "上海": "shanghai", "北京": "beijing",
    "广州": "guangzhou", "廣州": "guangzhou", "中国": "china", "中國": "china",
    "控股": "holdings", "物流": "logistics", "供应链": "supply chain", "供應鏈": "supply chain",
    "元器件": "components", "器件": "components", "元件": "components", "工业": "industrial",
    "工業": "industrial",
}  # fmt: skip

# Multi-word legal forms in Latin letters that rigour's table misses once accents are gone.
LEGAL_FORM_PHRASES: tuple[str, ...] = (
    "gesellschaft mit beschrankter haftung", "private limited", "limited liability company",
    "limited liability partnership", "public joint stock company", "closed joint stock company",
    "open joint stock company", "joint stock company", "limited sirketi", "anonim sirketi",
    "ltd sti", "societe anonyme", "sp z o o", "s a de c v",
)  # fmt: skip


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LEGAL_FORM_TOKENS: frozenset[str] = _words(
    """co company corp corporation inc incorporated ltd limited llc plc gmbh ag sa srl bv nv
    oy ab kg ooo oao zao pao ao jsc ojsc cjsc pjsc tov llp lp pte pty sdn bhd kft sro spa
    sas sarl fzco fze fzc dmcc sl lda ug mbh ip fgup gup mup ano sti sirketi
    aktiengesellschaft pvt private"""
)

GENERIC_WORDS: frozenset[str] = (
    _words(
        """trading trade traders electronics electronic electron technology technologies tech
    international intl industrial industries industry group holding holdings import export
    components component supply supplies chain logistics engineering systems system solutions
    development manufacturing science scientific services service enterprise enterprises
    global asia pacific hong kong hk china shenzhen shanghai beijing guangzhou moscow russia
    research institute plant factory production company development commercial investment
    investments partners world general new the and of
    kompaniya nauchno proizvodstvennoe obedinenie zavod institut tekhnologii tekhnologiya
    elektronika elektronnye treid treyd torgovyy dom npo nii npp kb inzhiniring
    sistemy servis grupp kholding eksport"""
    )
    - LEGAL_FORM_TOKENS
)
