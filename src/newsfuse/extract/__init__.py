"""The extract stage: `RawPage` → `Article`, or `ExtractError` saying why not.

    extract(page, opts)
      ├─ checks: empty, too large, binary           (decode.py)
      ├─ HTML  → body cascade (html.py) + metadata (metadata.py)
      ├─ TEXT  → extract_flattened (text.py)
      ├─ both  → clean-up: headline echo, boilerplate-form paragraphs (cleanup.py)
      └─ date: metadata → record hints → URL → page text   (dates.py)

Page hints (a JSON record's or feed entry's title, date, outlet, authors, language) fill
only what the page itself does not say.
"""

from __future__ import annotations

from newsfuse.config import ExtractOptions
from newsfuse.errors import ExtractError
from newsfuse.extract import dates, html, metadata
from newsfuse.extract.cleanup import clean_body, drop_inline_headlines
from newsfuse.extract.decode import decode_page
from newsfuse.extract.outlet_text import outlet_from_text
from newsfuse.model import Article, PageKind, RawPage, RejectReason, article_id

__all__ = ["MAX_PAGE_BYTES", "extract"]

MAX_PAGE_BYTES = 10 * 1024 * 1024
"""Pages above this are rejected before parsing (lxml on 100 MB of markup takes minutes)."""

PRODUCED_BY_TEXT = "newsfuse.extract.text.v1"


def extract(page: RawPage, opts: ExtractOptions) -> Article:
    """Turn one fetched page into an article; raises ExtractError with a RejectReason."""
    _check_size(page)
    try:
        decoded = decode_page(page.content, page.encoding or _header_charset(page))
    except ExtractError as err:
        raise ExtractError(f"{page.source}: {err}", err.reason) from None
    if not decoded.strip():
        raise ExtractError(f"{page.source}: page is blank", RejectReason.EMPTY)
    if page.kind is PageKind.TEXT:
        return _from_text(page, decoded, opts)
    return _from_html(page, decoded, opts)


def _check_size(page: RawPage) -> None:
    if not page.content.strip():
        raise ExtractError(f"{page.source}: page is empty", RejectReason.EMPTY)
    if len(page.content) > MAX_PAGE_BYTES:
        raise ExtractError(
            f"{page.source}: page is {len(page.content):,} bytes, over the "
            f"{MAX_PAGE_BYTES:,}-byte cap for one page",
            RejectReason.TOO_LARGE,
        )


def _header_charset(page: RawPage) -> str | None:
    content_type = page.headers.get("content-type", "")
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _no_content(page: RawPage, opts: ExtractOptions, how: str) -> ExtractError:
    return ExtractError(
        f"{page.source}: no article body of at least {opts.min_body_chars} characters "
        f"found ({how})",
        RejectReason.NO_CONTENT,
    )


def _from_html(page: RawPage, decoded: str, opts: ExtractOptions) -> Article:
    tree = html.parse_html(decoded)
    if tree is None:
        raise _no_content(page, opts, "no HTML markup could be parsed")
    # Metadata and dates first: trafilatura copies the tree, htmldate and we only read it.
    meta = metadata.read_metadata(tree, page.url, page.headers)
    body = html.extract_body(
        tree,
        page.url,
        opts.html_extractors,
        opts.min_body_chars,
        comments=opts.comments,
        is_article=meta.is_article,
    )
    if body is None:
        raise _no_content(page, opts, f"tried {', '.join(opts.html_extractors)}")
    paragraphs = clean_body(body.paragraphs, meta.title or page.hints.title)
    if sum(len(p) for p in paragraphs) < opts.min_body_chars:
        raise _no_content(page, opts, "only boilerplate left after clean-up")
    guess = dates.date_from_metadata(meta.published, tree, page.url, page.fetched_at)
    guess = guess or _fallback_date(page, paragraphs, (), opts)
    return _article(
        page,
        paragraphs=paragraphs,
        title=meta.title,
        canonical_url=meta.canonical_url,
        outlet=meta.outlet,
        authors=meta.authors,
        language=meta.language,
        captions=body.captions,
        guess=guess,
        opts=opts,
        produced_by=html.PRODUCED_BY,
    )


def _from_text(page: RawPage, decoded: str, opts: ExtractOptions) -> Article:
    # Imported here so the HTML path never pays for (or breaks on) the text model's loading.
    from newsfuse.extract import text  # noqa: PLC0415

    flat = text.extract_flattened(decoded)
    # A record's explicit title beats the one the layout heuristics found.
    title = page.hints.title or flat.title
    # Flattening lost the markup that tells a subhead from a promo; their wording still does.
    paragraphs = drop_inline_headlines(clean_body(flat.body, title))
    if sum(len(p) for p in paragraphs) < opts.min_body_chars:
        raise _no_content(page, opts, "flattened-text extractor")
    guess = _fallback_date(page, paragraphs, flat.header_lines, opts)
    return _article(
        page,
        paragraphs=paragraphs,
        title=title,
        canonical_url=metadata.normalise_url(page.url),
        # A record's explicit outlet beats what the page text merely suggests.
        outlet=page.hints.outlet or outlet_from_text(decoded),
        authors=flat.authors,
        language=None,
        captions=flat.captions,
        guess=guess,
        opts=opts,
        produced_by=PRODUCED_BY_TEXT,
    )


def _fallback_date(
    page: RawPage, paragraphs: tuple[str, ...], header_lines: tuple[str, ...], opts: ExtractOptions
) -> dates.DatedGuess | None:
    """After page metadata: the record's date, then the URL's, then the text's if allowed."""
    now = page.fetched_at
    guess = dates.date_from_record(page.hints.published, now) or dates.date_from_url(page.url, now)
    if guess is None and opts.infer_dates:
        guess = dates.date_from_text(header_lines, paragraphs[0] if paragraphs else None, now)
    return guess


def _article(
    page: RawPage,
    *,
    paragraphs: tuple[str, ...],
    title: str | None,
    canonical_url: str | None,
    outlet: str | None,
    authors: tuple[str, ...],
    language: str | None,
    captions: tuple[str, ...],
    guess: dates.DatedGuess | None,
    opts: ExtractOptions,
    produced_by: str,
) -> Article:
    """Assemble the article; hints fill only the fields the page left empty."""
    hints = page.hints
    body = "\n\n".join(paragraphs)
    language = language or metadata.iso_language(hints.language)
    if language is None and opts.detect_language:
        language = metadata.detect_language(body)
    return Article(
        id=article_id(canonical_url, body),
        source=page.source,
        text=body,
        title=title or hints.title,
        url=page.url,
        canonical_url=canonical_url,
        outlet=outlet or hints.outlet or metadata.outlet_from_host(canonical_url or page.url),
        authors=authors or hints.authors,
        published=guess.value if guess else None,
        published_source=guess.source if guess else None,
        published_confidence=guess.confidence if guess else None,
        language=language,
        captions=captions,
        fetched_at=page.fetched_at,
        produced_by=produced_by,
    )
