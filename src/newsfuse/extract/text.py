"""Flattened-text pages (like ../shared/seeds): newsfuse's own boilerplate remover.

CONTRACT (other modules rely on it; the implementation is being written):

    extract_flattened(text: str) -> FlatExtraction

Keeps the article and drops appeals, news-feed items from other days, author bios,
"Read more"/"Show More" lines, related-headline lists, view counters, photo credits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FlatExtraction:
    """What a flattened page holds, split into its parts."""

    title: str | None
    body: tuple[str, ...]
    """Article paragraphs in order."""
    captions: tuple[str, ...] = ()
    """Photo captions and credits found near the article."""
    authors: tuple[str, ...] = ()
    """Names from a byline ("by Jane Doe"), not from bios."""
    header_lines: tuple[str, ...] = ()
    """Lines between the title and the body (bylines, datelines, read time): where a
    publication date may be stated. Never lines from feed items or other stories."""


def extract_flattened(text: str) -> FlatExtraction:
    raise NotImplementedError
