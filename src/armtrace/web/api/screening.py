"""Sanctions screening over HTTP (/api/screening).

Screening results name companies next to sanctions lists, so they are team material: READ_DRAFTS
to read, JUDGE to load lists, run screenings and record judgements.
"""

from __future__ import annotations

import dataclasses
import datetime
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel, Field

from armtrace.errors import ImportRejected
from armtrace.screening import (
    Party,
    judge,
    list_versions,
    load_list,
    matches_for,
    run_screening,
    stored_matches,
)
from armtrace.web.deps import DraftReader, Judge, StoreDep
from armtrace.web.error_pages import REJECTED_IMPORT

router = APIRouter(prefix="/api/screening", tags=["screening"])


class NewJudgement(BaseModel):
    """An analyst's verdict on a match."""

    verdict: Literal["match", "no-match", "unsure"]
    note: str | None = Field(None, max_length=5000)


class NewRun(BaseModel):
    """Extra companies to screen with the store's own parties (remembered for later runs)."""

    names: list[str] = Field(default_factory=list, max_length=1000)
    country: str | None = Field(None, min_length=2, max_length=2)


@router.get("/matches")
def get_matches(store: StoreDep, user: DraftReader, weak: bool = False) -> dict[str, Any]:
    """Matches stored by the last runs, best first, with judgements."""
    return {"matches": [m.as_json() for m in stored_matches(store, include_weak=weak)]}


@router.get("/name")
def screen_name(
    store: StoreDep,
    user: DraftReader,
    name: str,
    country: str | None = None,
    date: datetime.date | None = None,
) -> dict[str, Any]:
    """Screen one name now (nothing stored), with explanations."""
    found = matches_for(store, name, country=country, transfer_date=date)
    return {"name": name, "country": country, "matches": [m.as_json() for m in found]}


@router.post("/run")
def run(store: StoreDep, user: Judge, body: NewRun) -> dict[str, Any]:
    """Screen the store's manufacturers and chain companies; report what changed."""
    country = body.country.upper() if body.country else None
    parties = [Party(n, country) for n in body.names]
    return run_screening(store, actor=user.name, names=parties).as_json()


@router.post("/matches/{match_id}/judgement")
def post_judgement(
    match_id: str, store: StoreDep, user: Judge, body: NewJudgement
) -> dict[str, Any]:
    """Record an analyst's verdict; it survives re-screening."""
    return judge(store, match_id, body.verdict, actor=user.name, note=body.note).as_json()


@router.get("/lists")
def get_lists(store: StoreDep, user: DraftReader) -> dict[str, Any]:
    """Loaded list versions, newest first."""
    return {"lists": [v.as_json() for v in list_versions(store)]}


@router.post("/lists", responses=REJECTED_IMPORT)
def post_list(store: StoreDep, user: Judge, file: UploadFile = File(...)) -> dict[str, Any]:
    """Load an uploaded FtM entity file and re-screen; the same file twice changes nothing."""
    # The client's base name is kept (the list version records it), but "", "." and ".." name
    # the folder itself, not a file in it.
    name = Path(file.filename or "").name
    if name in ("", ".", ".."):
        name = "list.ftm.json"
    with tempfile.TemporaryDirectory(prefix="armtrace-list-") as folder:
        path = Path(folder) / name
        with path.open("wb") as handle:
            shutil.copyfileobj(file.file, handle)
        try:
            return load_list(store, path, actor=user.name).as_json()
        except ImportRejected as exc:
            # Name the file as the client sent it: the server's temporary folder is no one's
            # business and would otherwise show in every row error.
            errors = [dataclasses.replace(e, file=name) for e in exc.errors]
            raise ImportRejected(name, errors, exc.total_errors) from None
