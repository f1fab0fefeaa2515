"""JSON and JSON Lines exports: records to pages, ids to sources, bad lines to rejections."""

from __future__ import annotations

import json
from pathlib import Path

from newsfuse.config import IngestOptions
from newsfuse.ingest import iter_pages
from newsfuse.model import PageHints, PageKind, RawPage, Rejection, RejectReason

OPTS = IngestOptions()


def _items(path: Path, opts: IngestOptions = OPTS) -> list[RawPage | Rejection]:
    items = list(iter_pages([str(path)], opts))
    assert all(isinstance(item, RawPage | Rejection) for item in items)
    return items  # type: ignore[return-value]


def test_json_list_with_and_without_ids(tmp_path: Path) -> None:
    records = [
        {
            "id": "gz-104",
            "url": "https://velmora.example/ferry",
            "html": "<p>The ferry sailed.</p>",
            "title": "Ferry sails",
            "published": "2024-03-05T06:00:00Z",
            "outlet": "Velmora Gazette",
            "authors": ["Ana Brel", {"name": "Tomas Oke"}],
            "language": "en",
        },
        {"text": "A plain text body.", "author": "Ina Vos", "published": 1709618400},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(records))
    first, second = _items(path)
    assert isinstance(first, RawPage) and isinstance(second, RawPage)
    assert first.source == "gz-104" and first.kind is PageKind.HTML
    assert first.url == "https://velmora.example/ferry"
    assert first.content == b"<p>The ferry sailed.</p>" and first.encoding == "utf-8"
    assert first.hints == PageHints(
        title="Ferry sails",
        published="2024-03-05T06:00:00Z",
        outlet="Velmora Gazette",
        authors=("Ana Brel", "Tomas Oke"),
        language="en",
        record_id="gz-104",
    )
    assert second.source == f"{path.absolute()}#1" and second.kind is PageKind.TEXT
    assert second.hints.authors == ("Ina Vos",) and second.hints.published == "1709618400"
    assert second.hints.record_id is None


def test_html_wins_over_text_and_numeric_ids_become_strings(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": 7, "html": "<p>h</p>", "text": "t"}))
    (page,) = _items(path)
    assert isinstance(page, RawPage)
    assert (page.source, page.kind, page.hints.record_id) == ("7", PageKind.HTML, "7")


def test_single_record_without_id_takes_the_path(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": "Only one."}))
    (page,) = _items(path)
    assert isinstance(page, RawPage) and page.source == str(path.absolute())


def test_jsonl_invalid_lines_among_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "a", "text": "first"}\n'
        "{not json\n"
        "\n"
        '{"text": "third, no id"}\n'
        '["a list"]\n'
        '{"id": "e", "title": "no body"}\n'
        '{"id": "f", "html": "<p>last</p>"}\n'
    )
    items = _items(path)
    summary = [(i.source, i.reason if isinstance(i, Rejection) else i.kind) for i in items]
    base = str(path.absolute())
    assert summary == [
        ("a", PageKind.TEXT),
        (f"{base}#L2", RejectReason.INVALID_RECORD),
        (f"{base}#L4", PageKind.TEXT),
        (f"{base}#L5", RejectReason.INVALID_RECORD),
        ("e", RejectReason.INVALID_RECORD),
        ("f", PageKind.HTML),
    ]
    bad_json = items[1]
    assert isinstance(bad_json, Rejection) and "not valid JSON" in bad_json.detail
    assert "#L2" in bad_json.detail
    no_body = items[4]
    assert isinstance(no_body, Rejection) and "no `html` or `text`" in no_body.detail


def test_ndjson_extension(tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    path.write_text('{"id": "n1", "text": "hello"}\n')
    (page,) = _items(path)
    assert isinstance(page, RawPage) and page.source == "n1"


def test_invalid_json_document(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "a", "text": "x"}, ')
    (item,) = _items(path)
    assert isinstance(item, Rejection) and item.reason is RejectReason.INVALID_RECORD
    assert "broken.json" in item.detail


def test_jsonl_over_the_file_cap_reads_the_lines_before_it(tmp_path: Path) -> None:
    line = json.dumps({"text": "x" * 80}) + "\n"  # 94 bytes a line
    path = tmp_path / "big.jsonl"
    path.write_text(line * 10)
    items = _items(path, IngestOptions(max_file_bytes=300))
    assert [type(i).__name__ for i in items] == ["RawPage"] * 3 + ["Rejection"]
    last = items[-1]
    assert isinstance(last, Rejection) and last.reason is RejectReason.TOO_LARGE
    assert "300" in last.detail


def test_json_document_over_the_file_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"text": "y" * 500}]))
    (item,) = _items(path, IngestOptions(max_file_bytes=100))
    assert isinstance(item, Rejection) and item.reason is RejectReason.TOO_LARGE


def test_record_page_over_the_page_cap(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "z" * 2000}) + "\n" + '{"text": "ok"}\n')
    big, ok = _items(path, IngestOptions(max_page_bytes=1000))
    assert isinstance(big, Rejection) and big.reason is RejectReason.TOO_LARGE
    assert big.source == "big"
    assert isinstance(ok, RawPage)


def test_json_sniffed_without_extension(tmp_path: Path) -> None:
    lines = tmp_path / "dump"
    lines.write_text('{"id": "l1", "text": "a"}\n{"id": "l2", "text": "b"}\n')
    single = tmp_path / "pretty"
    single.write_text(json.dumps({"id": "p1", "text": "c"}, indent=2))
    items = list(iter_pages([str(lines), str(single)], OPTS))
    assert [i.source for i in items] == ["l1", "l2", "p1"]
