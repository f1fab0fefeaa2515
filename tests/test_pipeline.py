"""The ingest run end to end on a real SQLite file: counts, idempotence, bad input, resume."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from newsfuse.api import ArticleQuery, open_newsfuse
from newsfuse.model import RejectReason
from pagegen import news_html, write_pages


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'news.db'}"


def test_folder_ingest_stores_each_page_once_and_reingest_changes_nothing(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", 6)
    with open_newsfuse(_db(tmp_path)) as news:
        first = news.ingest([str(tmp_path / "pages")])
        stored = {a.id: a for a in news.articles(limit=100)}
        second = news.ingest([str(tmp_path / "pages")])
        again = {a.id: a for a in news.articles(limit=100)}
    assert first.counts.ingested == 6 and first.counts.rejected == 0
    assert second.counts.ingested == 0 and second.counts.duplicates == 6
    assert stored == again


def test_same_article_under_two_files_is_one_article(tmp_path: Path) -> None:
    page = news_html(1)
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (tmp_path / "copy-of-a.html").write_text(page, encoding="utf-8")
    with open_newsfuse(_db(tmp_path)) as news:
        report = news.ingest([str(tmp_path)])
        assert news.count() == 1
    assert report.counts.ingested == 1 and report.counts.duplicates == 1


def test_bad_inputs_are_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write_pages(folder, 3)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (folder / "records.jsonl").write_text(
        '{"id": "r1", "url": "https://kestreldaily.example/a", "title": "Dam opens", '
        '"text": "' + "The new dam at Versk opened on Monday after six years of work. " * 5 + '"}\n'
        "{not json at all\n",
        encoding="utf-8",
    )
    (folder / "broken.html.gz").write_bytes(gzip.compress(b"<html>" * 50)[:-20])
    (folder / "cp1251.html").write_bytes(
        (
            "<html><head><meta charset='windows-1251'><title>Новости</title></head><body><article>"
            + "<p>"
            + "Совет города Версk обсудил новый бюджет школ и больниц. " * 6
            + "</p>" * 1
            + "</article></body></html>"
        ).encode("cp1251")
    )
    with open_newsfuse(_db(tmp_path)) as news:
        report = news.ingest([str(folder), str(tmp_path / "does-not-exist.html")])
        stored = news.count()
        record = news.run(report.run_id)
        rejected = news.store.rejections(report.run_id)
    reasons = {r.reason for r in rejected}
    assert stored == 5  # 3 pages + the good JSON record + the cp1251 page
    assert RejectReason.EMPTY in reasons
    assert RejectReason.BINARY in reasons or RejectReason.UNSUPPORTED in reasons
    assert RejectReason.INVALID_RECORD in reasons
    assert report.counts.rejected == len(rejected) >= 4
    assert record.status == "finished"
    assert all(r.detail for r in rejected)


def test_cp1251_page_is_decoded(tmp_path: Path) -> None:
    body = "Совет города обсудил новый бюджет школ и больниц на следующий год. " * 6
    html = (
        "<html><head><meta charset='windows-1251'></head>"
        f"<body><article><p>{body}</p></article></body></html>"
    )
    (tmp_path / "ru.html").write_bytes(html.encode("cp1251"))
    with open_newsfuse(_db(tmp_path)) as news:
        news.ingest([str(tmp_path / "ru.html")])
        [article] = news.articles()
    assert "бюджет школ" in article.text


def test_filters_and_prefix_lookup(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", 4)
    with open_newsfuse(_db(tmp_path)) as news:
        news.ingest([str(tmp_path / "pages")])
        everything = news.articles()
        early = news.articles(ArticleQuery(until=everything[1].published))
        found = news.article(everything[0].id[:8])
    assert len(everything) == 4
    assert [a.published for a in everything] == sorted(a.published for a in everything)  # type: ignore[type-var]
    assert len(early) == 1
    assert found == everything[0]


def _count_rows(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_ingest_killed_with_sigkill_resumes_and_stores_every_page_once(tmp_path: Path) -> None:
    total = 600
    write_pages(tmp_path / "pages", total)
    db_path = tmp_path / "news.db"
    cmd = [
        sys.executable,
        "-m",
        "newsfuse.cli",
        "ingest",
        str(tmp_path / "pages"),
        "--db",
        f"sqlite:///{db_path}",
        "--json",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and _count_rows(db_path) < 60:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count_rows(db_path)
    assert 0 < partial < total

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open_newsfuse(f"sqlite:///{db_path}") as news:
        assert news.count() == total
        runs = news.runs()
        ids = [a.id for a in news.iter_articles()]
    assert len(ids) == len(set(ids)) == total
    assert [r.status for r in runs] == ["finished", "interrupted"]


def test_run_record_counts_match_the_report(tmp_path: Path) -> None:
    write_pages(tmp_path / "p", 2)
    with open_newsfuse(_db(tmp_path)) as news:
        report = news.ingest([str(tmp_path / "p")])
        record = news.run(report.run_id)
    assert record.counts == report.counts
    assert record.finished_at is not None and record.started_at <= record.finished_at
