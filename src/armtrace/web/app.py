"""The FastAPI application factory (one app per store; yente's layout).

Invariants:
- Every module in ``armtrace.web.api`` and ``armtrace.web.pages`` with a module-level
  ``router`` is included, in name order (the hot read routes of ``HOT_MODULES`` first): dropping
  a file into either package serves it. No two routes share a method and path, so the order
  never changes which route answers.
- The store is opened once per app (in the lifespan) and closed on shutdown; an app built
  around a given store (tests) leaves closing it to the caller.
- ``authenticate`` runs before every route, so ``request.state.user`` is always set; then
  ``refuse_nul`` answers 400 to text with a NUL character (PostgreSQL cannot store one).
  ``web.fastread`` answers most ``GET /api/items/{key}`` requests before routing, with the
  same answer the route gives, and hands every other request on.
- Every answer carries the security headers of ``armtrace.web.headers`` (CSP, nosniff, no
  framing).
- Library errors become HTTP answers in one place: NotFound 404, rejected imports 422 with
  row-level errors, a database that went away or stayed locked 503 (with Retry-After, never
  a traceback or SQL), an evidence directory that cannot take a file 507 (full) or 500 without
  its path, any other ArmtraceError 400 with its message. Errors on pages requested by
  a browser (Accept: text/html) render ``error.html``; ``/api`` always answers JSON.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from armtrace.errors import (
    ArmtraceError,
    EvidenceUnwritable,
    ImportRejected,
    NotFound,
    StoreUnavailable,
)
from armtrace.refdata.manufacturers import load_registry
from armtrace.settings import Settings, load_settings
from armtrace.store import Store
from armtrace.store.db import UNAVAILABLE, store_failure
from armtrace.web.config import WebConfig, load_web_config
from armtrace.web.deps import NotSignedIn, authenticate
from armtrace.web.error_pages import error_response, is_api, wants_html
from armtrace.web.fastread import ItemReadFastPath
from armtrace.web.headers import SecurityHeaders, content_security_policy
from armtrace.web.limits import BodyLimit
from armtrace.web.templating import tiles_url
from armtrace.web.text_guard import refuse_nul

STATIC = Path(__file__).parent / "static"
ROUTER_PACKAGES = ("armtrace.web.api", "armtrace.web.pages")
# Matched first: FastAPI tries routes one by one, and these are the most requested reads.
HOT_MODULES = ("armtrace.web.api.items", "armtrace.web.api.incidents")


def router_modules() -> Iterator[ModuleType]:
    """Every module of the router packages that has a module-level ``router``, the hot read
    routes first, then the rest in name order."""
    for name in HOT_MODULES:
        yield importlib.import_module(name)
    for package_name in ROUTER_PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package_name}.{info.name}")
            hot = module.__name__ in HOT_MODULES
            if not hot and isinstance(getattr(module, "router", None), APIRouter):
                yield module


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    web_config: WebConfig | None = None,
) -> FastAPI:
    """Build the application; it opens ``settings``' store, or serves the given ``store``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The registry takes a second or more to load: pay it at start-up, not on a request.
        await run_in_threadpool(load_registry)
        if store is not None:
            yield
            return
        opened = Store.open(settings or load_settings())
        app.state.store = opened
        try:
            yield
        finally:
            opened.close()

    app = FastAPI(
        title="armtrace",
        summary="Trace recovered weapons to the companies and countries that made their parts.",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(authenticate), Depends(refuse_nul)],
    )
    config = web_config or load_web_config()
    app.state.web_config = config
    if store is not None:
        app.state.store = store
    for module in router_modules():
        app.include_router(module.router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_error_handlers(app)
    # Added first, so the middlewares added after it (outside it) still see every request.
    app.add_middleware(ItemReadFastPath)
    app.add_middleware(BodyLimit, max_bytes=config.max_upload_bytes)
    # Outermost, so error answers (413 from BodyLimit included) carry the headers too.
    app.add_middleware(SecurityHeaders, policy=content_security_policy(tiles_url()))
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if is_api(request):
            return JSONResponse({"detail": exc.detail}, 401, headers=exc.headers)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code in (204, 304):  # no body allowed
            return Response(status_code=exc.status_code, headers=headers)
        return error_response(request, exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if not wants_html(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return error_response(request, 422, problems)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(ImportRejected)
    async def rejected(request: Request, exc: ImportRejected) -> Response:
        errors = [
            {"row": e.row, "column": e.column, "reason": e.reason, "file": e.file}
            for e in getattr(exc, "errors", [])
        ]
        return error_response(request, 422, str(exc), extra={"errors": errors})

    @app.exception_handler(ArmtraceError)
    async def user_error(request: Request, exc: ArmtraceError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(EvidenceUnwritable)
    async def evidence_unwritable(request: Request, exc: EvidenceUnwritable) -> Response:
        # The server's fault, not the caller's, and its paths are not the caller's business.
        return error_response(request, 507 if exc.no_space else 500, exc.public)

    async def unavailable(request: Request, exc: Exception) -> Response:
        failure = exc if isinstance(exc, StoreUnavailable) else store_failure(exc, "the request")
        status = 503 if isinstance(failure, StoreUnavailable) else 500
        return error_response(request, status, str(failure), headers={"Retry-After": "5"})

    # Raised outside Store.begin (reads, pool check-out) or by the raw bulk paths.
    for kind in (StoreUnavailable, *UNAVAILABLE):
        app.add_exception_handler(kind, unavailable)
