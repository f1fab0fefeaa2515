"""WARC archives written with warcio: pages out, other records skipped, breaks reported."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.config import IngestOptions
from newsfuse.ingest import iter_pages
from newsfuse.model import PageKind, RawPage, Rejection, RejectReason

from .conftest import article_html, build_warc

OPTS = IngestOptions()
PAGES = [
    (f"https://velmora.example/news/{n}", article_html(n), "text/html; charset=ISO-8859-1")
    for n in range(6)
]


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_pages(tmp_path: Path, compressed: bool) -> None:
    path = tmp_path / ("cc-news.warc.gz" if compressed else "cc-news.warc")
    path.write_bytes(build_warc(PAGES, gzip=compressed))
    items = list(iter_pages([str(path)], OPTS))
    assert all(isinstance(item, RawPage) for item in items)
    assert [p.url for p in items] == [url for url, _, _ in PAGES]
    first = items[0]
    assert isinstance(first, RawPage)
    assert first.source == first.url == "https://velmora.example/news/0"
    assert first.kind is PageKind.HTML and first.content == article_html(0)
    assert first.fetched_at == datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)
    assert first.encoding == "iso-8859-1"
    assert first.headers["content-type"] == "text/html; charset=ISO-8859-1"
    assert first.headers["x-served-by"] == "fixture"


def test_truncated_warc_gz_yields_pages_before_the_break_then_one_rejection(
    tmp_path: Path,
) -> None:
    whole = build_warc(PAGES, gzip=True)
    cut = int(len(whole) * 0.6)
    cut -= 10 if _whole_members(whole[:cut]) else 0  # cut inside a record, not between two
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole[:cut])
    items = list(iter_pages([str(path)], OPTS))
    *pages, last = items
    assert 1 <= len(pages) < len(PAGES)
    assert all(isinstance(p, RawPage) for p in pages)
    assert [p.url for p in pages] == [url for url, _, _ in PAGES[: len(pages)]]
    assert isinstance(last, Rejection) and last.reason is RejectReason.UNREADABLE
    assert "cut.warc.gz" in last.detail and "truncated" in last.detail


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.55, 0.8, 0.97])
def test_truncated_plain_warc_is_reported_wherever_it_breaks(
    tmp_path: Path, fraction: float
) -> None:
    whole = build_warc(PAGES, gzip=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(whole[: int(len(whole) * fraction)])
    items = list(iter_pages([str(path)], OPTS))
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert len(rejections) == 1 and items[-1] is rejections[0]
    assert rejections[0].reason is RejectReason.UNREADABLE
    for page in items[:-1]:
        assert isinstance(page, RawPage) and page.content.endswith(b"</html>")


def test_every_cut_of_a_small_archive_is_caught(tmp_path: Path) -> None:
    whole = build_warc(PAGES[:2], gzip=True, extras=False)
    for cut in range(20, len(whole) - 1, 17):
        if _whole_members(whole[:cut]):
            continue  # a cut between gzip members leaves a shorter but valid archive
        path = tmp_path / f"cut{cut}.warc.gz"
        path.write_bytes(whole[:cut])
        items = list(iter_pages([str(path)], OPTS))
        assert isinstance(items[-1], Rejection), cut


def _whole_members(data: bytes) -> bool:
    try:
        gzip.decompress(data)
    except (EOFError, OSError):
        return False
    return True


def test_garbage_named_warc(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive at all\n" * 5)
    (item,) = iter_pages([str(path)], OPTS)
    assert isinstance(item, Rejection) and item.reason is RejectReason.UNREADABLE


def test_oversized_record_is_rejected_and_its_neighbours_go_on(tmp_path: Path) -> None:
    pages = [PAGES[0], ("https://velmora.example/huge", article_html(9, 50_000), "text/html")]
    path = tmp_path / "mixed.warc"
    path.write_bytes(build_warc(pages + [PAGES[1]], gzip=False, extras=False))
    items = list(iter_pages([str(path)], IngestOptions(max_page_bytes=20_000)))
    assert [type(i).__name__ for i in items] == ["RawPage", "Rejection", "RawPage"]
    huge = items[1]
    assert isinstance(huge, Rejection) and huge.reason is RejectReason.TOO_LARGE
    assert huge.source == "https://velmora.example/huge"


def test_warc_on_stdin_gzipped_and_plain() -> None:
    for compressed in (True, False):
        data = build_warc(PAGES[:3], gzip=compressed)
        items = list(iter_pages(["-"], OPTS, stdin=io.BytesIO(data)))
        assert [p.url for p in items] == [url for url, _, _ in PAGES[:3]]


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
def test_archive_larger_than_the_file_cap_streams_every_record(
    tmp_path: Path, compressed: bool
) -> None:
    # Regression: a CC-NEWS archive (~1 GB) must not be cut at max_file_bytes.
    path = tmp_path / ("big.warc.gz" if compressed else "big.warc")
    path.write_bytes(build_warc(PAGES, gzip=compressed))
    small_file_cap = IngestOptions(max_file_bytes=4000, max_page_bytes=1_000_000)
    items = list(iter_pages([str(path)], small_file_cap))
    assert [p.url for p in items if isinstance(p, RawPage)] == [url for url, _, _ in PAGES]
    assert not [i for i in items if isinstance(i, Rejection)]
