"""Body clean-up shared by every extraction path, applied after the body is found.

Two leftovers survive the best body extractors on news pages:
- the headline echoed as the body's first paragraph, often with a kicker line above it;
- whole paragraphs in fixed boilerplate forms: feed footers ("The post … appeared first on …"),
  wire credit lines ("(Reporting by …; Editing by …)"), inline promos ("Related: …",
  "Read more: …"), player and ad labels ("Listen to this article", "Advertisement").
Both are recognised by form, not by site, so the rules hold on pages never seen.
"""

from __future__ import annotations

import re

from newsfuse.model import normalise_text

_BOILERPLATE_PARAGRAPHS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^the post .{1,300} appeared first on .{1,100}$",
        r"^\(?\s*(?:additional )?(?:reporting|writing|editing) by [^.]{2,200}\)?\.?$",
        r"^(?:related|read more|read also|see also|also read|more on this|recommended)\s*[:|»>-]",
        r"^(?:listen to this article|advertisement|sponsored content|story continues below)"
        r"(?:\s*[\d:]+\s*(?:min|mins|minutes)?)?\.?$",
        r"^this (?:article|story) (?:was )?(?:originally|first) (?:published|appeared)"
        r" (?:on|in|at) ",
    )
)
_KICKER_MAX_WORDS = 6
_SENTENCE_ENDS = (".", "!", "?", '"', "”")
_HEADER_ZONE = 3
"""How many leading paragraphs may hold a headline echo and its kicker."""


def is_boilerplate_paragraph(paragraph: str) -> bool:
    text = paragraph.strip()
    return any(p.search(text) for p in _BOILERPLATE_PARAGRAPHS)


def _is_kicker(paragraph: str) -> bool:
    words = paragraph.split()
    return 0 < len(words) <= _KICKER_MAX_WORDS and not paragraph.rstrip().endswith(_SENTENCE_ENDS)


_BYLINE = re.compile(
    r"^(?i:by|von|par|por|di|door|af|av)\s+[A-ZÀ-Ý][\w.'’-]*"
    r"(?:[ ,]+(?:(?i:and|und|et|y|e|&)\s+)?[A-ZÀ-Ý][\w.'’-]*){0,5}(?:\s*[,|–-]\s*[^.!?]{0,60})?$"
)
_DEK_WORDS = range(4, 36)


def is_byline(paragraph: str) -> bool:
    return bool(_BYLINE.match(paragraph.strip()))


def _is_dek(paragraph: str) -> bool:
    return len(paragraph.split()) in _DEK_WORDS and not paragraph.rstrip().endswith(_SENTENCE_ENDS)


def _title_echo_index(paragraphs: tuple[str, ...], title: str | None) -> int | None:
    if not title:
        return None
    wanted = normalise_text(title)
    for index, paragraph in enumerate(paragraphs[:_HEADER_ZONE]):
        if normalise_text(paragraph) == wanted:
            return index
    return None


def drop_title_echo(paragraphs: tuple[str, ...], title: str | None) -> tuple[str, ...]:
    """Remove a leading copy of the headline with the header lines around it.

    Above the echo: a short kicker ("SHIPPING · PORT DISPUTE"). Below it, before the first
    sentence: a byline and one unpunctuated dek/standfirst line. With no echo, only a byline
    opening the body is dropped: without the headline there is no header to anchor a dek.
    """
    echo = _title_echo_index(paragraphs, title)
    if echo is None:
        return paragraphs[1:] if paragraphs and is_byline(paragraphs[0]) else paragraphs
    if not all(_is_kicker(p) for p in paragraphs[:echo]):
        return paragraphs[:echo] + paragraphs[echo + 1 :]
    rest = paragraphs[echo + 1 :]
    dek_seen = False
    while len(rest) > 1 and (is_byline(rest[0]) or (not dek_seen and _is_dek(rest[0]))):
        dek_seen = dek_seen or not is_byline(rest[0])
        rest = rest[1:]
    return rest


def clean_body(paragraphs: tuple[str, ...], title: str | None) -> tuple[str, ...]:
    """The body without headline echoes and boilerplate-form paragraphs."""
    kept = tuple(p for p in paragraphs if p.strip() and not is_boilerplate_paragraph(p))
    return drop_title_echo(kept, title)


_MIN_HEADLINE_WORDS = 6
_MIN_LOWER_CONTENT_WORDS = 3


def is_inline_headline(paragraph: str) -> bool:
    """A promo for another story dropped between paragraphs of a flattened page.

    It reads like a headline in sentence case ("Dockworkers vote overwhelmingly for indefinite
    strike"): no closing punctuation, six words or more, several lower-case content words.
    Section subheads are short or Title Case ("A Region on a Fault Line") and stay.
    """
    text = paragraph.strip()
    words = text.split()
    if len(words) < _MIN_HEADLINE_WORDS or text.endswith((*_SENTENCE_ENDS, ":", ";", ",")):
        return False
    lower_content = [w for w in words[1:] if w[:1].islower() and len(w.strip(",;:'’")) >= 4]
    return len(lower_content) >= _MIN_LOWER_CONTENT_WORDS


def drop_inline_headlines(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """Remove related-story headlines between body paragraphs (never the first or last)."""
    if len(paragraphs) < 3:
        return paragraphs
    middle = tuple(p for p in paragraphs[1:-1] if not is_inline_headline(p))
    return (paragraphs[0], *middle, paragraphs[-1])
