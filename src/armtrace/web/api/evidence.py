"""Evidence: upload a photo or document (checked by content), read it back, see its custody."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from armtrace.web.deps import ConfigDep, Documenter, DraftReader, StoreDep
from armtrace.web.error_pages import files_of
from armtrace.web.records import uploads

router = APIRouter(prefix="/api/evidence", tags=["evidence"])


@router.post("", status_code=201)
async def upload_evidence(
    store: StoreDep, config: ConfigDep, user: Documenter,
    file: UploadFile = File(description="a photo (JPEG, PNG, ...) or a PDF"),
    note: str | None = Form(None, max_length=2000),
) -> dict[str, Any]:  # fmt: skip
    """Store a file content-addressed; 400 when its content is not an image or PDF."""
    return await run_in_threadpool(
        uploads.store_photo, store, file.file, file.filename or "upload", actor=user.name,
        limit=config.max_upload_bytes, note=note,
    )  # fmt: skip


@router.get("/{sha256}", response_class=Response, responses=files_of(*sorted(uploads.PHOTO_TYPES)))
def read_evidence(sha256: str, store: StoreDep, _: DraftReader) -> Response:
    """The file's bytes, after re-checking its hash (400 if it no longer matches)."""
    content, media_type = uploads.read_evidence(store, sha256)
    return Response(
        content, media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Content-Disposition": "inline"},
    )  # fmt: skip


@router.get("/{sha256}/custody")
def read_custody(sha256: str, store: StoreDep, _: DraftReader) -> list[dict[str, Any]]:
    """Who added the file, when, from where."""
    return uploads.evidence_custody(store, sha256)
