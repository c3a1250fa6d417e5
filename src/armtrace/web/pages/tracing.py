"""Tracing pages: the request list (/trace), one request (/trace/KEY) and an item's custody
chains (/items/KEY/chain); ``chain_views`` also feeds the item page's chain section."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armtrace.errors import ArmtraceError
from armtrace.store import Store
from armtrace.tracing import transitions
from armtrace.tracing.chains import Chain
from armtrace.tracing.custody import TransferSpec, add_transfer, transfers_for_request
from armtrace.tracing.diagram import chain_timeline, render_chain_svg, render_timeline_svg
from armtrace.tracing.disclosure import load_policy, set_terms
from armtrace.tracing.requests import DEFAULT_QUESTIONS, Recipient, create_request, list_requests
from armtrace.tracing.states import RECIPIENT_KINDS
from armtrace.tracing.views import chains_for, request_for
from armtrace.web.deps import DraftReader, Judge, Reader, StoreDep
from armtrace.web.records.reads import get_item
from armtrace.web.templating import render
from armtrace.web.visibility import audience_for

router = APIRouter(include_in_schema=False)
STEPS = ("send", "acknowledge", "answer", "refuse", "reply-summary", "reply", "lapse-reply")


@dataclass(frozen=True)
class ChainView:
    """A chain with its pictures, ready for a template."""

    chain: Chain
    svg: str
    timeline_svg: str
    events: list[Any]


def chain_views(store: Store, item_key: str, *, full: bool) -> list[ChainView]:
    """The item's chains as the audience may see them, each with its diagram and timeline."""
    chains = chains_for(store, item_key, audience="team" if full else "public")
    return [
        ChainView(ch, render_chain_svg(ch), render_timeline_svg(ch), chain_timeline(ch))
        for ch in chains
    ]


@router.get("/trace", response_class=HTMLResponse)
def trace_list(
    request: Request, store: StoreDep, user: DraftReader, overdue: bool = False
) -> HTMLResponse:
    """Trace requests with their states and deadlines."""
    today = datetime.date.today()
    found = list_requests(store, today=today, overdue_only=overdue)
    context = {
        "requests": found,
        "today": today,
        "overdue": overdue,
        "exercise": any(r.exercise for r in found),
    }
    return render(request, "tracing/list.html", context)


@router.get("/trace/new", response_class=HTMLResponse)
def new_request_form(
    request: Request, store: StoreDep, user: Judge, item: str, error: str | None = None
) -> HTMLResponse:
    """The form for a new trace request about some of an item's components."""
    return _new_page(request, store, user, item, error=error)


@router.post("/trace/new", response_model=None)
def new_request(
    request: Request,
    store: StoreDep,
    user: Judge,
    item: Annotated[str, Form()],
    recipient_name: Annotated[str, Form()],
    recipient_kind: Annotated[str, Form()],
    recipient_country: Annotated[str, Form()] = "",
    component: Annotated[list[str] | None, Form()] = None,
    questions: Annotated[str, Form()] = "",
) -> Response:
    """Draft the request (analysts) and go to its page."""
    asked = [q.strip() for q in questions.splitlines() if q.strip()]
    recipient = Recipient(recipient_name, recipient_kind, recipient_country.upper() or None)
    try:
        made = create_request(
            store,
            recipient,
            actor=user.name,
            item_key=item,
            component_keys=component or [],
            questions=asked,
        )
    except ArmtraceError as exc:
        return _new_page(request, store, user, item, error=str(exc), status_code=409)
    message = f"{made.key} drafted."
    return RedirectResponse(f"/trace/{quote(made.key)}?message={quote(message)}", status_code=303)


@router.post("/trace/{key}/transfer", response_model=None)
def record_transfer(
    request: Request,
    key: str,
    store: StoreDep,
    user: Judge,
    from_company: Annotated[str, Form()],
    to_company: Annotated[str, Form()],
    from_country: Annotated[str, Form()] = "",
    to_country: Annotated[str, Form()] = "",
    transfer_date: Annotated[str, Form()] = "",
    lot: Annotated[str, Form()] = "",
) -> Response:
    """Record a transfer the request's answer documents (analysts)."""
    try:
        when = datetime.date.fromisoformat(transfer_date) if transfer_date else None
        spec = TransferSpec(
            from_company,
            to_company,
            from_country.upper() or None,
            to_country.upper() or None,
            when,
            lot or None,
        )
        done = add_transfer(store, spec, actor=user.name, request=key)
    except (ArmtraceError, ValueError) as exc:
        return _request_page(request, store, key, error=str(exc), status_code=409)
    message = f"transfer {done.id} recorded: {done.from_company} to {done.to_company}."
    return RedirectResponse(f"/trace/{quote(key)}?message={quote(message)}", status_code=303)


