"""How the web UI answers: templates with autoescaping always on, security headers on every
page, and HTML error pages.

The application maps errors to JSON for the API; a person following a bad link should get a
page instead, so the UI router uses `HtmlRoute`, which turns the errors a page handler raises
(an unknown id, a bad parameter) into a 404 or 400 page with the message, and adds the
headers that keep untrusted article text inert even if a template ever slipped: a
Content-Security-Policy that allows no inline script and nothing from another origin.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from newsfuse.errors import ConfigError, NewsfuseError, NotFoundError
from newsfuse.service.web.highlight import evidence_href

TEMPLATE_DIR = Path(__file__).parent / "templates"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _when(value: datetime | date | None) -> str:
    """A timestamp as the pages show it: UTC, to the minute."""
    if value is None:
        return "undated"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _safe_url(value: str | None) -> str | None:
    """An http(s) URL, or None: a stored URL is untrusted and must not become `javascript:`."""
    if value and value.lower().startswith(("http://", "https://")):
        return value
    return None


def _unquoted(text: str) -> str:
    """A quote's words without the quotation marks around them (the page wraps it in `<q>`,
    which adds its own); unchanged when marks stand inside it too (see `_marked`)."""
    inner = text.strip().rstrip(",").strip()
    if len(inner) > 1 and inner[0] in _QUOTE_MARKS and inner[-1] in _QUOTE_MARKS:
        inner = inner[1:-1].strip().rstrip(",")
    return text if _marked(inner) else inner


def _marked(text: str) -> bool:
    """Whether the text carries quotation marks of its own, so `<q>` must add none."""
    return any(mark in text for mark in _QUOTE_MARKS)


_QUOTE_MARKS = '"“”‘’«»„'


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["safe_url"] = _safe_url
    env.filters["unquoted"] = _unquoted
    env.tests["marked"] = _marked
    env.globals["evidence_href"] = evidence_href
    return env


templates = Jinja2Templates(env=_environment())


def page(
    request: Request, template: str, context: Mapping[str, Any], status_code: int = 200
) -> Response:
    """`template` rendered with `context`, with the security headers."""
    response = templates.TemplateResponse(request, template, dict(context), status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    return page(
        request, "error.html", {"title": title, "message": message}, status_code=status_code
    )


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class HtmlRoute(APIRoute):
    """A UI route: errors become HTML pages (404 unknown id, 400 bad parameter, 503 store)."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def html_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except NotFoundError as exc:
                return error_page(request, 404, "Not found", str(exc))
            except ConfigError as exc:
                return error_page(request, 400, "Bad request", str(exc))
            except RequestValidationError as exc:
                return error_page(request, 400, "Bad request", _validation_message(exc))
            except NewsfuseError as exc:
                return error_page(request, 503, "Store unavailable", str(exc))

        return html_errors


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"
