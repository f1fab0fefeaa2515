"""Page metadata: JSON-LD, meta tags, URLs, authors, languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.extract.html import parse_html
from newsfuse.extract.metadata import (
    clean_author,
    detect_language,
    iso_language,
    normalise_url,
    outlet_from_host,
    read_metadata,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def metadata_of(name: str, url: str | None = None):  # noqa: ANN201 - test helper
    tree = parse_html((FIXTURES / name).read_bytes().decode("utf-8", "replace"))
    assert tree is not None
    return read_metadata(tree, url)


def test_jsonld_graph_is_read() -> None:
    meta = metadata_of("kestrel_jsonld.html")
    assert meta.title == "Harbour cranes halted as dockworkers strike in Port Veyra"
    assert meta.authors == ("Mirela Osk", "Tobin Hale")
    assert meta.outlet == "The Kestrel Courier"
    assert meta.published == "2023-09-15T08:30:00+03:00"
    assert meta.language == "en"
    assert meta.canonical_url == (
        "https://www.kestrel-courier.example/world/2023/09/15/port-veyra-strike"
    )


def test_meta_tags_only() -> None:
    meta = metadata_of("oldmere_meta_cp1252.html")
    assert meta.title == "Lantern festival draws record crowds to Oldmere"
    assert meta.authors == ("Corin Waddell",)
    assert meta.published == "2024-02-03T19:45:00Z"
    assert meta.language == "en"


def test_title_tag_and_no_outlet() -> None:
    meta = metadata_of("nodate_blog.html", "https://www.thistlelane.example/posts/bees")
    assert meta.outlet is None  # extract() falls back to hints, then the host
    assert meta.published is None
    assert meta.title is not None and meta.title.startswith("Notes from a beekeeping weekend")
    assert meta.canonical_url == "https://www.thistlelane.example/posts/bees"


def test_relative_canonical_is_resolved() -> None:
    tree = parse_html('<html><head><link rel="canonical" href="/a/b#top"></head><body/></html>')
    assert tree is not None
    meta = read_metadata(tree, "https://Example.ORG/x/y?utm_source=z")
    assert meta.canonical_url == "https://example.org/a/b"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.com/a?utm_source=x&id=3#frag", "https://www.example.com/a?id=3"),
        ("mailto:someone@example.com", None),
        ("", None),
    ],
)
def test_normalise_url(url: str, expected: str | None) -> None:
    assert normalise_url(url) == expected


def test_outlet_from_host() -> None:
    assert outlet_from_host("https://www.kyivindependent.com/news/x") == "kyivindependent.com"
    assert outlet_from_host("https://m.example.co.uk/") == "example.co.uk"
    assert outlet_from_host(None) is None


def test_clean_author() -> None:
    assert clean_author("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert clean_author("https://example.com/staff/jane") == []


@pytest.mark.parametrize(
    ("code", "expected"), [("en-GB", "en"), ("pt_BR", "pt"), ("DE", "de"), ("", None), ("1x", None)]
)
def test_iso_language(code: str, expected: str | None) -> None:
    assert iso_language(code) == expected


def test_detect_language() -> None:
    text = "Der Stadtrat hat am Montag den Haushalt für das kommende Jahr beschlossen. " * 2
    assert detect_language(text) == "de"
    assert detect_language("too short") is None


def test_declares_article_from_og_type_or_jsonld_not_webpage() -> None:
    from newsfuse.extract.metadata import declares_article

    assert declares_article({}, {"og:type": "article"})
    assert declares_article({"@type": ["NewsArticle"]}, {})
    assert not declares_article({"@type": "WebPage"}, {"og:type": "website"})
