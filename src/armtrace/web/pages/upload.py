"""Upload a component sheet with its photos (/upload), with progress and row-level errors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response

from armtrace.errors import ImportRejected
from armtrace.web.deps import ConfigDep, Documenter, StoreDep
from armtrace.web.pages.uploads import Upload, import_upload
from armtrace.web.templating import render

router = APIRouter(include_in_schema=False)
SHOWN_ERRORS = 200


def wants_json(request: Request) -> bool:
    """Whether the upload came from the page's script (XHR) rather than a plain form post."""
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, user: Documenter) -> HTMLResponse:
    """The upload form."""
    return render(request, "upload.html", {"result": None, "errors": [], "total_errors": 0})


@router.post("/upload", response_model=None)
def upload_submit(
    request: Request,
    store: StoreDep,
    config: ConfigDep,
    user: Documenter,
    sheet: Annotated[UploadFile, File()],
    photos: Annotated[list[UploadFile] | None, File()] = None,
    exercise: Annotated[bool, Form()] = False,
) -> Response:
    """Import the sheet and photos all or nothing; answer with the report or every bad row."""
    uploads = [Upload(p.filename or "photo", p.file) for p in photos or [] if p.filename]
    try:
        report = import_upload(
            store,
            Upload(sheet.filename or "sheet", sheet.file),
            uploads,
            actor=user.name,
            exercise=exercise,
            max_bytes=config.max_upload_bytes,
        )
    except ImportRejected as exc:
        errors = [
            {"file": e.file, "row": e.row, "column": e.column, "reason": e.reason}
            for e in exc.errors[:SHOWN_ERRORS]
        ]
        body: dict[str, Any] = {
            "ok": False,
            "message": f"{exc.total_errors} problem(s); nothing was imported.",
            "errors": errors,
            "total_errors": exc.total_errors,
        }
        if wants_json(request):
            return JSONResponse(body, status_code=422)
        return render(request, "upload.html", {"result": body, **body}, status_code=422)
    body = {
        "ok": True,
        "message": (
            f"{report.rows} rows imported from {report.file.rsplit('/', 1)[-1]}: "
            f"{report.items} items, {report.components} components, "
            f"{report.evidence_added} new photos; {report.changed} records changed."
        ),
        "errors": [],
        "total_errors": 0,
    }
    if wants_json(request):
        return JSONResponse(body)
    return render(request, "upload.html", {"result": body, **body})
