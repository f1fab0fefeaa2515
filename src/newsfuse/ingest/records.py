"""JSON and JSON Lines exports: one record per page, with hints for the extractor.

A record has some of `url`, `html`, `text`, `title`, `published`, `outlet`, `authors`/`author`,
`language`, `id`. `html` wins over `text`. A record's `id` becomes the page's `source` (the
export contract); without one, the source is the input and the record's place in it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from newsfuse.config import IngestOptions
from newsfuse.ingest.items import Item, Origin
from newsfuse.ingest.pages import make_page
from newsfuse.ingest.streams import GuardedReader, read_whole
from newsfuse.model import PageHints, PageKind, RawPage, Rejection, RejectReason


def iter_json(stream: GuardedReader, origin: Origin, opts: IngestOptions) -> Iterator[Item]:
    """Pages from one JSON document: a record, or a list of records (`path#0`, `path#1`...)."""
    data = read_whole(stream, opts.max_file_bytes)
    if problem := stream.failure():
        yield origin.reject(RejectReason.UNREADABLE, problem)
        return
    if data is None or stream.capped:
        # Half a JSON document does not parse: the whole file is refused.
        yield origin.reject(
            RejectReason.TOO_LARGE,
            f"JSON document over {opts.max_file_bytes} bytes (max_file_bytes); "
            "split it into JSON Lines to stream it",
        )
        return
    try:
        doc = json.loads(data)
    except ValueError as exc:
        yield origin.reject(RejectReason.INVALID_RECORD, f"not valid JSON ({exc})")
        return
    if isinstance(doc, list):
        for index, record in enumerate(doc):
            yield record_page(record, origin.at(str(index)), origin, opts)
    else:
        yield record_page(doc, origin.source, origin, opts)


def iter_jsonl(stream: GuardedReader, origin: Origin, opts: IngestOptions) -> Iterator[Item]:
    """Pages from JSON Lines, one record a line (`path#L1`...); a bad line costs only itself."""
    line_no = 0
    for line_no, line in enumerate(io.BufferedReader(stream, 1 << 16), start=1):  # noqa: B007
        if not line.endswith(b"\n") and (stream.failure() or stream.capped):
            line_no -= 1  # a last line cut off by the break is not a record
            break
        if not line.strip():
            continue
        label = origin.at(f"L{line_no}")
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Rejection(
                label, RejectReason.INVALID_RECORD, f"{label}: not valid JSON ({exc})", url=None
            )
            continue
        yield record_page(record, label, origin, opts)
    if problem := stream.failure():
        yield origin.reject(RejectReason.UNREADABLE, f"stopped after line {line_no}: {problem}")
    elif stream.capped:
        yield origin.reject(
            RejectReason.TOO_LARGE,
            f"read only the first {opts.max_file_bytes} bytes (max_file_bytes); "
            f"lines after {line_no} were skipped",
        )


def record_page(
    record: Any, label: str, origin: Origin, opts: IngestOptions
) -> RawPage | Rejection:
    """The page one record carries, or why it carries none."""
    if not isinstance(record, dict):
        kind_name = type(record).__name__
        return Rejection(
            label,
            RejectReason.INVALID_RECORD,
            f"{label}: a record must be an object, not {kind_name}",
        )
    record_id = _string(record.get("id"))
    source = record_id or label
    url = _string(record.get("url"))
    body = _body(record)
    if body is None:
        return Rejection(
            source,
            RejectReason.INVALID_RECORD,
            f"{label}: the record has no `html` or `text` to read",
            url=url,
        )
    content, kind = body
    return make_page(
        # JSON held text, not bytes; UTF-8 is what we declare for it.
        content.encode("utf-8"),
        kind,
        source=source,
        fetched_at=origin.fetched_at,
        opts=opts,
        url=url,
        hints=record_hints(record, record_id),
        encoding="utf-8",
    )


def record_hints(record: dict[str, Any], record_id: str | None) -> PageHints:
    """What a record already says about its page."""
    return PageHints(
        title=_string(record.get("title")),
        published=_string(record.get("published")),
        outlet=_string(record.get("outlet")),
        authors=_authors(record.get("authors", record.get("author"))),
        language=_string(record.get("language")),
        record_id=record_id,
    )


def _body(record: dict[str, Any]) -> tuple[str, PageKind] | None:
    for key, kind in (("html", PageKind.HTML), ("text", PageKind.TEXT)):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value, kind
    return None


def _string(value: Any) -> str | None:
    """A scalar field as a string (ids and timestamps may be numbers); None if absent."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _authors(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names = (
        _string(item.get("name")) if isinstance(item, dict) else _string(item) for item in items
    )
    return tuple(name for name in names if name)
