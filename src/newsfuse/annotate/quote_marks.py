"""Quotation marks paired into quoted spans, for `newsfuse.annotate.quotes`.

Marks are paired per paragraph (straight, curly, single, guillemets, „…“); a paragraph left
open continues into the next one that opens with a mark, for at most `MAX_QUOTE_PARAGRAPHS`;
an unclosed mark ends at its paragraph's end. Single marks are paired outside double quotes,
skipping apostrophes, elisions and plural possessives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUOTE_PARAGRAPHS = 4
"""A quotation left open continues over at most this many paragraphs."""
MAX_QUOTE_CHARS = 3000
"""An unclosed quotation mark never opens more than this many characters."""

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
QUOTE_CHARS = set("\"'“”„«»‘’‹›")
_OPEN_BEFORE = set(" \t\n([{—–-/:;")
_CLOSE_AFTER = set(" \t\n)]}.,;:!?—–-/…")
_ELISIONS = re.compile(r"['‘’](?:\d0s|em\b|til\b|tis\b|twas\b|n\b|cause\b|round\b)", re.I)


@dataclass(slots=True)
class QuoteMark:
    """A paired quotation: its fragments (character spans including the marks)."""

    fragments: list[tuple[int, int]]
    closed: bool = True

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _double_role(text: str, i: int, opener: str | None) -> str:
    """'open', 'close' or 'either' for the double quotation mark at `i`."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in _DOUBLE_OPEN:
        if ch == "“" and opener == "„":
            return "close"
        if ch == "“" and opener is not None and (nxt in _CLOSE_AFTER or nxt in QUOTE_CHARS):
            return "close"  # “…“ typed twice
        return "open"
    if ch in _DOUBLE_CLOSE:
        if opener is None and prev in _OPEN_BEFORE and nxt not in _CLOSE_AFTER:
            return "open"  # ”…” typed twice
        return "close"
    if prev in _OPEN_BEFORE and nxt not in _CLOSE_AFTER:
        return "open"
    if nxt in _CLOSE_AFTER and prev not in _OPEN_BEFORE:
        return "close"
    return "either"


def _pair_doubles(text: str, para: tuple[int, int]) -> tuple[list[QuoteMark], int | None]:
    """Top-level double-quoted spans of one paragraph; the start of one left open."""
    marks: list[QuoteMark] = []
    stack: list[tuple[int, str]] = []
    for i in range(para[0], para[1]):
        ch = text[i]
        if ch not in '"“”„«»':
            continue
        role = _double_role(text, i, stack[-1][1] if stack else None)
        if role == "either":
            role = "close" if stack else "open"
        if role == "open" and not (ch == '"' and stack and stack[-1][1] == '"'):
            stack.append((i, ch))
        elif stack:
            start = stack.pop()[0]
            if not stack:
                marks.append(QuoteMark([(start, i + 1)]))
    return marks, (stack[0][0] if stack else None)


def _pair_singles(text: str, para: tuple[int, int], taken: list[QuoteMark]) -> list[QuoteMark]:
    """Single-quoted spans outside double quotes; apostrophes and elisions are skipped."""
    inside = [(m.start, m.end) for m in taken]
    marks: list[QuoteMark] = []
    open_at: int | None = None
    for i in range(para[0], para[1]):
        ch = text[i]
        if ch not in "'‘’‹›" or any(s <= i < e for s, e in inside):
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if open_at is None:
            if (
                ch in "'‘‹"
                and prev in _OPEN_BEFORE
                and nxt.isalnum()
                and not _ELISIONS.match(text, i)
            ):
                open_at = i
        elif ch in "'’›" and (nxt in _CLOSE_AFTER or nxt in QUOTE_CHARS) and prev not in " \t":
            if prev == "s" and nxt == " " and i + 2 < len(text) and text[i + 2].isalpha():
                continue  # plural possessive: "leaders' plans"
            marks.append(QuoteMark([(open_at, i + 1)]))
            open_at = None
    return marks


def quotation_marks(text: str) -> list[QuoteMark]:
    """Top-level quoted spans of `text`, marks included, in order."""
    paras = _paragraphs(text)
    out: list[QuoteMark] = []
    carry: QuoteMark | None = None
    carried = 0
    for n, para in enumerate(paras):
        marks, open_at = _pair_doubles(text, para)
        starts_open = text[para[0]] in '"“„«‘'
        if carry is not None:
            if starts_open and carried < MAX_QUOTE_PARAGRAPHS:
                first = marks[0] if marks and marks[0].start == para[0] else None
                if first is not None:  # the continuation closes in this paragraph
                    carry.fragments.append(first.fragments[0])
                    out.append(carry)
                    marks = marks[1:]
                    carry = None
                elif open_at == para[0]:  # still open: carries on
                    carry.fragments.append(para)
                    carried += 1
                    open_at = None
                else:
                    out.append(carry)
                    carry = None
            else:
                carry.closed = False
                out.append(carry)
                carry = None
        out.extend(marks)
        if open_at is not None and carry is None:
            frag_end = min(para[1], open_at + MAX_QUOTE_CHARS)
            nxt_open = n + 1 < len(paras) and text[paras[n + 1][0]] in '"“„«'
            carry = QuoteMark([(open_at, frag_end)], closed=False)
            carried = 1
            if not nxt_open or frag_end < para[1]:
                out.append(carry)
                carry = None
        singles = _pair_singles(text, para, marks + ([carry] if carry else []))
        out.extend(singles)
    if carry is not None:
        out.append(carry)
    out.sort(key=lambda m: m.start)
    return out
