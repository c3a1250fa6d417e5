"""Trace requests, disclosure terms and custody chains over HTTP (/api/trace).

Requests and their answers are team material (READ_DRAFTS to read, JUDGE to change). Chains of
published items are public, redacted under the disclosure terms for anyone without READ_DRAFTS.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from armtrace.tracing import transitions
from armtrace.tracing.custody import (
    TransferSpec,
    add_transfer,
    chain_companies,
    mark_diversion,
    unmark_diversion,
)
from armtrace.tracing.diagram import render_chain_svg
from armtrace.tracing.disclosure import set_terms
from armtrace.tracing.letter import letter_html, render_pdf
from armtrace.tracing.requests import Recipient, create_request, list_requests
from armtrace.tracing.views import chains_for, request_for
from armtrace.web.deps import (
    MAX_ROW_ID,
    AudienceDep,
    DraftReader,
    Judge,
    Reader,
    RowId,
    StoreDep,
)
from armtrace.web.error_pages import files_of

router = APIRouter(prefix="/api/trace", tags=["tracing"])
Kind = Literal["manufacturer", "distributor", "exporter", "licensing_authority"]


class NewRequest(BaseModel):
    """A draft request about components, named by id or by item and component keys."""

    recipient_name: str = Field(min_length=1, max_length=500)
    recipient_kind: Kind
    recipient_country: str | None = Field(None, min_length=2, max_length=2)
    manufacturer_id: str | None = Field(None, max_length=100)
    item_key: str | None = Field(None, max_length=200)
    component_keys: list[str] = Field(default_factory=list, max_length=1000)
    component_ids: list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] = Field(
        default_factory=list, max_length=1000
    )
    questions: list[str] = Field(default_factory=list, max_length=50)
    key: str | None = Field(None, max_length=60)


class Step(BaseModel):
    """A dated step (date defaults to today) and, for answers, refusals and replies, the text."""

    on: datetime.date | None = None
    text: str = Field("", max_length=50000)
    document_sha256: str | None = Field(None, min_length=64, max_length=64)


Action = Literal["send", "acknowledge", "answer", "refuse", "reply-summary", "reply", "lapse-reply"]


class NewTransfer(BaseModel):
    """A custody transfer, documented by an answered request or an analyst's document."""

    from_company: str = Field(min_length=1, max_length=500)
    to_company: str = Field(min_length=1, max_length=500)
    from_country: str | None = Field(None, min_length=2, max_length=2)
    to_country: str | None = Field(None, min_length=2, max_length=2)
    transfer_date: datetime.date | None = None
    lot: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=5000)
    request: str | None = Field(None, max_length=60)
    item_key: str | None = Field(None, max_length=200)
    component_keys: list[str] = Field(default_factory=list, max_length=1000)
    document_sha256: str | None = Field(None, min_length=64, max_length=64)


class NewTerms(BaseModel):
    """Disclosure terms agreed with a company."""

    company_name: str = Field(min_length=1, max_length=500)
    may_name_publicly: bool
    may_name_after: datetime.date | None = None
    answer_confidential: bool = False
    company_kind: str | None = Field(None, max_length=30)
    company_country: str | None = Field(None, min_length=2, max_length=2)
    public_label: str | None = Field(None, max_length=200)
    request: str | None = Field(None, max_length=60)
    note: str | None = Field(None, max_length=5000)


class Mark(BaseModel):
    """An analyst's point of diversion at a transfer."""

    last_legitimate_custodian: str = Field(min_length=1, max_length=500)
    note: str | None = Field(None, max_length=5000)


def _today() -> datetime.date:
    return datetime.date.today()


