"""Identify markings: the same JSON as ``armtrace identify --json``, one object per marking."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from armtrace.markings.identify import identify
from armtrace.web.deps import Reader

router = APIRouter(prefix="/api/identify", tags=["identify"])


class Markings(BaseModel):
    """Markings as read (lines separated by ' / ' or newlines) and when they were documented."""

    markings: list[str] = Field(min_length=1, max_length=500)
    documented_on: date | None = None


@router.post("")
async def identify_markings(body: Markings, _: Reader) -> list[dict[str, Any]]:
    """Maker, current owner, headquarters country, date code, confidence and why, per marking."""

    def run() -> list[dict[str, Any]]:
        return [identify(m, documented_on=body.documented_on).as_json() for m in body.markings]

    return await run_in_threadpool(run)
