"""Refuse NUL characters in request text before any route sees it.

PostgreSQL text cannot hold a NUL character: a path, query, JSON or form value carrying one
would reach the driver and fail there (a 500), while SQLite would store it. The importer already
refuses NUL in sheet cells; this does the same for everything else a request can carry, so both
stores answer alike: 400 with a message that says why.

Invariant: ``refuse_nul`` runs for every route (an app-level dependency, after
``authenticate``); it reads only what FastAPI has already read (the JSON body is bounded by
``BodyLimit``; form fields, not uploaded files).
"""

from __future__ import annotations

import re

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

# A JSON string spells NUL as \u0000; an even number of backslashes before it is escaped text.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MESSAGE = "text cannot contain NUL (\\u0000) characters"


async def refuse_nul(request: Request) -> None:
    """400 when the path, query, a JSON body or a form field holds a NUL character."""
    query = request.query_params.multi_items()
    if "\x00" in request.scope["path"] or any("\x00" in k + v for k, v in query):
        raise HTTPException(400, MESSAGE)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        if _JSON_NUL.search(await request.body()):
            raise HTTPException(400, MESSAGE)
    elif content_type.startswith(_FORM_TYPES):
        form = await request.form()
        for name, value in form.multi_items():
            text = (value.filename or "") if isinstance(value, UploadFile) else value
            if "\x00" in name or "\x00" in text:
                raise HTTPException(400, MESSAGE)
