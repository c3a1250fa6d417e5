"""Prefixes added from the Horizon EDA pool audit of the big makers' real part numbers (issue 3).

Each part number below is a file in the Horizon EDA pool that names its maker (TS63: a Vishay
data sheet), cited beside the prefix in the record. The longest matching prefix, and only it, must
name that maker; the second test pins the families these longer prefixes sit beside, so neither
side swallows the other.
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify
from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("LME49720MAX", "texas-instruments"), ("LME49726MY/NOPB", "texas-instruments"),
        ("ESDS304DBVR", "texas-instruments"), ("ESDS314", "texas-instruments"),
        ("DS110DF111SQ/NOPB", "texas-instruments"), ("NVTFS5C478NLTAG", "onsemi"),
        ("DESD5V0U1BB-7", "diodes"), ("PMV15ENE", "nexperia"), ("PMV28ENE", "nexperia"),
        ("SFV28R-2STE1HLF", "amphenol"), ("TS63Y504KR10", "vishay"),
    ],
)  # fmt: skip
def test_horizon_prefix_is_the_longest_match(part_number: str, maker_id: str) -> None:
    assert longest_prefix_makers(load_registry(), part_number) == [maker_id]


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    # Dallas delay lines keep DS1 although TI's DS110DF retimers share its first four characters;
    # LM parts outside the LME audio family stay with the LM makers.
    [("DS1100Z-100", "dallas-semiconductor"), ("LM358", "texas-instruments")],
)  # fmt: skip
def test_neighbouring_family_keeps_its_maker(part_number: str, maker_id: str) -> None:
    assert maker_id in longest_prefix_makers(load_registry(), part_number)


def test_identify_names_the_maker_of_a_horizon_part() -> None:
    found = identify("LME49720MAX", registry=load_registry())
    assert found.manufacturer is not None and found.manufacturer.id == "texas-instruments"
