"""Company-name normalisation: real spellings from datasheets, registries and sanctions lists."""

from __future__ import annotations

import pytest

from armtrace.refdata.names import compact_company_name, normalise_company_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Analog Devices, Inc.", "analog devices"),
        ("ANALOG DEVICES INC", "analog devices"),
        ("Maxim Integrated Products, Inc.", "maxim integrated products"),
        ("ON Semiconductor Corporation", "on semiconductor"),
        ("Texas Instruments Incorporated", "texas instruments"),
        ("STMicroelectronics N.V.", "stmicroelectronics"),
        ("Infineon Technologies AG", "infineon technologies"),
        ("NXP Semiconductors N.V.", "nxp semiconductors"),
        ("Nordic Semiconductor ASA", "nordic semiconductor"),
        ("u-blox AG", "u blox"),
        ("Würth Elektronik eiSos GmbH & Co. KG", "wurth elektronik eisos"),
        ("Isabellenhütte Heusler GmbH & Co. KG", "isabellenhutte heusler"),
        ("Transfer Multisort Elektronik Sp. z o.o.", "transfer multisort elektronik"),
        ("Hon Hai Precision Industry Co., Ltd.", "hon hai precision industry"),
        ("Samsung Electronics Co., Ltd.", "samsung electronics"),
        ("Alpha & Omega Semiconductor Ltd", "alpha and omega semiconductor"),
        ("Alpha and Omega Semiconductor Limited", "alpha and omega semiconductor"),
        ("The Boeing Company", "boeing"),
        ("Premier Farnell plc", "premier farnell"),
        ("Digi-Key Corporation", "digi key"),
        ("Abracon LLC", "abracon"),
        ("Danfoss A/S", "danfoss"),
        ("Saft Groupe S.A.", "saft groupe"),
        ("Grupo Bimbo, S.A.B. de C.V.", "grupo bimbo"),
        ("Nanya Technology Corp.", "nanya technology"),
        ("TOSHIBA CORPORATION", "toshiba"),
        ("Murata Manufacturing Co., Ltd.", "murata manufacturing"),
        ("Rohm Co Ltd", "rohm"),
        ("Xsens Technologies B.V.", "xsens technologies"),
        ("Melexis NV", "melexis"),
        ("Sensonor AS", "sensonor"),
        ("Limbach Flugmotoren GmbH & Co. KG", "limbach flugmotoren"),
        ("Smith & Co.", "smith"),
        ("ООО «Ромашка»", "romashka"),
        ("Romashka LLC", "romashka"),
        ("АО «Миландр»", "milandr"),
        ('Общество с ограниченной ответственностью "Альфа"', "alfa"),
        ("ПАО «Микрон»", "mikron"),
        ("ЗАО «ЭЛВИС»", "elvis"),
        ("OAO Integral", "integral"),
        ("PJSC Mikron", "mikron"),
        ("Joint Stock Company Angstrem", "angstrem"),
        ("ТОВ «Тест»", "test"),
        ("ОАО «Интеграл»", "integral"),
        ("株式会社村田製作所", "村田製作所"),
        ("深圳市华强电子有限公司", "深圳市华强电子"),
        ("華邦電子股份有限公司", "華邦電子"),
        ("삼성전자 주식회사", "삼성전자"),
        ("Limited", "limited"),
        ("  Microchip   Technology  Inc. ", "microchip technology"),
    ],
)
def test_normalise_company_name(raw: str, expected: str) -> None:
    assert normalise_company_name(raw) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("u-blox AG", "UBLOX"),
        ("Digi-Key Electronics", "DigiKey Electronics"),
        ("ООО «Ромашка»", "Romashka, LLC"),
        ("Alpha & Omega Semiconductor", "ALPHA AND OMEGA SEMICONDUCTOR INC."),
    ],
)
def test_compact_names_compare_equal(left: str, right: str) -> None:
    assert compact_company_name(left) == compact_company_name(right)


@pytest.mark.parametrize(
    "raw",
    ["Analog Devices, Inc.", "ООО «Ромашка»", "Würth Elektronik eiSos GmbH & Co. KG", "Co. Ltd."],
)
def test_normalisation_is_idempotent(raw: str) -> None:
    once = normalise_company_name(raw)
    assert normalise_company_name(once) == once


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Analog Devices", "Texas Instruments"),
        ("AMD", "AMS"),
        ("Micron Technology", "Microchip Technology"),
    ],
)
def test_different_companies_stay_different(left: str, right: str) -> None:
    assert compact_company_name(left) != compact_company_name(right)
