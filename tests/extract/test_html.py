"""extract() on HTML pages: body, captions, metadata, hints, rejections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import newsfuse.extract.text as text_module
from newsfuse.config import ExtractOptions
from newsfuse.errors import ConfigError, ExtractError
from newsfuse.extract import MAX_PAGE_BYTES, extract
from newsfuse.extract.html import extract_body, find_captions, parse_html
from newsfuse.extract.text import FlatExtraction
from newsfuse.model import DateSource, PageHints, PageKind, RawPage, RejectReason, article_id

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
FETCHED = datetime(2025, 1, 1, tzinfo=UTC)
KESTREL_URL = "https://www.kestrel-courier.example/world/2023/09/15/port-veyra-strike"
BLOG_URL = "https://www.thistlelane.example/posts/beekeeping-weekend"


def page(name: str, url: str | None = None, hints: PageHints | None = None) -> RawPage:
    return RawPage(
        source=str(FIXTURES / name),
        content=(FIXTURES / name).read_bytes(),
        kind=PageKind.HTML,
        fetched_at=FETCHED,
        url=url,
        hints=hints or PageHints(),
    )


def raw(content: bytes, kind: PageKind = PageKind.HTML, **kw: object) -> RawPage:
    return RawPage(source="test://page", content=content, kind=kind, fetched_at=FETCHED, **kw)  # type: ignore[arg-type]


def test_jsonld_page_keeps_article_and_drops_boilerplate() -> None:
    article = extract(page("kestrel_jsonld.html", KESTREL_URL), ExtractOptions())
    assert "four thousand dockworkers walked off the job" in article.text
    assert "brokered by the labour ministry" in article.text
    for boilerplate in ("cookies", "Ferry fares", "About time the union", "All rights reserved"):
        assert boilerplate not in article.text
    assert article.paragraphs[-1].startswith("The last strike at Port Veyra")
    assert article.title == "Harbour cranes halted as dockworkers strike in Port Veyra"
    assert article.outlet == "The Kestrel Courier"
    assert article.authors == ("Mirela Osk", "Tobin Hale")
    assert article.language == "en"
    assert article.produced_by == "newsfuse.extract.html.v1"
    assert article.fetched_at == FETCHED


def test_caption_is_kept_apart_from_body() -> None:
    article = extract(page("kestrel_jsonld.html", KESTREL_URL), ExtractOptions())
    assert any("Photo: Anika Brel" in c for c in article.captions)
    assert "Anika Brel" not in article.text


def test_published_keeps_time_zone_from_jsonld() -> None:
    article = extract(page("kestrel_jsonld.html", KESTREL_URL), ExtractOptions())
    assert article.published == datetime(2023, 9, 15, 5, 30, tzinfo=UTC)
    assert article.published is not None and article.published.utcoffset() == timedelta(hours=3)
    assert article.published_source is DateSource.METADATA
    assert article.published_confidence is not None and article.published_confidence >= 0.9


def test_canonical_url_is_normalised_and_drives_the_id() -> None:
    article = extract(page("kestrel_jsonld.html", KESTREL_URL), ExtractOptions())
    assert article.canonical_url == KESTREL_URL
    assert article.id == article_id(KESTREL_URL, article.text)
    again = extract(page("kestrel_jsonld.html", KESTREL_URL), ExtractOptions())
    assert again.id == article.id


def test_meta_only_page_in_windows_1252() -> None:
    article = extract(page("oldmere_meta_cp1252.html"), ExtractOptions())
    assert "café terrace" in article.text
    assert "nine o’clock" in article.text
    assert "newsletter" not in article.text
    assert article.outlet == "Oldmere Evening Lamp"
    assert article.authors == ("Corin Waddell",)
    assert article.published == datetime(2024, 2, 3, 19, 45, tzinfo=UTC)
    assert (
        article.canonical_url == "http://news.oldmere-lamp.example/culture/lantern-festival-record"
    )
    assert "Lanterns on the river Wend. Credit: Jonah Pell" in article.captions


def test_page_without_date_has_none_and_outlet_from_host() -> None:
    article = extract(page("nodate_blog.html", BLOG_URL), ExtractOptions())
    assert article.published is None
    assert article.published_source is None
    assert article.outlet == "thistlelane.example"
    assert "retired ferry captain" in article.text
    assert "uses cookies" not in article.text


def test_hints_fill_what_the_page_lacks() -> None:
    hints = PageHints(
        title="Hinted title",
        published="2024-05-01T10:00:00+02:00",
        outlet="Thistle Lane Journal",
        authors=("Ada Quill",),
    )
    article = extract(page("nodate_blog.html", BLOG_URL, hints), ExtractOptions())
    assert article.published_source is DateSource.RECORD
    assert article.published is not None and article.published.utcoffset() == timedelta(hours=2)
    assert article.outlet == "Thistle Lane Journal"
    assert article.authors == ("Ada Quill",)
    assert article.title != "Hinted title"  # the page has its own title


def test_page_metadata_wins_over_hints() -> None:
    hints = PageHints(published="2020-01-01", outlet="Somebody Else")
    article = extract(page("kestrel_jsonld.html", KESTREL_URL, hints), ExtractOptions())
    assert article.outlet == "The Kestrel Courier"
    assert article.published_source is DateSource.METADATA


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (b"  \n\t ", RejectReason.EMPTY),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 1 0 obj", RejectReason.BINARY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", RejectReason.BINARY),
        (b"<html><body><nav><a href='/'>Home</a></nav><p>Hi.</p></body></html>",
         RejectReason.NO_CONTENT),
    ],
)  # fmt: skip
def test_rejections_name_source_and_reason(content: bytes, reason: RejectReason) -> None:
    with pytest.raises(ExtractError) as info:
        extract(raw(content), ExtractOptions())
    assert info.value.reason is reason
    assert "test://page" in str(info.value)


def test_too_large_page_is_rejected_before_parsing() -> None:
    big = b"<p>" + b"a" * (MAX_PAGE_BYTES + 1) + b"</p>"
    with pytest.raises(ExtractError) as info:
        extract(raw(big), ExtractOptions())
    assert info.value.reason is RejectReason.TOO_LARGE


def test_cascade_falls_back_to_lxml_paragraphs() -> None:
    tree = parse_html((FIXTURES / "nodate_blog.html").read_text(encoding="utf-8"))
    assert tree is not None
    body = extract_body(tree, None, ("lxml-paragraphs",), 80)
    assert body is not None and body.extractor == "lxml-paragraphs"
    assert body.paragraphs[0].startswith("Last weekend I finally joined")


def test_unknown_extractor_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no-such-extractor"):
        extract(page("nodate_blog.html"), ExtractOptions(html_extractors=("no-such-extractor",)))


def test_find_captions_once_each() -> None:
    tree = parse_html(
        "<html><body><figure><figcaption>A boat. <span class='credit'>Photo: X</span>"
        "</figcaption></figure><p class='caption'>A second caption</p></body></html>"
    )
    assert tree is not None
    assert find_captions(tree) == ("A boat. Photo: X", "A second caption")


def test_text_page_goes_through_flattened_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    flat = FlatExtraction(
        title="Ferry service resumes on the Wend",
        body=(
            "OLDMERE, March 4, 2024 — The ferry across the river Wend resumed service on Monday "
            "after a two-week pause for repairs to the landing stage.",
            "Operators said timetables would return to normal by the weekend.",
        ),
        captions=("The ferry at Mill Bridge. Photo: J. Pell",),
        authors=("Corin Waddell",),
        header_lines=("By Corin Waddell", "5 min read"),
    )
    monkeypatch.setattr(text_module, "extract_flattened", lambda text: flat)
    article = extract(
        raw(b"whatever the page says", PageKind.TEXT, url="https://oldmere-lamp.example/f?utm_x=1"),
        ExtractOptions(),
    )
    assert article.produced_by == "newsfuse.extract.text.v1"
    assert article.paragraphs == list(flat.body)
    assert article.title == flat.title
    assert article.authors == ("Corin Waddell",)
    assert article.captions == flat.captions
    assert article.published == datetime(2024, 3, 4)
    assert article.published_source is DateSource.TEXT
    assert article.outlet == "oldmere-lamp.example"


def test_text_page_without_date_inference(monkeypatch: pytest.MonkeyPatch) -> None:
    flat = FlatExtraction(title=None, body=("KYIV, Sept. 15, 2023 — " + "Text. " * 30,))
    monkeypatch.setattr(text_module, "extract_flattened", lambda text: flat)
    article = extract(raw(b"x", PageKind.TEXT), ExtractOptions(infer_dates=False))
    assert article.published is None
