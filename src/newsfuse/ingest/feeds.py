"""RSS and Atom feeds: each entry becomes a page, with what the feed says as hints.

With a fetcher, an entry that links to an http(s) page is fetched (the page is the article;
a feed's summary rarely is). Without one, or without such a link, the entry's own content
(`content:encoded`, then the summary) is the page, and its URL is the entry's link.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import feedparser  # type: ignore[import-untyped]

from newsfuse.config import IngestOptions
from newsfuse.ingest.http import Fetcher
from newsfuse.ingest.items import Item, Origin
from newsfuse.ingest.pages import make_page
from newsfuse.ingest.web import fetch_page, is_url
from newsfuse.model import PageHints, PageKind, Rejection, RejectReason

_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
"""feedparser's "bozo" notes that do not make a feed malformed."""


def iter_feed(
    data: bytes, origin: Origin, opts: IngestOptions, fetcher: Fetcher | None
) -> Iterator[Item]:
    """Pages from one feed document; a malformed one yields what parsed, then a Rejection."""
    parsed = feedparser.parse(io.BytesIO(data), response_headers=_feed_headers(origin))
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and isinstance(problem, _BENIGN):
        problem = None
    entries = parsed.get("entries", [])
    if not entries:
        if problem is not None or not parsed.get("version"):
            yield origin.reject(
                RejectReason.UNREADABLE, f"not a readable RSS/Atom feed ({problem or 'no feed'})"
            )
        else:
            yield origin.reject(RejectReason.EMPTY, "the feed has no entries")
        return
    channel = parsed.get("feed", {})
    for index, entry in enumerate(entries):
        yield _entry_item(entry, index, channel, origin, opts, fetcher)
    if problem is not None:
        yield origin.reject(
            RejectReason.UNREADABLE,
            f"the feed is malformed ({problem}); its first {len(entries)} entries were read",
        )


def _feed_headers(origin: Origin) -> dict[str, str]:
    headers = {}
    if origin.url:
        # feedparser resolves relative links against Content-Location.
        headers["content-location"] = origin.url
    if content_type := origin.headers.get("content-type"):
        headers["content-type"] = content_type
    return headers


def _entry_item(
    entry: Mapping[str, Any],
    index: int,
    channel: Mapping[str, Any],
    origin: Origin,
    opts: IngestOptions,
    fetcher: Fetcher | None,
) -> Item:
    hints = entry_hints(entry, channel)
    link = entry.get("link") or None
    if fetcher is not None and link and is_url(link):
        return fetch_page(link, fetcher, opts, hints)
    source = origin.at(str(index))
    body = _entry_body(entry)
    if body is None:
        return Rejection(
            source,
            RejectReason.INVALID_RECORD,
            f"{source}: the feed entry has no content or summary"
            + ("" if fetcher else " (pass a fetcher to fetch its link)"),
            url=link,
        )
    content, kind = body
    return make_page(
        content.encode("utf-8"),
        kind,
        source=source,
        fetched_at=origin.fetched_at,
        opts=opts,
        url=link,
        hints=hints,
        encoding="utf-8",
    )


def entry_hints(entry: Mapping[str, Any], channel: Mapping[str, Any]) -> PageHints:
    """What a feed says about one entry's page."""
    return PageHints(
        title=entry.get("title") or None,
        published=entry.get("published") or entry.get("updated") or None,
        outlet=feed_outlet(channel),
        authors=_author_names(entry),
        language=channel.get("language") or None,
    )


_TITLE_PARTS = re.compile(r"\s+[–—|:-]\s+|\s*[|»]\s*")


def feed_outlet(channel: Mapping[str, Any]) -> str | None:
    """The outlet a feed belongs to: its title without a section ("Meridian Wire – Top News").

    The part whose letters spell the site's host wins ("World | Kestrel Daily" on
    kestreldaily.example); else the first part, the usual "Outlet – Section" order.
    """
    title = str(channel.get("title") or "").strip()
    if not title:
        return None
    parts = [p for p in _TITLE_PARTS.split(title) if p.strip()]
    host = urlsplit(str(channel.get("link") or "")).hostname or ""
    squashed_host = re.sub(r"[^a-z0-9]", "", host.lower())
    for part in parts:
        squashed = re.sub(r"[^a-z0-9]", "", part.lower())
        if len(squashed) >= 3 and squashed in squashed_host:
            return part.strip()
    return parts[0].strip() if parts else title


_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
"""RSS `<author>`: `email (Name)`."""


def _author_names(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names = [(author.get("name") or "").strip() for author in entry.get("authors") or []]
    # feedparser splits `email (Name)` wrongly for some domains; the raw field is reliable.
    if match := _RSS_AUTHOR.match(entry.get("author") or ""):
        names[:1] = [match.group("name").strip()]
    elif not names and entry.get("author"):
        names = [str(entry["author"]).strip()]
    return tuple(name for name in names if name)


def _entry_body(entry: Mapping[str, Any]) -> tuple[str, PageKind] | None:
    """The entry's fullest text: its content (`content:encoded`), else its summary."""
    candidates = [*(entry.get("content") or []), entry.get("summary_detail") or {}]
    for part in candidates:
        value = (part.get("value") or "").strip()
        if value:
            plain = part.get("type") == "text/plain"
            return value, PageKind.TEXT if plain else PageKind.HTML
    return None
