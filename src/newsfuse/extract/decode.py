"""Bytes → text for a fetched page: refuse binary, then find the encoding.

Order of evidence, strongest first:
1. a byte-order mark;
2. the declared charset (HTTP header or record), then a `<meta charset>` in the first bytes;
   a declaration is believed only if the bytes agree with it (pages that say latin-1 but
   are UTF-8 are common);
3. strict UTF-8;
4. charset-normalizer's guess (cp1251, Shift-JIS, ...);
5. UTF-8 with stray bytes read as windows-1252 (mixed encodings), which never fails.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newsfuse.errors import ExtractError
from newsfuse.model import RejectReason

# Magic numbers of formats that are never a page, however they are labelled.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x7fELF", "ELF"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"\x00asm", "WebAssembly"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
)
_RIFF_KINDS = (b"WEBP", b"WAVE", b"AVI ")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.10
# C0 controls other than tab, LF, FF, CR and ESC (ESC appears in ISO-2022 text).
_CONTROL_BYTES = bytes(sorted(frozenset(range(32)) - {9, 10, 12, 13, 27}))
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.IGNORECASE
)
# WHATWG: these labels mean windows-1252 in practice, which also maps 0x80-0x9F.
_ALIASES = {
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
}


def _mixed_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode a byte UTF-8 rejects as windows-1252 (pages pasted from several sources)."""
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("newsfuse-cp1252", _mixed_fallback)


def binary_kind(content: bytes) -> str | None:
    """Name the binary format of `content`, or None when it may be text."""
    head = content[:_SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return "RIFF media"
    if any(head.startswith(bom) for bom, enc in _BOMS if enc.startswith("utf-16")):
        return None  # UTF-16/32 text is full of NUL bytes by design
    if b"\x00" in head:
        return "data with NUL bytes"
    # bytes.translate deletes in C: a Python loop over 8 KiB cost ~1 ms a page.
    controls = len(head.translate(None, _NOT_CONTROL_BYTES))
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return "data with many control characters"
    return None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared_in_markup(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _try(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_declared(content: bytes, codec: str) -> str | None:
    """Decode with a declared codec if the bytes agree with it."""
    if codec == "utf-8":
        return _try(content, "utf-8")
    if codec in ("cp1252", "iso8859-15") and content.isascii() is False:
        # A "latin-1" page whose bytes are valid UTF-8 is UTF-8 mislabelled.
        as_utf8 = _try(content, "utf-8")
        if as_utf8 is not None:
            return as_utf8
    return _try(content, codec)


def decode_page(content: bytes, declared: str | None = None) -> str:
    """The text of a page's bytes; raises ExtractError(BINARY) for non-text content."""
    kind = binary_kind(content)
    if kind is not None:
        raise ExtractError(f"content is binary ({kind}), not a page", RejectReason.BINARY)
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(codec, errors="replace")
    said_utf8 = False
    for label in (declared, _declared_in_markup(content)):
        named = _codec(label)
        if named is not None:
            said_utf8 = said_utf8 or named == "utf-8"
            text = _decode_declared(content, named)
            if text is not None:
                return text
    text = _try(content, "utf-8")
    if text is not None:
        return text
    # Declared UTF-8 with some UTF-8 in it: a few stray bytes, not another encoding.
    if not (said_utf8 and _UTF8_MULTIBYTE.search(content)) and not _mostly_utf8(content):
        guess = from_bytes(content[:65536]).best()
        # A UTF-16/32 guess without a BOM or NUL bytes is charset-normalizer grasping.
        if guess is not None and guess.encoding and not guess.encoding.startswith("utf_"):
            return content.decode(guess.encoding, errors="replace")
    return content.decode("utf-8", errors="newsfuse-cp1252")


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(content: bytes) -> bool:
    """True when at least half the non-ASCII bytes form UTF-8 sequences (a mixed page).

    Legacy single-byte text almost never forms valid UTF-8 sequences by accident.
    """
    high = len(_HIGH_BYTE.findall(content))
    if high == 0:
        return True
    in_sequences = sum(len(m) for m in _UTF8_MULTIBYTE.findall(content))
    return in_sequences / high >= 0.5
