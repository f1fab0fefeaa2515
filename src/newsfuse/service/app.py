"""The HTTP service: the JSON API under `/api` (OpenAPI at `/api/openapi.json`, docs at
`/api/docs`) and the server-rendered web UI at `/`, over one opened store.

`create_app(settings)` builds the application around one `Newsfuse` (its engine's pool serves
the worker threads); `serve(settings)` runs it with uvicorn on `settings.serve.host`. With
several workers uvicorn imports `app_from_env`, which reads the settings `serve` exported.

Errors: an id that names nothing is 404; a bad parameter is 400/422 with a message saying which
and why; nothing a client sends reaches SQL except as a bound parameter.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse.api import Newsfuse, open_newsfuse
from newsfuse.config import ServeOptions, Settings
from newsfuse.errors import ConfigError, NewsfuseError, NotFoundError
from newsfuse.service.dossier_cache import DossierCache

STATIC_DIR = Path(__file__).parent / "web" / "static"
if TYPE_CHECKING:
    from newsfuse.fuse.dossier import Dossier

_SETTINGS_ENV = "NEWSFUSE_SERVE_SETTINGS"


def create_app(settings: Settings | None = None, news: Newsfuse | None = None) -> FastAPI:
    """The application over `news` (or the store `settings.db_url` names, opened here and
    closed on shutdown)."""
    resolved = settings or (news.settings if news is not None else Settings.from_env())
    owned = news is None
    opened = news or open_newsfuse(resolved.db_url, resolved)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the dossiers' sentence encoder now (≈ 0.7 s), not in the first dossier request.
        threading.Thread(target=_warm_up, name="newsfuse-warm-up", daemon=True).start()
        yield
        if owned:
            opened.close()

    from newsfuse import __version__
    from newsfuse.service.api_routes import router as api_router
    from newsfuse.service.web.pages import router as web_router

    app = FastAPI(
        title="newsfuse",
        version=__version__,
        description="Multi-source news event intelligence: stories, dossiers, articles, "
        "entities, quotes, events and search over one newsfuse store.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.news = opened
    app.state.options = resolved.serve
    app.state.dossiers = DossierCache(
        size=resolved.serve.dossier_cache_size, ttl_s=resolved.serve.dossier_ttl_s
    )
    app.include_router(api_router, prefix="/api")
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_error_handlers(app)
    return app


def _warm_up() -> None:
    from newsfuse.fuse.facts import default_embedder

    default_embedder().embed(["newsfuse is starting."])


def news_of(request: Request) -> Newsfuse:
    """The store the application serves (a FastAPI dependency)."""
    news: Newsfuse = request.app.state.news
    return news


def dossier_of(request: Request, story_id: str) -> Dossier:
    """A story's dossier through the application's cache (see `service.dossier_cache`)."""
    cache: DossierCache = request.app.state.dossiers
    return cache.get(news_of(request), story_id)


def options_of(request: Request) -> ServeOptions:
    options: ServeOptions = request.app.state.options
    return options


def _add_error_handlers(app: FastAPI) -> None:
    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "not_found", "detail": str(exc)}, status_code=404)

    async def bad_request(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "bad_request", "detail": str(exc)}, status_code=400)

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {
                "parameter": ".".join(str(p) for p in e.get("loc", ()) if p != "query"),
                "message": e.get("msg", "invalid"),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{p['parameter']}: {p['message']}" for p in problems)
        return JSONResponse(
            {"error": "invalid_parameter", "detail": detail, "problems": problems},
            status_code=422,
        )

    async def store_failed(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "unavailable", "detail": str(exc)}, status_code=503)

    async def unknown_path(request: Request, exc: Exception) -> Response:
        # A path no route serves: JSON under /api, the UI's HTML page elsewhere.
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith("/api") or exc.status_code != 404:
            return await http_exception_handler(request, exc)
        from newsfuse.service.web.responses import error_page

        return error_page(request, 404, "Not found", f"No page at {request.url.path}.")

    app.add_exception_handler(StarletteHTTPException, unknown_path)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConfigError, bad_request)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(NewsfuseError, store_failed)


def app_from_env() -> FastAPI:
    """uvicorn's factory for worker processes: the settings `serve` put in the environment."""
    raw = json.loads(os.environ[_SETTINGS_ENV])
    serve = ServeOptions(**raw.pop("serve"))
    return create_app(Settings(db_url=raw["db_url"], serve=serve))


def serve(settings: Settings) -> None:
    """Run the service until interrupted (Ctrl-C)."""
    import uvicorn

    options = settings.serve
    if options.workers <= 1:
        uvicorn.run(create_app(settings), host=options.host, port=options.port, log_level="warning")
        return
    os.environ[_SETTINGS_ENV] = json.dumps(
        {"db_url": settings.db_url, "serve": asdict(replace(options))}
    )
    uvicorn.run(
        "newsfuse.service.app:app_from_env",
        factory=True,
        host=options.host,
        port=options.port,
        workers=options.workers,
        log_level="warning",
    )
