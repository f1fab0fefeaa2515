"""POST /api/ingest: pages or URLs into the served store, off unless a token is configured.

The one endpoint that writes. It is off by default (403 "ingest is disabled"); with
`ServeOptions.ingest_token` set, every request must carry `Authorization: Bearer <token>`
(compared in constant time) or gets a 401. The body is JSON, read with a size cap before it is
parsed: `{"urls": [...]}` and/or `{"pages": [{"name": ..., "content": ...}]}`. Pages are
written to a temporary folder and ingested like files; URLs are fetched with the usual polite
fetcher, which here refuses private, loopback and link-local hosts unless the server was
started with --allow-private (`FetchOptions.block_private`). One ingest runs at a time per
server process; the answer is the run's report, rejections included.
"""

from __future__ import annotations

import hmac
import re
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from newsfuse.api import Newsfuse
from newsfuse.config import ServeOptions
from newsfuse.pipeline import RunReport
from newsfuse.service.app import news_of, options_of
from newsfuse.service.runs import report_record

MAX_BODY_BYTES = 20 * 1024 * 1024
"""The largest request body read; a larger one is refused (413) before it is parsed."""
MAX_ITEMS = 100
"""URLs, and pages, one request may carry."""
MAX_URL = 2000
MAX_PAGE_CHARS = 5 * 1024 * 1024

router = APIRouter()
_one_at_a_time = threading.Lock()


class PageIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200, description="A file name.")]
    content: Annotated[str, Field(max_length=MAX_PAGE_CHARS, description="HTML or plain text.")]


class IngestRequest(BaseModel):
    urls: list[Annotated[str, Field(max_length=MAX_URL, pattern=r"^https?://")]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    pages: list[PageIn] = Field(default_factory=list, max_length=MAX_ITEMS)


class IngestRejection(BaseModel):
    source: str
    url: str | None
    reason: str
    detail: str


class IngestReport(BaseModel):
    run_id: int
    pages_seen: int
    ingested: int
    duplicates: int
    unchanged: int
    rejected: int
    rejected_by_reason: dict[str, int]
    rejections: list[IngestRejection]


def _error(status: int, code: str, detail: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


def _refusal(request: Request, options: ServeOptions) -> JSONResponse | None:
    """Why this request may not ingest, or None when it may."""
    if not options.ingest_token:
        return _error(
            403,
            "ingest_disabled",
            "ingest is disabled: start `newsfuse serve` with --ingest-token "
            "(or NEWSFUSE_INGEST_TOKEN) to turn it on",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = options.ingest_token.encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8"), expected
    ):
        return _error(
            401,
            "unauthorized",
            "ingest needs the server's token: send `Authorization: Bearer <token>`",
            **{"WWW-Authenticate": "Bearer"},
        )
    return None


async def _read_body(request: Request) -> bytes | JSONResponse:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            return _too_large()
    return bytes(body)


def _too_large() -> JSONResponse:
    return _error(413, "too_large", f"request body over {MAX_BODY_BYTES} bytes; send fewer pages")


def _inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its `$defs` written in place, so it stands on its own
    inside the OpenAPI document (the body is parsed by hand, after the size and token checks,
    so FastAPI does not register it under components)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


@router.post(
    "/ingest",
    response_model=IngestReport,
    tags=["ingest"],
    responses={
        401: {"description": "No token, or the wrong one."},
        403: {"description": "Ingest is disabled on this server."},
        413: {"description": "The body is too large."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline_schema(IngestRequest)}},
        }
    },
)
async def ingest(request: Request) -> Any:
    """Ingest pages (`pages`: name and HTML or text) and/or URLs (`urls`) into the store;
    answers the run's report. Needs `Authorization: Bearer <token>`."""
    options = options_of(request)
    if (refused := _refusal(request, options)) is not None:
        return refused
    body = await _read_body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        wanted = IngestRequest.model_validate_json(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:10]
        )
        return _error(422, "invalid_body", f"the body must be JSON {{urls, pages}}: {problems}")
    if not wanted.urls and not wanted.pages:
        return _error(400, "bad_request", "nothing to ingest: give `urls` or `pages`")
    report = await run_in_threadpool(_ingest, news_of(request), options, wanted)
    return report_record(report)


def _ingest(news: Newsfuse, options: ServeOptions, wanted: IngestRequest) -> RunReport:
    settings = news.settings
    guarded = replace(
        settings, fetch=replace(settings.fetch, block_private=not options.allow_private)
    )
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="newsfuse-ingest-") as folder:
        inputs = list(wanted.urls)
        if wanted.pages:
            inputs.append(_write_pages(Path(folder), wanted.pages))
        return Newsfuse(news.store, guarded).ingest(inputs)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _write_pages(folder: Path, pages: list[PageIn]) -> str:
    """Each page as a file of `folder` (a safe, unique name keeping its extension)."""
    for n, page in enumerate(pages):
        stem = _UNSAFE.sub("_", Path(page.name).name).strip("._")[:100] or "page"
        if not stem.lower().endswith((".html", ".htm", ".txt")):
            stem += ".html" if "<" in page.content[:2000] else ".txt"
        (folder / f"{n:03d}-{stem}").write_text(page.content, encoding="utf-8")
    return str(folder)