@router.post("/trace/{key}/terms", response_model=None)
def record_terms(
    request: Request,
    key: str,
    store: StoreDep,
    user: Judge,
    named: Annotated[str, Form()] = "no",
    named_after: Annotated[str, Form()] = "",
    confidential: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
) -> Response:
    """Record the disclosure terms agreed with this request's recipient (analysts)."""
    try:
        found = request_for(store, key, audience="team")
        after = datetime.date.fromisoformat(named_after) if named_after else None
        set_terms(
            store,
            found.recipient_name,
            actor=user.name,
            may_name_publicly=named == "yes",
            may_name_after=after,
            answer_confidential=confidential == "yes",
            company_kind=found.recipient_kind,
            company_country=found.recipient_country,
            public_label=label or None,
            request=key,
        )
    except (ArmtraceError, ValueError) as exc:
        return _request_page(request, store, key, error=str(exc), status_code=409)
    message = "disclosure terms recorded."
    return RedirectResponse(f"/trace/{quote(key)}?message={quote(message)}", status_code=303)


@router.get("/trace/{key}", response_class=HTMLResponse)
def trace_request(request: Request, key: str, store: StoreDep, user: DraftReader) -> HTMLResponse:
    """One request: recipient, components, answers, deadlines, right of reply, actions."""
    return _request_page(request, store, key, message=request.query_params.get("message"))


@router.post("/trace/{key}/step", response_model=None)
def trace_step(
    request: Request,
    key: str,
    store: StoreDep,
    user: Judge,
    action: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    on: Annotated[str, Form()] = "",
) -> Response:
    """Move the request one step (analysts); errors are shown on the page."""
    try:
        day = datetime.date.fromisoformat(on) if on else None
        done = _step(store, key, action, text=text, on=day, actor=user.name)
    except (ArmtraceError, ValueError) as exc:
        return _request_page(request, store, key, error=str(exc), status_code=409)
    message = f"{done.key}: {action.replace('-', ' ')} recorded."
    return RedirectResponse(f"/trace/{quote(key)}?message={quote(message)}", status_code=303)


@router.get("/items/{key}/chain", response_class=HTMLResponse)
def item_chain_page(request: Request, key: str, store: StoreDep, user: Reader) -> HTMLResponse:
    """An item's custody chains: diagram, timeline and point of diversion."""
    views = chain_views(store, key, full=audience_for(user).full)
    context = {"item_key": key, "views": views, "exercise": any(v.chain.exercise for v in views)}
    return render(request, "tracing/chain.html", context)


def _step(
    store: Store, key: str, action: str, *, text: str, on: datetime.date | None, actor: str
) -> Any:
    if action == "send":
        return transitions.send(store, key, actor=actor, on=on)
    if action == "acknowledge":
        return transitions.acknowledge(store, key, actor=actor, on=on)
    if action == "answer":
        return transitions.answer(store, key, text=text, actor=actor, on=on)
    if action == "refuse":
        return transitions.refuse(store, key, text=text, actor=actor, on=on)
    if action == "reply-summary":
        return transitions.send_for_reply(store, key, summary=text, actor=actor, on=on)
    if action == "reply":
        return transitions.record_reply(store, key, text=text, actor=actor, on=on)
    if action == "lapse-reply":
        return transitions.lapse_reply(store, key, actor=actor, today=on)
    raise ValueError(f"unknown step {action!r}: use one of {', '.join(STEPS)}")


def _new_page(
    request: Request,
    store: Store,
    user: Any,
    item: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    found = get_item(store, audience_for(user), item)
    context = {
        "item": found,
        "kinds": RECIPIENT_KINDS,
        "questions": "\n".join(DEFAULT_QUESTIONS),
        "exercise": bool(found["incident"]["exercise"]),
        "error": error,
    }
    return render(request, "tracing/new.html", context, status_code=status_code)


def _request_page(
    request: Request,
    store: Store,
    key: str,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    found = request_for(store, key, audience="team")
    policy = load_policy(store, audience="public")
    context = {
        "tr": found,
        "public_name": policy.name(found.recipient_name),
        "transfers": transfers_for_request(store, found.id),
        "today": datetime.date.today(),
        "steps": STEPS,
        "exercise": found.exercise,
        "message": message,
        "error": error,
    }
    return render(request, "tracing/request.html", context, status_code=status_code)
