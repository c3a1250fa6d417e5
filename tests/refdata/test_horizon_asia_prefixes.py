"""Passive-part families of Asian makers that armtrace missed or misnamed (issue 3).

The part numbers are real ones filed under the maker's folder in the Horizon EDA pool and cited
beside the prefix in src/armtrace/refdata/data/manufacturers/asia.yaml. Before these prefixes,
Yageo's CC0402... capacitors were named Texas Instruments (its bare CC prefix), and Panasonic ERJ
resistors, Yageo RL resistors, TDK C0G/CH/JB/NP0 and Nichicon ES capacitors got no answer.
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify
from armtrace.refdata import load_registry
from refdata.support import longest_prefix_makers


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [
        ("ERJ-2GEJ103", "panasonic"), ("ERJ-2GE0R00", "panasonic"),
        ("C1005C0G1H101J050BE", "tdk"), ("C1005CH2A681J050BC", "tdk"),
        ("C1005JB1A155K050BC", "tdk"), ("C1005NP01H102J050BA", "tdk"),
        ("CC0402BRNPO9BN2R2", "yageo"), ("CC0603BPNPO9BN1R0", "yageo"),
        ("RL2512FK-070R2L", "yageo"), ("UES1H101MHM", "nichicon"), ("UES0J102MHM", "nichicon"),
    ],
)  # fmt: skip
def test_horizon_part_is_named_by_its_maker(part_number: str, maker_id: str) -> None:
    registry = load_registry()
    assert longest_prefix_makers(registry, part_number) == [maker_id]
    found = identify(part_number, registry=registry).manufacturer
    assert found is not None and found.id == maker_id


def test_bare_cc_still_names_texas_instruments() -> None:
    # Only Yageo's size codes moved; a CC part with no size code keeps the existing answer.
    matches = load_registry().by_prefix("CC1101")
    assert matches[0][0].id == "texas-instruments"
