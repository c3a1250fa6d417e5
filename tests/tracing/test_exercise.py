"""The exercise trace for the demo: labelled, answered, a chain that reaches a listed company."""

from __future__ import annotations

from datetime import date
from importlib.resources import as_file, files
from pathlib import Path

import pytest

from armtrace.screening import load_list
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.tracing.diagram import render_chain_svg
from armtrace.tracing.disclosure import load_policy, redact_chain
from armtrace.tracing.errors import TracingError
from armtrace.tracing.exercise import load_exercise_trace
from armtrace.tracing.letter import letter_html

MERIDIAN = "Exercise Meridian Distribution GmbH"
NORTHSTAR = "Exercise Northstar Components Trading Co., Limited"
TODAY = date(2026, 11, 24)


@pytest.fixture
def case(store: Store) -> Store:
    """The store with the bundled exercise case imported."""
    with as_file(files("armtrace.demo").joinpath("data", "exercise_case.csv")) as sheet:
        import_sheet(store, Path(sheet), exercise=True, actor="test")
    return store


def test_needs_the_exercise_case(store: Store) -> None:
    with pytest.raises(TracingError, match="import the exercise case first"):
        load_exercise_trace(store, today=TODAY)


def test_loads_once_labelled_and_answered(case: Store) -> None:
    loaded = load_exercise_trace(case, today=TODAY)
    assert loaded.created
    assert [r.state for r in loaded.requests] == ["answered", "answered", "sent"]
    assert all(r.exercise for r in loaded.requests)
    assert [r.reply_status(TODAY) for r in loaded.requests] == ["reply_lapsed", "replied", None]
    assert [r.overdue(TODAY) for r in loaded.requests] == [False, False, True]
    maker_answer = loaded.requests[0].answers[0].text
    assert (
        maker_answer.startswith("EXERCISE ANSWER")
        and "Exercise answer on behalf of" in maker_answer
    )
    assert loaded.requests[0].manufacturer_id == "texas-instruments"
    again = load_exercise_trace(case, today=TODAY)
    assert not again.created and len(again.chains) == 1
    assert "EXERCISE DATA" in letter_html(case, "EX-TR-001", today=TODAY)


def test_chain_reaches_the_listed_company_after_its_listing(case: Store) -> None:
    with as_file(files("armtrace.demo").joinpath("data", "exercise_sanctions.ftm.json")) as ftm:
        load_list(case, Path(ftm), actor="test")
    [chain] = load_exercise_trace(case, today=TODAY).chains
    assert chain.exercise and len(chain.component_keys) == 6
    names = [n.name for n in chain.nodes]
    assert names[:3] == ["Texas Instruments Incorporated", MERIDIAN, NORTHSTAR]
    northstar = chain.nodes[2].sanctions
    assert northstar.listed and northstar.listed_since == date(2023, 5, 19)
    assert northstar.transfer_after_listing is True
    assert not chain.nodes[1].sanctions.listed
    suggestion = chain.suggestion
    assert suggestion is not None and suggestion.by == "screening"
    assert suggestion.last_legitimate_custodian == MERIDIAN
    svg = render_chain_svg(chain)
    assert "LISTED" in svg and "EXERCISE DATA" in svg
    public = redact_chain(chain, load_policy(case, audience="public", today=TODAY))
    assert MERIDIAN not in str(public.as_json()) and NORTHSTAR in str(public.as_json())
    later = redact_chain(chain, load_policy(case, audience="public", today=date(2027, 1, 1)))
    assert MERIDIAN in str(later.as_json())  # the terms allow naming it from 2027-01-01
    lines = load_exercise_trace(case, today=TODAY).lines(TODAY)
    assert lines[0].startswith("EXERCISE trace request EX-TR-001")
    assert any("[LISTED: received after its listing on 2023-05-19]" in line for line in lines)
    assert any("point of diversion (screening)" in line for line in lines)
