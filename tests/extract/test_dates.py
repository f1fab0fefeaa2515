"""Publication dates: metadata, records, URLs, bylines and datelines; no guesses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsfuse.extract.dates import (
    date_from_metadata,
    date_from_record,
    date_from_text,
    date_from_url,
    parse_date_string,
)
from newsfuse.extract.html import parse_html
from newsfuse.model import DateSource

NOW = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-15T08:30:00+03:00", datetime(2023, 9, 15, 8, 30, tzinfo=UTC) + timedelta(0)),
        ("2023-09-15", datetime(2023, 9, 15)),
        ("Fri, 15 Sep 2023 10:00:00 +0000", datetime(2023, 9, 15, 10, tzinfo=UTC)),
        ("September 15, 2023", datetime(2023, 9, 15)),
        ("15 Sept. 2023, 4:05 p.m.", datetime(2023, 9, 15, 16, 5)),
    ],
)
def test_parse_date_string(text: str, expected: datetime) -> None:
    parsed = parse_date_string(text)
    assert parsed is not None
    if expected.tzinfo is not None and "+03:00" in text:
        assert parsed.utcoffset() == timedelta(hours=3)
        assert parsed.replace(tzinfo=None) == expected.replace(tzinfo=None)
    else:
        assert parsed == expected


def test_date_without_year_is_none() -> None:
    assert parse_date_string("Sept. 15") is None
    assert date_from_text(["Published Sept. 15"], "KYIV, Sept. 15 — Text", NOW) is None


def test_metadata_string_keeps_zone() -> None:
    guess = date_from_metadata("2023-09-15T08:30:00+03:00", None, None, NOW)
    assert guess is not None and guess.source is DateSource.METADATA
    assert guess.value.utcoffset() == timedelta(hours=3)
    assert guess.confidence >= 0.9


def test_metadata_from_time_element_via_htmldate() -> None:
    tree = parse_html(
        "<html><body><article><time datetime='2022-03-04' class='published'>4 March</time>"
        "<p>Body text.</p></article></body></html>"
    )
    guess = date_from_metadata(None, tree, None, NOW)
    assert guess is not None and guess.value.date() == datetime(2022, 3, 4).date()


def test_future_dates_are_implausible() -> None:
    assert date_from_metadata("2031-01-01", None, None, NOW) is None


def test_record_date() -> None:
    guess = date_from_record("2024-05-01T10:00:00Z", NOW)
    assert guess is not None and guess.source is DateSource.RECORD
    assert date_from_record(None, NOW) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/world/2023/09/15/story", datetime(2023, 9, 15)),
        ("https://x.example/news/2023-09-15-story.html", datetime(2023, 9, 15)),
        ("https://x.example/news/story-20230915.html", datetime(2023, 9, 15)),
        ("https://x.example/2023/09/story", None),
        ("https://x.example/story/1234567", None),
    ],
)
def test_url_dates(url: str, expected: datetime | None) -> None:
    guess = date_from_url(url, NOW)
    assert (guess.value if guess else None) == expected
    if guess:
        assert guess.source is DateSource.URL and 0.5 < guess.confidence < 0.9


def test_byline_date_prefers_published_over_updated() -> None:
    lines = ["By Jane Doe", "Updated Sept. 16, 2023 at 4:05 p.m.", "Published September 15, 2023"]
    guess = date_from_text(lines, "Body.", NOW)
    assert guess is not None and guess.value == datetime(2023, 9, 15)
    assert guess.source is DateSource.TEXT


def test_dateline_opening_the_body() -> None:
    guess = date_from_text([], "KYIV, Sept. 15, 2023 — Russian forces struck the city.", NOW)
    assert guess is not None and guess.value == datetime(2023, 9, 15)
    reuters = date_from_text([], "Sept. 15, 2023 (Wire Agency) - The talks resumed.", NOW)
    assert reuters is not None


def test_dates_inside_the_body_are_not_publication_dates() -> None:
    assert date_from_text([], "On September 15, 2023, the ministry said it would act.", NOW) is None
    assert date_from_text([], "The ministry said. " * 10 + "KYIV, Sept. 15, 2023 — x", NOW) is None
    assert date_from_text([], None, NOW) is None
