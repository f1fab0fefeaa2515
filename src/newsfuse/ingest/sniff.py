"""Decide what an input is: by its name, its HTTP content type, or its first bytes.

Classification only looks at bytes; nothing here decodes a page (the extractor does that).
"""

from __future__ import annotations

import json
import re
import zlib
from enum import StrEnum

SNIFF_BYTES = 64 * 1024
"""How much of an input's head is looked at to classify it."""

GZIP_MAGIC = b"\x1f\x8b"


class Format(StrEnum):
    """How an input's bytes are laid out, which decides the reader."""

    HTML = "html"
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"
    WARC = "warc"
    FEED = "feed"
    BINARY = "binary"
    XML = "xml"  # XML that is neither a feed nor XHTML: not something newsfuse reads


_EXTENSIONS: dict[str, Format] = {
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".warc": Format.WARC,
    ".rss": Format.FEED,
    ".atom": Format.FEED,
}
"""Extensions that say what a file is; `.xml` and the rest are sniffed."""

_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"(\xb5/\xfd",  # zstd
    b"RIFF",
    b"\x00\x00\x01\x00",  # ico
)

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"

_FEED_ROOT = re.compile(rb"<(?:[a-z0-9_]+:)?(rss|feed|rdf)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG = re.compile(
    rb"<(p|div|article|section|span|a|br|h[1-6]|title|meta|script|table|ul|li)\b", re.IGNORECASE
)
_XML_PROLOGUE = re.compile(rb"^(\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)


def format_from_name(name: str) -> Format | None:
    """The format a file name declares, or None when only its content can tell."""
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return Format.WARC
    dot = lower.rfind(".")
    return _EXTENSIONS.get(lower[dot:]) if dot >= 0 else None


def gunzip_head(head: bytes) -> bytes:
    """The start of a gzip stream's content, as far as `head` allows (for sniffing only)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, SNIFF_BYTES)
    except zlib.error:
        return b""


def sniff(head: bytes) -> Format:
    """Classify content by its first bytes (already decompressed)."""
    if head.startswith(_UTF16_BOMS):
        # UTF-16 text is full of NULs; decode the head only to classify it.
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
        return _sniff_markup_or_text(text.encode("utf-8"))
    body = head.removeprefix(_UTF8_BOM).lstrip()
    if body.startswith(b"WARC/"):
        return Format.WARC
    if head.startswith(_BINARY_MAGIC) or _looks_binary(head):
        return Format.BINARY
    if body.startswith((b"{", b"[")):
        return _sniff_json(body)
    return _sniff_markup_or_text(body)


def _looks_binary(head: bytes) -> bool:
    sample = head[:4096]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) // 20


def _sniff_json(body: bytes) -> Format:
    if body.startswith(b"["):
        return Format.JSON
    first, _, rest = body.partition(b"\n")
    try:
        json.loads(first)
    except ValueError:
        # The first line is not a whole object: a pretty-printed single record.
        return Format.JSON
    return Format.JSONL if rest.strip() else Format.JSON


def _sniff_markup_or_text(body: bytes) -> Format:
    if not body.startswith(b"<"):
        return Format.HTML if _HTML_ROOT.search(body[:2048]) else Format.TEXT
    after_prologue = body[_XML_PROLOGUE.match(body).end() :]  # type: ignore[union-attr]
    if _FEED_ROOT.match(after_prologue):
        return Format.FEED
    if _HTML_ROOT.search(body) or _HTML_TAG.search(body):
        return Format.HTML
    return Format.XML if body.startswith(b"<?xml") else Format.TEXT


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def format_from_content_type(content_type: str | None) -> Format | None:
    """The format an HTTP Content-Type declares, or None when the body must be sniffed."""
    mime = media_type(content_type)
    if mime in ("text/html", "application/xhtml+xml"):
        return Format.HTML
    if mime in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return Format.FEED
    if mime in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return Format.JSONL
    if mime == "application/warc":
        return Format.WARC
    if mime.startswith(("image/", "audio/", "video/", "font/")) or mime in (
        "application/pdf",
        "application/zip",
        "application/octet-stream",
    ):
        return Format.BINARY
    return None  # text/plain, text/xml, application/json...: the body says which


def media_type(content_type: str | None) -> str:
    """`text/html; charset=utf-8` → `text/html`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    """The charset a Content-Type declares, lower-cased, if any."""
    match = _CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


__all__ = [
    "Format",
    "SNIFF_BYTES",
    "charset_of",
    "format_from_content_type",
    "format_from_name",
    "gunzip_head",
    "is_gzip",
    "media_type",
    "sniff",
]
