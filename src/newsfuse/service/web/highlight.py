"""Evidence highlighted in an article's text, safely.

Article text is untrusted: it may carry `<script>` or `onerror=` that an outlet (or an attacker
posing as one) put there. The page never marks text up by string concatenation; it splits the
text into `Segment`s at the requested spans and the template prints each one autoescaped,
wrapping the marked ones in `<mark>`. Spans arrive as `?hl=START-END` query values (character
offsets into `Article.text`, the same offsets every annotation and dossier evidence uses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsfuse.errors import ConfigError

MAX_SPANS = 50
"""Most `hl` values one request may carry."""
_SPAN = re.compile(r"^(\d{1,9})-(\d{1,9})$")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the text, marked or not; `mark` numbers the marks from 0 (for `#hl-N`)."""

    text: str
    mark: int | None = None


def parse_spans(values: Sequence[str], text_length: int) -> list[tuple[int, int]]:
    """`START-END` values as [start, end) spans within a text of `text_length` characters,
    sorted, overlapping ones merged. ConfigError names the bad value."""
    if len(values) > MAX_SPANS:
        raise ConfigError(f"hl: at most {MAX_SPANS} spans, not {len(values)}")
    spans: list[tuple[int, int]] = []
    for value in values:
        found = _SPAN.match(value.strip())
        if found is None:
            raise ConfigError(f"hl: {value[:40]!r} is not START-END (two character offsets)")
        start, end = int(found[1]), int(found[2])
        if not 0 <= start < end <= text_length:
            raise ConfigError(
                f"hl: {start}-{end} is not a span of this article (0 <= START < END <= "
                f"{text_length})"
            )
        spans.append((start, end))
    return merge_spans(spans)


def merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """The text cut at merged, sorted `spans` (see `parse_spans`)."""
    cut: list[Segment] = []
    at = 0
    for number, (start, end) in enumerate(spans):
        if start > at:
            cut.append(Segment(text[at:start]))
        cut.append(Segment(text[start:end], number))
        at = end
    if at < len(text):
        cut.append(Segment(text[at:]))
    return cut


def span_query(spans: Sequence[tuple[int, int]]) -> str:
    """The query string that highlights `spans` (`hl=1-5&hl=9-20`)."""
    return "&".join(f"hl={start}-{end}" for start, end in spans)


def evidence_href(article_id: str, spans: Iterable[tuple[int, int]]) -> str:
    """The article page with `spans` highlighted, scrolled to the first."""
    query = span_query(merge_spans(list(spans)))
    return f"/articles/{article_id}?{query}#hl-0" if query else f"/articles/{article_id}"
