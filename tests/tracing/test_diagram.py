"""The chain diagram and timeline: well-formed SVG, escaped text, gaps, diversion, labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from armtrace.store import Store
from armtrace.tracing import transitions as t
from armtrace.tracing.chains import item_chains
from armtrace.tracing.custody import TransferSpec, add_transfer
from armtrace.tracing.diagram import chain_timeline, render_chain_svg, render_timeline_svg
from tracing.support import ACTOR, SENT, Draft

ODD = 'Bad <Name> & "Quotes" Ltd'


def test_svg_is_well_formed_and_escapes_names(traced: Store, draft: Draft) -> None:
    key = draft().key
    t.send(traced, key, actor=ACTOR, on=SENT, today=date(2024, 6, 1))
    t.answer(traced, key, text="x", actor=ACTOR, on=date(2024, 3, 2), today=date(2024, 6, 1))
    add_transfer(
        traced,
        TransferSpec("Analog Devices, Inc.", ODD, "US", "GB", date(2023, 1, 9)),
        actor=ACTOR,
        request=key,
    )
    add_transfer(
        traced,
        TransferSpec("Elsewhere Trading", "Final Holder", None, None, None),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C3", "C4"],
    )
    [chain] = item_chains(traced, "KH-0001")
    svg = render_chain_svg(chain)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    assert ODD in texts  # escaped in the markup, intact once parsed
    assert "custody undocumented" in texts and "date unknown" in texts
    assert "point of diversion" in texts and "last legitimate custodian" in texts
    assert "EXERCISE" not in texts
    assert svg.count("stroke-dasharray") >= 2  # the gap and the recovery
    timeline = render_timeline_svg(chain)
    ET.fromstring(timeline)
    events = chain_timeline(chain)
    assert [e.kind for e in events] == ["transfer", "recovery"]  # the undated transfer is left out
    assert events[0].on == date(2023, 1, 9) and events[-1].on == date(2024, 1, 2)
