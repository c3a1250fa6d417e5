"""Component sheets: upload one to import it (all or nothing), or download the store as one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from armtrace.sheets.exporter import export_sheet
from armtrace.web.deps import ConfigDep, Documenter, DraftReader, StoreDep
from armtrace.web.error_pages import REJECTED_IMPORT, files_of
from armtrace.web.records.uploads import import_upload

router = APIRouter(prefix="/api/sheets", tags=["sheets"])
EXPORT_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.post("", responses=REJECTED_IMPORT)
async def upload_sheet(
    store: StoreDep, config: ConfigDep, user: Documenter,
    file: UploadFile = File(description="a .csv, .jsonl or .xlsx component sheet"),
    exercise: bool = Form(False, description="mark every incident in it as exercise data"),
) -> dict[str, Any]:  # fmt: skip
    """Import a sheet; 422 with every bad row (row, column, reason) and nothing written."""
    report = await run_in_threadpool(
        import_upload, store, file.file, file.filename or "upload", actor=user.name,
        exercise=exercise, limit=config.max_upload_bytes,
    )  # fmt: skip
    return report.as_json() | {"file": file.filename}


@router.get("/export", response_class=FileResponse, responses=files_of(*EXPORT_TYPES.values()))
def download_sheet(
    store: StoreDep, _: DraftReader, format: Literal["csv", "jsonl", "xlsx"] = "csv"
) -> FileResponse:
    """The whole store as one component sheet (photos are not included; use the evidence API)."""
    work = Path(tempfile.mkdtemp(prefix="armtrace-export-"))
    path = work / f"armtrace-export.{format}"
    try:
        export_sheet(store, path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return FileResponse(
        path, filename=path.name, media_type=EXPORT_TYPES[format],
        background=BackgroundTask(shutil.rmtree, work, ignore_errors=True),
    )  # fmt: skip
