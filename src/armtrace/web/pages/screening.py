"""Screening pages: stored matches with their explanations and judgements (/screening), a
one-name check (/screening?name=...), and the judgement form's target."""

from __future__ import annotations

import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armtrace.errors import ArmtraceError
from armtrace.screening import VERDICTS, judge, list_versions, matches_for, stored_matches
from armtrace.web.deps import DraftReader, Judge, StoreDep
from armtrace.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/screening", response_class=HTMLResponse)
def screening_page(
    request: Request,
    store: StoreDep,
    user: DraftReader,
    name: str = "",
    country: str = "",
    date: str = "",
) -> HTMLResponse:
    """Stored matches, and the result of screening one name when one is given."""
    checked = None
    error = None
    if name.strip():
        try:
            when = datetime.date.fromisoformat(date) if date else None
            checked = matches_for(store, name.strip(), country=country or None, transfer_date=when)
        except (ArmtraceError, ValueError) as exc:
            error = str(exc)
    matches = stored_matches(store)
    context = {
        "matches": matches,
        "checked": checked,
        "name": name,
        "country": country,
        "date": date,
        "lists": list_versions(store),
        "verdicts": VERDICTS,
        "error": error,
        "message": request.query_params.get("message"),
        "exercise": any(m.exercise for m in (*matches, *(checked or []))),
    }
    return render(request, "screening/matches.html", context)


@router.post("/screening/{match_id}/judge", response_model=None)
def judge_match(
    match_id: str,
    store: StoreDep,
    user: Judge,
    verdict: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record an analyst's verdict and go back to the list."""
    try:
        judge(store, match_id, verdict, actor=user.name, note=note.strip() or None)
        message = f"match {match_id}: {verdict} recorded."
    except ArmtraceError as exc:
        message = f"not recorded: {exc}"
    return RedirectResponse(f"/screening?message={quote(message)}", status_code=303)
