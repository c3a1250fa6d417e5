"""Disclosure terms: names withheld from the public until allowed, confidential answers kept."""

from __future__ import annotations

from datetime import date

import pytest

from armtrace.audit import entries
from armtrace.store import Store
from armtrace.tracing import transitions as t
from armtrace.tracing.chains import item_chains
from armtrace.tracing.custody import TransferSpec, add_transfer
from armtrace.tracing.disclosure import (
    WITHHELD_ANSWER,
    load_policy,
    public_name,
    redact_chain,
    redact_request,
    set_terms,
)
from armtrace.tracing.errors import TracingError
from armtrace.tracing.requests import get_request
from tracing.support import ACTOR, SENT, Draft

TODAY = date(2024, 6, 1)
DIST = "Testfall Bauteile Vertrieb GmbH"
TRADER = "Testcase Harbour Trading Co., Limited"


def test_unnamed_distributor_is_a_label_for_the_public_only(traced: Store) -> None:
    set_terms(
        traced,
        DIST,
        actor=ACTOR,
        may_name_publicly=False,
        company_kind="distributor",
        company_country="DE",
    )
    assert public_name(traced, DIST, audience="public") == "a distributor in Germany"
    assert public_name(traced, "testfall bauteile vertrieb", audience="public") == (
        "a distributor in Germany"
    )
    assert public_name(traced, DIST, audience="team") == DIST
    assert public_name(traced, TRADER, audience="public") == TRADER  # no terms: named
    assert [e.action for e in entries(traced, entity="disclosure_terms")] == ["set"]


def test_named_after_a_date(traced: Store) -> None:
    set_terms(
        traced,
        TRADER,
        actor=ACTOR,
        may_name_publicly=False,
        may_name_after=date(2025, 1, 1),
        company_kind="exporter",
        company_country="HK",
    )
    assert public_name(traced, TRADER, audience="public", today=date(2024, 12, 31)) == (
        "an exporter in Hong Kong"
    )
    assert public_name(traced, TRADER, audience="public", today=date(2025, 1, 1)) == TRADER


def test_strictest_terms_win_and_custom_label(traced: Store, draft: Draft) -> None:
    key = draft().key
    set_terms(traced, DIST, actor=ACTOR, may_name_publicly=True)
    set_terms(
        traced,
        DIST,
        actor=ACTOR,
        may_name_publicly=False,
        request=key,
        public_label="a European distributor",
    )
    assert public_name(traced, DIST, audience="public") == "a European distributor"
    # Replacing the company-wide terms does not lift the request's stricter ones.
    set_terms(traced, DIST, actor=ACTOR, may_name_publicly=True)
    assert public_name(traced, DIST, audience="public") == "a European distributor"


def test_bad_terms(traced: Store) -> None:
    with pytest.raises(TracingError, match="either"):
        set_terms(
            traced, DIST, actor=ACTOR, may_name_publicly=True, may_name_after=date(2025, 1, 1)
        )
    with pytest.raises(TracingError, match="alpha-2"):
        set_terms(traced, DIST, actor=ACTOR, may_name_publicly=False, company_country="Germany")
    with pytest.raises(TracingError, match="audience"):
        public_name(traced, DIST, audience="press")  # type: ignore[arg-type]  # deliberately wrong


def test_public_chain_hides_the_name_everywhere(traced: Store, draft: Draft) -> None:
    request = draft(name=DIST)
    t.send(traced, request.key, actor=ACTOR, on=SENT, today=TODAY)
    t.answer(
        traced,
        request.key,
        text=f"{DIST} sold the lot to {TRADER} on 14 August 2023.",
        actor=ACTOR,
        on=date(2024, 3, 20),
        today=TODAY,
    )
    add_transfer(
        traced,
        TransferSpec(
            DIST, TRADER, "DE", "HK", date(2023, 8, 14), note=f"per {DIST.upper()} invoice"
        ),
        actor=ACTOR,
        request=request.key,
    )
    set_terms(
        traced,
        DIST,
        actor=ACTOR,
        may_name_publicly=False,
        company_kind="distributor",
        company_country="DE",
    )
    [chain] = item_chains(traced, "KH-0001")
    public = redact_chain(chain, load_policy(traced, audience="public", today=TODAY))
    text = str(public.as_json())
    assert DIST not in text and DIST.upper() not in text
    assert "a distributor in Germany" in text and TRADER in text
    assert public.links[0].transfer is not None and public.links[0].transfer.document_sha256 is None
    team = redact_chain(chain, load_policy(traced, audience="team", today=TODAY))
    assert DIST in str(team.as_json())
    shown = redact_request(
        get_request(traced, request.key), load_policy(traced, audience="public", today=TODAY)
    )
    assert shown.recipient_name == "a distributor in Germany"
    assert DIST not in str(shown.as_json(TODAY)) and TRADER in shown.answers[0].text


def test_confidential_answer_is_withheld_from_the_public(traced: Store, draft: Draft) -> None:
    request = draft(name=DIST)
    t.send(traced, request.key, actor=ACTOR, on=SENT, today=TODAY)
    t.answer(
        traced,
        request.key,
        text="Our customer was Example Ltd.",
        actor=ACTOR,
        on=date(2024, 3, 20),
        today=TODAY,
    )
    set_terms(
        traced,
        DIST,
        actor=ACTOR,
        may_name_publicly=True,
        answer_confidential=True,
        request=request.key,
    )
    public = redact_request(
        get_request(traced, request.key), load_policy(traced, audience="public", today=TODAY)
    )
    assert public.answers[0].text == WITHHELD_ANSWER
    assert public.answers[0].document_sha256 is None
    assert public.recipient_name == DIST
    other = draft(name=DIST)
    t.send(traced, other.key, actor=ACTOR, on=SENT, today=TODAY)
    t.answer(
        traced, other.key, text="Nothing further.", actor=ACTOR, on=date(2024, 3, 20), today=TODAY
    )
    unaffected = redact_request(
        get_request(traced, other.key), load_policy(traced, audience="public", today=TODAY)
    )
    assert unaffected.answers[0].text == "Nothing further."  # terms were for one request only


def test_free_text_loses_the_name_in_other_spellings(traced: Store) -> None:
    set_terms(
        traced,
        DIST,
        actor=ACTOR,
        may_name_publicly=False,
        company_kind="distributor",
        company_country="DE",
    )
    policy = load_policy(traced, audience="public", today=TODAY)
    said = "TESTFALL-BAUTEILE VERTRIEB shipped it; Testfall Bauteile Vertrieb GmbH confirmed."
    shown = policy.text(said)
    assert "testfall" not in shown.lower()
    assert shown.count("a distributor in Germany") == 2
    assert load_policy(traced, audience="team", today=TODAY).text(said) == said
