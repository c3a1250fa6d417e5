"""Trace requests: every state change, every illegal transition, both deadlines."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from armtrace.audit import entries
from armtrace.errors import NotFound
from armtrace.store import Store
from armtrace.tracing import transitions as t
from armtrace.tracing.errors import IllegalTransition, TracingError
from armtrace.tracing.requests import Recipient, create_request, get_request, list_requests
from tracing.support import ACTOR, SENT, Draft

LATER = SENT + timedelta(days=10)
TODAY = date(2024, 6, 1)


def test_create_names_components_and_audits(traced: Store, draft: Draft) -> None:
    request = draft()
    assert request.state == "draft"
    assert request.key == "TR-0001"
    assert [c.key for c in request.components] == ["C3", "C4"]
    assert request.questions  # the default questions
    assert not request.exercise
    audit = entries(traced, entity="trace_request", entity_key=request.key)
    assert [e.action for e in audit] == ["create"]
    assert audit[0].after is not None and audit[0].after["recipient_name"] == request.recipient_name


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "broker"}, "recipient kind"),
        ({"country": "Germany"}, "ISO 3166-1"),
        ({"name": "  "}, "recipient name"),
    ],
)
def test_create_rejects_bad_recipients(
    traced: Store, changes: dict[str, str], message: str
) -> None:
    fields = {"name": "X GmbH", "kind": "distributor", "country": "DE"} | changes
    with pytest.raises(TracingError, match=message):
        create_request(
            traced, Recipient(**fields), actor=ACTOR, item_key="KH-0001", component_keys=["C1"]
        )


def test_create_rejects_unknown_components(traced: Store) -> None:
    recipient = Recipient("X GmbH", "distributor", "DE")
    with pytest.raises(TracingError, match="no component C9"):
        create_request(traced, recipient, actor=ACTOR, item_key="KH-0001", component_keys=["C9"])
    with pytest.raises(TracingError, match="at least one component"):
        create_request(traced, recipient, actor=ACTOR)
    with pytest.raises(TracingError, match="no component with id 999"):
        create_request(traced, recipient, actor=ACTOR, component_ids=[999])


def test_full_path_with_each_state_change_audited(
    traced: Store, draft: Draft, tmp_path: Path
) -> None:
    key = draft().key
    assert t.send(traced, key, actor=ACTOR, on=SENT, today=TODAY).state == "sent"
    assert (
        t.acknowledge(traced, key, actor=ACTOR, on=SENT + timedelta(days=2), today=TODAY).state
        == "acknowledged"
    )
    letter = tmp_path / "answer.pdf"
    letter.write_bytes(b"%PDF-1.4 test answer")
    answered = t.answer(
        traced,
        key,
        text="Sold to Example Trading.",
        actor=ACTOR,
        on=LATER,
        document=letter,
        today=TODAY,
    )
    assert answered.state == "answered" and answered.answered_on == LATER
    assert answered.answers[0].document_sha256 is not None
    assert traced.evidence.verify(answered.answers[0].document_sha256)
    summary = t.send_for_reply(
        traced, key, summary="X sold to Y.", actor=ACTOR, on=LATER, today=TODAY
    )
    assert summary.reply_state == "reply_sent" and summary.reply_due == LATER + timedelta(days=28)
    replied = t.record_reply(
        traced, key, text="No comment.", actor=ACTOR, on=LATER + timedelta(days=5), today=TODAY
    )
    assert replied.reply_state == "replied" and replied.reply_text == "No comment."
    actions = [e.action for e in reversed(entries(traced, entity="trace_request", entity_key=key))]
    assert actions == ["create", "send", "acknowledge", "answer", "send_for_reply", "record_reply"]


def test_refusal_and_further_answers(traced: Store, draft: Draft) -> None:
    refused = draft().key
    t.send(traced, refused, actor=ACTOR, on=SENT, today=TODAY)
    assert (
        t.refuse(
            traced, refused, text="We do not comment.", actor=ACTOR, on=LATER, today=TODAY
        ).state
        == "refused"
    )
    assert get_request(traced, refused).refusal_text == "We do not comment."
    answered = draft().key
    t.send(traced, answered, actor=ACTOR, on=SENT, today=TODAY)
    t.answer(traced, answered, text="First.", actor=ACTOR, on=LATER, today=TODAY)
    again = t.answer(
        traced, answered, text="Second.", actor=ACTOR, on=LATER + timedelta(days=1), today=TODAY
    )
    assert [a.text for a in again.answers] == ["First.", "Second."]
    assert again.answered_on == LATER  # the first answer dates the step


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "acknowledge"),
        ([], "answer"),
        ([], "refuse"),
        (["send"], "send"),
        (["send", "acknowledge"], "acknowledge"),
        (["send", "answer"], "refuse"),
        (["send", "answer"], "send"),
        (["send", "refuse"], "answer"),
        (["send", "refuse"], "acknowledge"),
    ],
)
def test_illegal_transitions_raise_and_change_nothing(
    traced: Store, draft: Draft, path: list[str], illegal: str
) -> None:
    key = draft().key
    for action in path:
        _do(traced, key, action)
    before = get_request(traced, key)
    with pytest.raises(IllegalTransition, match=f"{key}: cannot {illegal}"):
        _do(traced, key, illegal)
    assert get_request(traced, key) == before


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        (["send"], "send_for_reply"),
        ([], "record_reply"),
        (["send", "answer"], "record_reply"),
        (["send", "answer"], "lapse_reply"),
        (["send", "answer", "send_for_reply"], "send_for_reply"),
        (["send", "answer", "send_for_reply", "record_reply"], "lapse_reply"),
        (["send", "answer", "send_for_reply", "record_reply"], "record_reply"),
    ],
)
def test_illegal_reply_transitions(
    traced: Store, draft: Draft, path: list[str], illegal: str
) -> None:
    key = draft().key
    for action in path:
        _do(traced, key, action)
    with pytest.raises(IllegalTransition, match=key):
        _do(traced, key, illegal, today=date(2025, 1, 1))


def test_dates_must_follow_each_other_and_not_be_in_the_future(traced: Store, draft: Draft) -> None:
    key = draft().key
    with pytest.raises(TracingError, match="after today"):
        t.send(traced, key, actor=ACTOR, on=TODAY + timedelta(days=1), today=TODAY)
    t.send(traced, key, actor=ACTOR, on=SENT, today=TODAY)
    with pytest.raises(TracingError, match="before the previous step"):
        t.answer(traced, key, text="x", actor=ACTOR, on=SENT - timedelta(days=1), today=TODAY)


def test_overdue_at_day_29_not_day_28(traced: Store, draft: Draft) -> None:
    key = draft().key
    t.send(traced, key, actor=ACTOR, on=SENT, today=SENT)
    day28, day29 = SENT + timedelta(days=28), SENT + timedelta(days=29)
    assert get_request(traced, key).answer_due == day28
    assert not get_request(traced, key).overdue(day28)
    assert get_request(traced, key).overdue(day29)
    assert [r.key for r in list_requests(traced, overdue_only=True, today=day28)] == []
    assert [r.key for r in list_requests(traced, overdue_only=True, today=day29)] == [key]
    t.acknowledge(traced, key, actor=ACTOR, on=SENT + timedelta(days=3), today=day29)
    assert get_request(traced, key).overdue(day29)  # acknowledging does not stop the clock
    t.answer(traced, key, text="Late answer.", actor=ACTOR, on=day29, today=day29)
    assert not get_request(traced, key).overdue(day29 + timedelta(days=100))


def test_draft_is_never_overdue(traced: Store, draft: Draft) -> None:
    key = draft().key
    assert not get_request(traced, key).overdue(date(2099, 1, 1))
    assert get_request(traced, key).answer_due is None


def test_right_of_reply_lapses_after_28_days(traced: Store, draft: Draft) -> None:
    key = draft().key
    t.send(traced, key, actor=ACTOR, on=SENT, today=TODAY)
    t.answer(traced, key, text="Sold to Example Trading.", actor=ACTOR, on=LATER, today=TODAY)
    t.send_for_reply(traced, key, summary="X sold to Y.", actor=ACTOR, on=LATER, today=TODAY)
    day28, day29 = LATER + timedelta(days=28), LATER + timedelta(days=29)
    request = get_request(traced, key)
    assert request.reply_status(day28) == "reply_sent"
    assert request.reply_status(day29) == "reply_lapsed"
    with pytest.raises(TracingError, match="runs until"):
        t.lapse_reply(traced, key, actor=ACTOR, today=day28)
    lapsed = t.lapse_reply(traced, key, actor=ACTOR, today=day29)
    assert lapsed.reply_state == "reply_lapsed" and lapsed.reply_lapsed_on == day29
    with pytest.raises(IllegalTransition):
        t.record_reply(traced, key, text="Too late.", actor=ACTOR, on=day29, today=day29)


def test_unknown_request(traced: Store) -> None:
    with pytest.raises(NotFound, match="TR-9999"):
        get_request(traced, "TR-9999")
    with pytest.raises(NotFound):
        t.send(traced, 12345, actor=ACTOR)


def test_answer_with_unknown_document_hash(traced: Store, draft: Draft) -> None:
    key = draft().key
    t.send(traced, key, actor=ACTOR, on=SENT, today=TODAY)
    with pytest.raises(TracingError, match="no evidence"):
        t.answer(
            traced, key, text="x", actor=ACTOR, on=LATER, document_sha256="a" * 64, today=TODAY
        )
    assert get_request(traced, key).state == "sent"


def _do(store: Store, key: str, action: str, today: date = TODAY) -> None:
    on = {"send": SENT}.get(action, LATER)
    if action in ("answer", "refuse", "record_reply"):
        getattr(t, action)(store, key, text="x", actor=ACTOR, on=on, today=today)
    elif action == "send_for_reply":
        t.send_for_reply(store, key, summary="s", actor=ACTOR, on=on, today=today)
    elif action == "lapse_reply":
        t.lapse_reply(store, key, actor=ACTOR, today=today)
    else:
        getattr(t, action)(store, key, actor=ACTOR, on=on, today=today)
