"""One key per outlet (newsfuse.cluster.outlets)."""

from __future__ import annotations

import pytest

from newsfuse.cluster.outlets import outlet_display, outlet_key


@pytest.mark.parametrize(
    "name",
    [
        "The Lantern Review",
        "Lantern Review",
        "LANTERN REVIEW",
        "  the   lantern  review ",
        "Lantern-Review",
        "Ｔｈｅ\u3000Ｌａｎｔｅｒｎ Review",  # full-width forms, NFKC
        "lanternreview.com",
        "LanternReview.example",
    ],
)
def test_spellings_of_one_name_share_a_key(name: str) -> None:
    assert outlet_key(name, None, "/pages/a.html") == "lanternreview"


@pytest.mark.parametrize(
    "url",
    [
        "https://lanternreview.example/2025/04/08/quake",
        "https://www.lanternreview.example/x",
        "http://m.lanternreview.example/x",
        "https://amp.lanternreview.example/x?utm_source=feed",
        "https://LanternReview.example:8443/x",
        "https://news.lanternreview.co.uk/x",
        "lanternreview.example/x",
    ],
)
def test_without_a_name_the_url_host_meets_the_name_key(url: str) -> None:
    assert outlet_key(None, url, "/pages/a.html") == outlet_key("The Lantern Review", None, "x")


def test_the_name_wins_over_the_url() -> None:
    key = outlet_key("Kestrel Daily", "https://syndication.example/k/1", "s")
    assert key == "kestreldaily"


def test_a_leading_the_meets_a_domain_that_spells_it() -> None:
    assert outlet_key("The Harbour Ledger", None, "s") == "harbourledger"
    assert outlet_key(None, "https://www.theharbourledger.example/x", "s") == "harbourledger"
    assert outlet_key(None, "https://harbour-ledger.example/x", "s") == "harbourledger"
    # "The" alone, or with one letter after it, is the whole name.
    assert outlet_key("The", None, "s") == "the"


def test_different_outlets_stay_apart() -> None:
    keys = {
        outlet_key("Meridian Wire", None, "s"),
        outlet_key("Northgate Times", None, "s"),
        outlet_key("Valdoria Post", None, "s"),
        outlet_key(None, "https://coastlinecourier.example/a", "s"),
        outlet_key(None, None, "/corpus/a.txt"),
        outlet_key(None, None, "/corpus/b.txt"),
    }
    assert len(keys) == 6


def test_platform_tenants_are_separate_outlets() -> None:
    a = outlet_key(None, "https://valdoriawatch.substack.com/p/quake", "s")
    b = outlet_key(None, "https://www.harbournotes.substack.com/p/strike", "s")
    assert a == "valdoriawatch.substack.com"
    assert b == "harbournotes.substack.com"
    assert outlet_key(None, "https://reporter.github.io/posts/1", "s") == "reporter.github.io"


def test_unknown_outlet_falls_back_to_the_source() -> None:
    assert outlet_key(None, None, "/corpus/misc/a.txt") == "source:/corpus/misc/a.txt"
    assert outlet_key("", None, "rec-17") == "source:rec-17"
    assert outlet_key("  —  ", None, "rec-17") == "source:rec-17"  # no letters in the name
    assert outlet_key(None, "not a url", "rec-17") == "source:rec-17"


def test_a_url_source_gives_the_host() -> None:
    assert outlet_key(None, None, "https://www.valdoriapost.example/x") == "valdoriapost"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://localhost:8000/x", "localhost"),
        ("http://192.0.2.7/x", "192.0.2.7"),
        ("https://www.bbc.co.uk/news/1", "bbc"),
    ],
)
def test_hosts(url: str, key: str) -> None:
    assert outlet_key(None, url, "s") == key


def test_display() -> None:
    assert outlet_display("  The  Lantern Review ", None, "s") == "The Lantern Review"
    assert outlet_display(None, "https://m.lanternreview.example/x", "s") == "lanternreview.example"
    assert outlet_display(None, "https://a.substack.com/p", "s") == "a.substack.com"
    assert outlet_display(None, None, "/corpus/misc/a.txt") == "unknown (a.txt)"
    assert outlet_display(None, None, "stdin") == "unknown (stdin)"
