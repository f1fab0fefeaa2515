"""What a client may send the HTTP service, checked before anything reaches the store.

Query parameters arrive as strings; this module turns them into typed values or raises
`ConfigError` (which the application answers with 400 and the message), so a malformed date, an
oversized page or a tampered cursor is the client's error, never a 500. Length and pattern caps
that FastAPI can enforce itself (422) are declared as constants here for the routes to share.

Cursors are opaque to clients: urlsafe base64 of a small JSON object naming the listing it
belongs to (`k`) and where the next page starts. Story and article listings page by keyset (the
id of the last item, resolved again on the next request); the others by offset.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from newsfuse.config import ServeOptions
from newsfuse.errors import ConfigError

MAX_TEXT = 500
"""Longest free-text parameter (search words, names, titles)."""
MAX_CURSOR = 1000
"""Longest cursor a client may send back (ours are far shorter)."""
MAX_OFFSET = 1_000_000
"""Deepest offset an offset cursor may carry: deeper pages should narrow the filter."""
MAX_COUNT = 10_000_000
"""Largest number a count parameter (min_articles) may take."""

TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Free text without control characters (PostgreSQL refuses NUL in text)."""
ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,100}$"
"""A story or article id, a unique prefix of one, or a merged story's id."""
ACTOR_PATTERN = r"^[\w.:'\-]{1,200}$"
"""An actor id: "KOR", "person:kim-jong-un", "org:nato", "place:amur-oblast"."""
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$"
"""A BCP 47 language tag as the store keeps it ("en", "de", "pt-BR")."""
CODE_PATTERN = r"^[A-Za-z_]{1,40}$"
"""A PLOVER event type, an entity kind, an event modality."""

_DATE_HELP = "an ISO date or datetime (2023-09-14, 2023-09-14T08:30, 2023-09-14T08:30:00+09:00)"


def parse_instant(value: str | None, name: str) -> datetime | None:
    """An ISO date (midnight UTC) or datetime (naive means UTC) from a query parameter."""
    if value is None or value == "":
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(text)
        # In UTC now: an instant at the edge of the calendar (9999-12-31T23:00-05:00) cannot be.
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise ConfigError(f"{name}: {value[:40]!r} is not {_DATE_HELP}") from None


def parse_day(value: str | None, name: str) -> date | None:
    """An ISO date (a datetime's day) from a query parameter."""
    instant = parse_instant(value, name)
    return instant.date() if instant is not None else None


def check_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and until <= since:
        raise ConfigError("until must be later than since")


def page_size(limit: int | None, options: ServeOptions) -> int:
    """The page size a request asked for, within the server's bounds."""
    if limit is None:
        return options.default_page_size
    if limit < 1:
        raise ConfigError(f"limit: must be at least 1, not {limit}")
    if limit > options.max_page_size:
        raise ConfigError(f"limit: at most {options.max_page_size} items a page, not {limit}")
    return limit


def code(value: str | None) -> str | None:
    """An upper-cased code (PLOVER types are stored upper-case: CONSULT, ASSAULT)."""
    return value.upper() if value else None


# -- cursors -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyCursor:
    """Where a keyset listing goes on: after the item with this id."""

    last_id: str


@dataclass(frozen=True, slots=True)
class OffsetCursor:
    """Where an offset listing goes on: at this position (and, for quotes, this many quotes
    into the article there)."""

    offset: int
    skip: int = 0


def encode_cursor(kind: str, cursor: KeyCursor | OffsetCursor) -> str:
    payload: dict[str, object] = {"k": kind}
    if isinstance(cursor, KeyCursor):
        payload["id"] = cursor.last_id
    else:
        payload["o"] = cursor.offset
        if cursor.skip:
            payload["s"] = cursor.skip
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _payload(token: str, kind: str) -> dict[str, object]:
    bad = ConfigError(
        f"cursor: not a cursor of this {kind} listing; pass back the next_cursor of the "
        "previous page unchanged"
    )
    if len(token) > MAX_CURSOR:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise bad
    return payload


def decode_key_cursor(token: str | None, kind: str) -> KeyCursor | None:
    if not token:
        return None
    last_id = _payload(token, kind).get("id")
    if not isinstance(last_id, str) or not re.fullmatch(ID_PATTERN, last_id):
        raise ConfigError(f"cursor: not a cursor of this {kind} listing (bad position)")
    return KeyCursor(last_id)


def decode_offset_cursor(token: str | None, kind: str) -> OffsetCursor:
    if not token:
        return OffsetCursor(0)
    payload = _payload(token, kind)
    offset, skip = payload.get("o"), payload.get("s", 0)
    for value in (offset, skip):
        if type(value) is not int or not 0 <= value <= MAX_OFFSET:
            raise ConfigError(f"cursor: not a cursor of this {kind} listing (bad position)")
    assert isinstance(offset, int) and isinstance(skip, int)
    return OffsetCursor(offset, skip)
