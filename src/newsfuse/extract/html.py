"""HTML body extraction: a cascade of named extractors, tried in order until one yields a body.

The cascade is data (`ExtractOptions.html_extractors`); each name maps to a function here:

    trafilatura            trafilatura's balanced extractor, which itself compares its result
                           with readability and jusText; comments left out (not the article)
    trafilatura-fast       trafilatura without the external comparison (about 1.6x faster)
    trafilatura-precision  trafilatura favouring precision
    trafilatura-recall     trafilatura favouring recall (for pages where the above find little)
    lxml-paragraphs        every <p> with enough text, a last resort that needs no heuristics

Captions and photo credits (figcaption, "caption"/"credit" classes) are read from the page
and kept apart from the body.

Reader comments follow `ExtractOptions.comments`: "never", "always", or "auto", which keeps them
only where they are the page's content rather than reactions to it: the page does not declare
itself an article and its comment region holds most of the page's text (guestbooks, forum-like
blog threads). For a news article, comments are never the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newsfuse.errors import ConfigError

PRODUCED_BY = "newsfuse.extract.html.v1"

_WS = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


@dataclass(frozen=True, slots=True)
class HtmlBody:
    """The article part of a page: paragraphs in order, captions apart, and who found them."""

    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    extractor: str


CommentPolicy = Literal["never", "auto", "always"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """One extractor's output: body lines, and reader comments when they were asked for."""

    body: tuple[str, ...]
    comments: tuple[str, ...] = ()


BodyExtractor = Callable[[HtmlElement, "str | None", bool], Extraction]
"""(tree, url, capture_comments) → Extraction; extractors without a notion of comments ignore
the flag."""


def parse_html(text: str) -> HtmlElement | None:
    """An lxml tree of the page, or None when there is no markup to speak of."""
    return load_html(text)


def _lines(text: str | None) -> tuple[str, ...]:
    # trafilatura's text output puts one block (paragraph, list item, table row) per line.
    if not text:
        return ()
    lines = (_WS.sub(" ", line).strip() for line in text.split("\n"))
    return tuple(line for line in lines if line)


def _trafilatura(
    fast: bool = False, favor_precision: bool = False, favor_recall: bool = False
) -> BodyExtractor:
    def run(tree: HtmlElement, url: str | None, comments: bool) -> Extraction:
        doc = trafilatura.bare_extraction(
            tree,  # trafilatura copies a tree it is given, so ours stays intact
            url=url,
            fast=fast,
            favor_precision=favor_precision,
            favor_recall=favor_recall,
            include_comments=comments,
            include_tables=True,
            with_metadata=False,  # metadata.py reads it once, for every extractor
            deduplicate=False,
        )
        if not isinstance(doc, Document):
            return Extraction(())
        return Extraction(_lines(doc.text), _lines(doc.comments) if comments else ())

    return run


_MIN_PARAGRAPH_CHARS = 40


def _lxml_paragraphs(tree: HtmlElement, url: str | None, comments: bool = False) -> Extraction:
    """Every <p> long enough to be prose, outside nav/footer/aside/forms; no comment split."""
    out: list[str] = []
    for p in tree.iter("p"):
        if any(a.tag in ("nav", "footer", "aside", "form", "header") for a in p.iterancestors()):
            continue
        text = _WS.sub(" ", p.text_content()).strip()
        if len(text) >= _MIN_PARAGRAPH_CHARS:
            out.append(text)
    return Extraction(tuple(out))


EXTRACTORS: Mapping[str, BodyExtractor] = MappingProxyType(
    {
        "trafilatura": _trafilatura(),
        "trafilatura-fast": _trafilatura(fast=True),
        "trafilatura-precision": _trafilatura(favor_precision=True),
        "trafilatura-recall": _trafilatura(favor_recall=True),
        "lxml-paragraphs": _lxml_paragraphs,
    }
)

_CAPTION_XPATH = (
    "//figcaption"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
    " | //*[self::div or self::span or self::p or self::small]"
    "[contains(@class, 'caption') or contains(@class, 'credit')]"
)
_MAX_CAPTION_CHARS = 500


def find_captions(tree: HtmlElement) -> tuple[str, ...]:
    """Photo captions and credits, in page order, each once."""
    seen: dict[str, None] = {}
    for node in tree.xpath(_CAPTION_XPATH):
        if any(a.tag == "figcaption" for a in node.iterancestors()):
            continue  # the enclosing figcaption already holds this text
        text = _WS.sub(" ", node.text_content()).strip()
        if 0 < len(text) <= _MAX_CAPTION_CHARS:
            seen.setdefault(text, None)
    return tuple(seen)


def _without_captions(paragraphs: tuple[str, ...], captions: tuple[str, ...]) -> tuple[str, ...]:
    if not captions:
        return paragraphs
    drop = set(captions)
    return tuple(p for p in paragraphs if p not in drop)


# Containers whose id/class names them as comments ("comments", "commentlist", "disqus_thread").
_COMMENT_REGION_XPATH = (
    "//*[self::div or self::section or self::ol or self::ul or self::dl]"
    "[contains(@id, 'omment') or contains(@class, 'omment') or contains(@id, 'disqus')]"
)
_COMMENTS_MAJORITY = 0.5
"""Comments are the content when they hold more than this share of the page's text."""


def _may_keep_comments(tree: HtmlElement, policy: CommentPolicy, is_article: bool) -> bool:
    """Whether to capture comments; "auto" looks only on non-articles with a comment region."""
    if policy != "auto":
        return policy == "always"
    return not is_article and bool(tree.xpath(_COMMENT_REGION_XPATH))


def _comments_are_content(tree: HtmlElement, found: Extraction, policy: CommentPolicy) -> bool:
    if policy == "always" or not found.comments:
        return policy == "always"
    # Only reached on the few non-article pages with comments: the page text is measured once.
    page_chars = len(trafilatura.html2txt(tree))
    return sum(len(c) for c in found.comments) > _COMMENTS_MAJORITY * page_chars


def extract_body(
    tree: HtmlElement,
    url: str | None,
    cascade: tuple[str, ...],
    min_body_chars: int,
    comments: CommentPolicy = "never",
    is_article: bool = True,
) -> HtmlBody | None:
    """Run the cascade; the first extractor whose body reaches `min_body_chars` wins.

    `comments` and `is_article` (what the page's metadata declares) decide whether reader
    comments join the body; see the module docstring.
    """
    captions = find_captions(tree)
    capture = _may_keep_comments(tree, comments, is_article)
    for name in cascade:
        try:
            extractor = EXTRACTORS[name]
        except KeyError:
            raise ConfigError(
                f"unknown HTML extractor {name!r}; known: {', '.join(EXTRACTORS)}"
            ) from None
        found = extractor(tree, url, capture)
        lines = found.body
        if capture and _comments_are_content(tree, found, comments):
            lines += found.comments
        paragraphs = _without_captions(lines, captions)
        if sum(len(p) for p in paragraphs) >= min_body_chars:
            return HtmlBody(paragraphs, captions, name)
    return None
