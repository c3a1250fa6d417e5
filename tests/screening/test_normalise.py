"""Name folding: scripts, legal-form noise and generic words (table-style, no store)."""

from __future__ import annotations

import pytest

from armtrace.screening.normalise import fold_name, translit_fold

LEGAL_FORMS = [
    ("Polar Star Components Trading Co., Limited", "polar star components trading"),
    ("Polar Star Components Trading Company Ltd.", "polar star components trading"),
    ("Acme LLC", "acme"),
    ("ООО «Северная Звезда»", "severnaya zvezda"),
    ("АО «Микрон»", "mikron"),
    ("Общество с ограниченной ответственностью «Вектор»", "vektor"),
    ("Публичное акционерное общество «Урал Кварц»", "ural kvarts"),
    ("OOO Serniya Engineering", "serniya engineering"),
    ("Aldebaran Halbleiter GmbH", "aldebaran halbleiter"),
    ("Aldebaran Halbleiter Gesellschaft mit beschrankter Haftung", "aldebaran halbleiter"),
    ("Corvina Microsystems Sdn. Bhd.", "corvina microsystems"),
    ("Quillon Avionics Private Limited", "quillon avionics"),
    ("World Jetta (H.K.) Logistics Ltd", "world jetta hk logistics"),
    ("深圳市凌岳电子有限公司", "shenzhen ling yue electronics"),
    ("香港喬欣貿易有限公司", "hong kong qiao xin trading"),
]


@pytest.mark.parametrize(("name", "folded"), LEGAL_FORMS)
def test_legal_forms_and_scripts_fold_away(name: str, folded: str) -> None:
    assert fold_name(name).text == folded


def test_simplified_and_traditional_chinese_fold_to_the_same_text() -> None:
    assert fold_name("香港乔欣贸易有限公司").text == fold_name("香港喬欣貿易有限公司").text


@pytest.mark.parametrize(
    "name", ["Electronics Trading Co., Limited", "Hong Kong Technology Supply Chain Ltd"]
)
def test_names_of_generic_words_only_have_no_distinctive_part(name: str) -> None:
    assert fold_name(name).distinctive == ()


def test_a_name_that_is_only_a_legal_form_keeps_its_words() -> None:
    assert fold_name("Limited").tokens == ("limited",)


@pytest.mark.parametrize(
    ("a", "b"),
    [("vektor", "vector"), ("severnaja", "severnaya"), ("severnaia", "severnaya"),
     ("khoroshevo", "horoshevo"), ("zhytomyr", "zhitomir")],
)  # fmt: skip
def test_romanisation_variants_fold_together(a: str, b: str) -> None:
    assert translit_fold(a) == translit_fold(b)


def test_different_words_do_not_fold_together() -> None:
    assert translit_fold("sertal") != translit_fold("sortal")