@router.get("/requests")
def get_requests(
    store: StoreDep, _: DraftReader, overdue: bool = False, state: str | None = None,
    item: str | None = None, as_of: datetime.date | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Trace requests, deadlines judged on ``as_of`` (default today)."""
    today = as_of or _today()
    found = list_requests(store, today=today, overdue_only=overdue, state=state, item_key=item)
    return [r.as_json(today) for r in found]


@router.post("/requests", status_code=201)
def post_request(body: NewRequest, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Draft a request (analysts and up)."""
    recipient = Recipient(
        body.recipient_name, body.recipient_kind, body.recipient_country, body.manufacturer_id
    )
    made = create_request(
        store,
        recipient,
        actor=user.name,
        component_ids=body.component_ids,
        item_key=body.item_key,
        component_keys=body.component_keys,
        questions=body.questions,
        key=body.key,
    )
    return made.as_json(_today())


@router.get("/requests/{ref}")
def get_one(ref: str, store: StoreDep, _: DraftReader) -> dict[str, Any]:
    """One request with its components and answers."""
    return request_for(store, ref, audience="team").as_json(_today())


@router.post("/requests/{ref}/{action}")
def post_step(ref: str, action: Action, body: Step, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Move a request one step; text is what was said (answer, refusal, summary, reply)."""
    actor, on, text = user.name, body.on, body.text
    if action == "send":
        done = transitions.send(store, ref, actor=actor, on=on)
    elif action == "acknowledge":
        done = transitions.acknowledge(store, ref, actor=actor, on=on)
    elif action == "answer":
        done = transitions.answer(
            store, ref, text=text, actor=actor, on=on, document_sha256=body.document_sha256
        )
    elif action == "refuse":
        done = transitions.refuse(store, ref, text=text, actor=actor, on=on)
    elif action == "reply-summary":
        done = transitions.send_for_reply(store, ref, summary=text, actor=actor, on=on)
    elif action == "reply":
        done = transitions.record_reply(store, ref, text=text, actor=actor, on=on)
    else:
        done = transitions.lapse_reply(store, ref, actor=actor, today=on)
    return done.as_json(_today())


@router.get(
    "/requests/{ref}/letter.{fmt}",
    response_class=Response,
    responses=files_of("text/html", "application/pdf"),
)
def get_letter(ref: str, fmt: Literal["html", "pdf"], store: StoreDep, _: DraftReader) -> Response:
    """The request letter as HTML or PDF."""
    html = letter_html(store, ref)
    if fmt == "html":
        return Response(html, media_type="text/html; charset=utf-8")
    return Response(
        render_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{ref}.pdf"'},
    )


@router.post("/transfers", status_code=201)
def post_transfer(body: NewTransfer, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Record a custody transfer."""
    spec = TransferSpec(
        body.from_company,
        body.to_company,
        body.from_country,
        body.to_country,
        body.transfer_date,
        body.lot,
        body.note,
    )
    done = add_transfer(
        store,
        spec,
        actor=user.name,
        request=body.request,
        item_key=body.item_key,
        component_keys=body.component_keys,
        document_sha256=body.document_sha256,
    )
    return done.as_json()


@router.put("/transfers/{transfer_id}/diversion")
def put_diversion(transfer_id: RowId, body: Mark, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Mark the point of diversion at a transfer."""
    mark_diversion(
        store,
        transfer_id,
        last_legitimate_custodian=body.last_legitimate_custodian,
        actor=user.name,
        note=body.note,
    )
    return {"transfer_id": transfer_id, "marked": True}


@router.delete("/transfers/{transfer_id}/diversion")
def delete_diversion(transfer_id: RowId, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Withdraw the mark."""
    unmark_diversion(store, transfer_id, actor=user.name)
    return {"transfer_id": transfer_id, "marked": False}


@router.post("/terms", status_code=201)
def post_terms(body: NewTerms, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Record disclosure terms agreed with a company."""
    fields = body.model_dump(exclude={"company_name"})
    agreed = set_terms(store, body.company_name, actor=user.name, **fields)
    return {
        "company_name": body.company_name,
        "public_label": agreed.label,
        "nameable_today": agreed.nameable(_today()),
    }


@router.get("/companies")
def get_companies(store: StoreDep, _: DraftReader) -> list[dict[str, Any]]:
    """Every company in a custody chain."""
    return [c.as_json() for c in chain_companies(store)]


@router.get("/chains/{item_key}")
def get_chains(item_key: str, store: StoreDep, audience: AudienceDep, _: Reader) -> dict[str, Any]:
    """An item's custody chains; redacted under disclosure terms for the public."""
    chains = chains_for(store, item_key, audience="team" if audience.full else "public")
    return {"item": item_key, "chains": [c.as_json() for c in chains]}


@router.get(
    "/chains/{item_key}/{index}.svg", response_class=Response, responses=files_of("image/svg+xml")
)
def get_chain_svg(
    item_key: str, index: int, store: StoreDep, audience: AudienceDep, _: Reader
) -> Response:
    """One chain's diagram as SVG."""
    chains = chains_for(store, item_key, audience="team" if audience.full else "public")
    if not 0 <= index < len(chains):
        return Response(
            f"item {item_key} has no chain {index}", status_code=404, media_type="text/plain"
        )
    return Response(render_chain_svg(chains[index]), media_type="image/svg+xml")
