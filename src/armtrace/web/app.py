"""The FastAPI application factory (one app per store; yente's layout).

Invariants:
- Every module in ``armtrace.web.api`` and ``armtrace.web.pages`` with a module-level
  ``router`` is included, in name order: dropping a file into either package serves it.
- The store is opened once per app (in the lifespan) and closed on shutdown; an app built
  around a given store (tests) leaves closing it to the caller.
- ``authenticate`` runs before every route, so ``request.state.user`` is always set.
- Library errors become HTTP answers in one place: NotFound 404, rejected imports 422 with
  row-level errors, any other ArmtraceError 400 with its message.
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
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from armtrace.errors import ArmtraceError, ImportRejected, NotFound
from armtrace.refdata.manufacturers import load_registry
from armtrace.settings import Settings, load_settings
from armtrace.store import Store
from armtrace.web.config import WebConfig, load_web_config
from armtrace.web.deps import NotSignedIn, authenticate
from armtrace.web.limits import BodyLimit

STATIC = Path(__file__).parent / "static"
ROUTER_PACKAGES = ("armtrace.web.api", "armtrace.web.pages")


def router_modules() -> Iterator[ModuleType]:
    """Every module of the router packages that has a module-level ``router``."""
    for package_name in ROUTER_PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package_name}.{info.name}")
            if isinstance(getattr(module, "router", None), APIRouter):
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
        dependencies=[Depends(authenticate)],
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
    app.add_middleware(BodyLimit, max_bytes=config.max_upload_bytes)
    return app


def is_api(request: Request) -> bool:
    """Whether a request is for the JSON API rather than a page."""
    return request.url.path.startswith("/api")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if is_api(request):
            return JSONResponse({"detail": exc.detail}, 401, headers=exc.headers)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return JSONResponse({"detail": str(exc)}, 404)

    @app.exception_handler(ImportRejected)
    async def rejected(request: Request, exc: ImportRejected) -> Response:
        errors = [
            {"row": e.row, "column": e.column, "reason": e.reason, "file": e.file}
            for e in getattr(exc, "errors", [])
        ]
        return JSONResponse({"detail": str(exc), "errors": errors}, 422)

    @app.exception_handler(ArmtraceError)
    async def user_error(request: Request, exc: ArmtraceError) -> Response:
        return JSONResponse({"detail": str(exc)}, 400)
