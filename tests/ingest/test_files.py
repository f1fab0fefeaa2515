"""Paths, folders, globs and stdin: what each input expands to, and bad inputs."""

from __future__ import annotations

import gzip
import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.config import IngestOptions
from newsfuse.ingest import Unchanged, iter_pages
from newsfuse.model import PageKind, RawPage, Rejection, RejectReason

HTML = b"<html><head><title>Ferry</title></head><body><p>The ferry sailed.</p></body></html>"
TEXT = b"Velmora Gazette\n\nThe ferry sailed at dawn, officials said.\n"
OPTS = IngestOptions()


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _pages(items: list[RawPage | Rejection | Unchanged]) -> list[RawPage]:
    return [item for item in items if isinstance(item, RawPage)]


def _rejections(items: list[RawPage | Rejection | Unchanged]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


def test_html_and_text_files_by_extension(tmp_path: Path) -> None:
    html = _write(tmp_path / "a.html", HTML)
    text = _write(tmp_path / "b.txt", TEXT)
    items = list(iter_pages([str(html), str(text)], OPTS))
    assert [(p.kind, p.source, p.content) for p in _pages(items)] == [
        (PageKind.HTML, str(html.absolute()), HTML),
        (PageKind.TEXT, str(text.absolute()), TEXT),
    ]
    first = _pages(items)[0]
    assert first.url is None and first.encoding is None and first.headers == {}


def test_fetched_at_is_the_file_mtime_in_utc(tmp_path: Path) -> None:
    page = _write(tmp_path / "a.htm", HTML)
    os.utime(page, (1_700_000_000, 1_700_000_000))
    (item,) = iter_pages([str(page)], OPTS)
    assert isinstance(item, RawPage)
    assert item.fetched_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _write(tmp_path / "b" / "2.html", HTML)
    _write(tmp_path / "b" / "1.txt", TEXT)
    _write(tmp_path / "a.html", HTML)
    _write(tmp_path / "c" / "d" / "deep.txt", TEXT)
    _write(tmp_path / ".git" / "x.html", HTML)
    _write(tmp_path / "b" / ".hidden.html", HTML)
    items = list(iter_pages([str(tmp_path)], OPTS))
    names = [Path(p.source).relative_to(tmp_path).as_posix() for p in _pages(items)]
    assert names == ["a.html", "b/1.txt", "b/2.html", "c/d/deep.txt"]
    assert not _rejections(items)


def test_folder_walk_is_lazy(tmp_path: Path) -> None:
    for n in range(50):
        _write(tmp_path / f"{n:03}.html", HTML)
    pages = iter_pages([str(tmp_path)], OPTS)
    first = next(pages)
    assert isinstance(first, RawPage) and first.source.endswith("000.html")


def test_globs_flat_and_recursive(tmp_path: Path) -> None:
    _write(tmp_path / "a.html", HTML)
    _write(tmp_path / "b.txt", TEXT)
    _write(tmp_path / "sub" / "c.txt", TEXT)
    _write(tmp_path / "sub" / "d.html", HTML)
    flat = _pages(list(iter_pages([str(tmp_path / "*.html")], OPTS)))
    assert [Path(p.source).name for p in flat] == ["a.html"]
    deep = _pages(list(iter_pages([str(tmp_path / "**" / "*.txt")], OPTS)))
    assert [Path(p.source).name for p in deep] == ["b.txt", "c.txt"]


def test_missing_path_and_empty_glob_are_rejections_and_iteration_goes_on(tmp_path: Path) -> None:
    good = _write(tmp_path / "ok.html", HTML)
    items = list(
        iter_pages([str(tmp_path / "nope.html"), str(tmp_path / "*.xyz"), str(good)], OPTS)
    )
    missing, no_match, page = items
    assert isinstance(missing, Rejection) and missing.reason is RejectReason.UNREADABLE
    assert "nope.html" in missing.detail and "no such file" in missing.detail
    assert isinstance(no_match, Rejection) and "no file matches" in no_match.detail
    assert isinstance(page, RawPage)


def test_unreadable_file(tmp_path: Path) -> None:
    page = _write(tmp_path / "locked.html", HTML)
    page.chmod(0)
    try:
        if os.access(page, os.R_OK):
            pytest.skip("running as root: file permissions do not bind")
        (item,) = iter_pages([str(page)], OPTS)
        assert isinstance(item, Rejection) and item.reason is RejectReason.UNREADABLE
        assert "locked.html" in item.detail
    finally:
        page.chmod(0o644)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.html", b"")
    blank = _write(tmp_path / "blank.txt", b"  \n\n ")
    items = list(iter_pages([str(empty), str(blank)], OPTS))
    assert [(r.reason, "empty" in r.detail) for r in _rejections(items)] == [
        (RejectReason.EMPTY, True),
        (RejectReason.EMPTY, True),
    ]


def test_binary_files_are_rejected(tmp_path: Path) -> None:
    png = _write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    pdf = _write(tmp_path / "paper.pdf", b"%PDF-1.7\n" + os.urandom(200))
    blob = _write(tmp_path / "blob.bin", bytes(range(256)) * 4)
    fake_html = _write(tmp_path / "fake.html", b"\x00\x01\x02" * 100)
    items = list(iter_pages([str(png), str(pdf), str(blob), str(fake_html)], OPTS))
    assert [r.reason for r in _rejections(items)] == [RejectReason.BINARY] * 4
    assert all(str(tmp_path) in r.detail for r in _rejections(items))


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    html = _write(tmp_path / "story.php", b"<!DOCTYPE html>" + HTML)
    text = _write(tmp_path / "README", TEXT)
    xml = _write(tmp_path / "data.xml", b"<?xml version='1.0'?><inventory><item/></inventory>")
    items = list(iter_pages([str(html), str(text), str(xml)], OPTS))
    kinds = [
        (type(i).__name__, getattr(i, "kind", None) or getattr(i, "reason", None)) for i in items
    ]
    assert kinds == [
        ("RawPage", PageKind.HTML),
        ("RawPage", PageKind.TEXT),
        ("Rejection", RejectReason.UNSUPPORTED),
    ]


def test_page_over_the_page_cap_is_rejected(tmp_path: Path) -> None:
    big = _write(tmp_path / "big.html", b"<html><body>" + b"x" * 5000 + b"</body></html>")
    small = _write(tmp_path / "small.html", HTML)
    items = list(iter_pages([str(big), str(small)], IngestOptions(max_page_bytes=1000)))
    too_large, page = items
    assert isinstance(too_large, Rejection) and too_large.reason is RejectReason.TOO_LARGE
    assert "big.html" in too_large.detail and "1000" in too_large.detail
    assert isinstance(page, RawPage)


def test_file_cap_applies_to_html_in_gzip(tmp_path: Path) -> None:
    # A compressed page's size on disk says nothing: the cap counts what decompresses.
    bomb = _write(tmp_path / "bomb.html.gz", gzip.compress(b"<p>" + b"a" * 100_000))
    (item,) = iter_pages([str(bomb)], IngestOptions(max_page_bytes=10_000))
    assert isinstance(item, Rejection) and item.reason is RejectReason.TOO_LARGE


def test_gzipped_inputs_are_read_by_inner_extension(tmp_path: Path) -> None:
    page = _write(tmp_path / "a.html.gz", gzip.compress(HTML))
    lines = _write(tmp_path / "b.jsonl.gz", gzip.compress(b'{"id": "r1", "text": "Hello there"}\n'))
    items = list(iter_pages([str(page), str(lines)], OPTS))
    assert [(p.kind, p.source) for p in _pages(items)] == [
        (PageKind.HTML, str(page.absolute())),
        (PageKind.TEXT, "r1"),
    ]


def test_truncated_gzip_is_rejected(tmp_path: Path) -> None:
    packed = gzip.compress(os.urandom(20_000).hex().encode())
    cut = _write(tmp_path / "cut.html.gz", packed[: len(packed) // 2])
    after = _write(tmp_path / "after.txt", TEXT)
    items = list(iter_pages([str(cut), str(after)], OPTS))
    rejection, page = items
    assert isinstance(rejection, Rejection) and rejection.reason is RejectReason.UNREADABLE
    assert "cut.html.gz" in rejection.detail and "truncated" in rejection.detail
    assert isinstance(page, RawPage)


def test_not_really_gzip(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.html.gz", b"\x1f\x8b\x08garbage-not-deflate" + b"\xff" * 50)
    (item,) = iter_pages([str(bad)], OPTS)
    assert isinstance(item, Rejection) and item.reason is RejectReason.UNREADABLE


def test_stdin_html_and_text() -> None:
    (html,) = iter_pages(["-"], OPTS, stdin=io.BytesIO(b"  <!doctype html>" + HTML))
    (text,) = iter_pages(["-"], OPTS, stdin=io.BytesIO(TEXT))
    assert isinstance(html, RawPage) and html.kind is PageKind.HTML and html.source == "stdin"
    assert isinstance(text, RawPage) and text.kind is PageKind.TEXT
    assert html.fetched_at.tzinfo is not None


def test_stdin_jsonl_and_empty_and_binary() -> None:
    lines = b'{"id": "s1", "html": "<p>one</p>"}\n{"text": "two"}\n'
    items = list(iter_pages(["-"], OPTS, stdin=io.BytesIO(lines)))
    assert [(p.source, p.kind) for p in _pages(items)] == [
        ("s1", PageKind.HTML),
        ("stdin#L2", PageKind.TEXT),
    ]
    (empty,) = iter_pages(["-"], OPTS, stdin=io.BytesIO(b""))
    assert isinstance(empty, Rejection) and empty.reason is RejectReason.EMPTY
    (binary,) = iter_pages(["-"], OPTS, stdin=io.BytesIO(b"%PDF-1.4 \x00\x01"))
    assert isinstance(binary, Rejection) and binary.reason is RejectReason.BINARY


def test_url_without_fetcher_is_rejected() -> None:
    (item,) = iter_pages(["https://news.example.test/story"], OPTS)
    assert isinstance(item, Rejection) and item.reason is RejectReason.UNSUPPORTED
    assert "Fetcher" in item.detail and item.source == "https://news.example.test/story"


def test_dangling_symlink_is_an_unreadable_file(tmp_path: Path) -> None:
    link = tmp_path / "gone.html"
    link.symlink_to(tmp_path / "never-there.html")
    (item,) = iter_pages([str(link)], OPTS)
    assert isinstance(item, Rejection) and item.reason is RejectReason.UNREADABLE
    assert "gone.html" in item.detail and "cannot open" in item.detail
