"""The `newsfuse` command as a user runs it: exit codes, output, JSON, stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsfuse.cli import EXIT_REJECTED, app
from pagegen import news_html, write_pages

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_ingest_list_show_export_roundtrip(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", 3)
    db = _db(tmp_path)
    ingested = runner.invoke(app, ["ingest", str(tmp_path / "pages"), "--db", db, "--json"])
    assert ingested.exit_code == 0, ingested.output
    report = json.loads(ingested.stdout)
    assert report["ingested"] == 3 and report["rejected"] == 0

    listed = runner.invoke(app, ["articles", "--db", db, "--json"])
    rows = json.loads(listed.stdout)
    assert len(rows) == 3 and all("text" not in r for r in rows)

    shown = runner.invoke(app, ["show", rows[0]["id"][:10], "--db", db, "--json"])
    assert shown.exit_code == 0, shown.output
    article = json.loads(shown.stdout)
    assert article["id"] == rows[0]["id"] and article["outlet"] == "The Harbour Ledger"

    exported = runner.invoke(app, ["export", "--format", "jsonl", "--db", db])
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(lines) == 3
    required = {
        "id",
        "url",
        "outlet",
        "title",
        "text",
        "authors",
        "published",
        "published_source",
        "language",
        "source",
        "status",
    }
    assert all(required <= set(line) for line in lines)
    assert all(Path(line["source"]).is_absolute() for line in lines)


def test_rejected_inputs_give_exit_status_3(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.html").write_text(news_html(2), encoding="utf-8")
    (pages / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(pages), "--db", _db(tmp_path)])
    assert result.exit_code == EXIT_REJECTED
    assert "1 ingested" in result.stdout and "rejected empty: 1" in result.stdout
    runs = runner.invoke(app, ["run", "1", "--db", _db(tmp_path), "--json"])
    detail = json.loads(runs.stdout)
    assert detail["rejected"] == 1 and detail["rejections"][0]["reason"] == "empty"


def test_show_unknown_article_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "ffffffffffff", "--db", _db(tmp_path)])
    assert result.exit_code == 1
    assert "no such article" in result.stderr


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["articles", "--db", "mysql+nothing://x/y"])
    assert result.exit_code == 1
    assert "error" in result.stderr.lower()


def test_stdin_ingest(tmp_path: Path) -> None:
    db = _db(tmp_path)
    record = {
        "id": "wire-77",
        "title": "Ferry service resumes",
        "outlet": "Meridian Wire",
        "published": "2025-05-02T10:00:00Z",
        "text": "Ferry service between Port Aldane and Thessin resumed on Friday. " * 6,
    }
    done = subprocess.run(
        [sys.executable, "-m", "newsfuse.cli", "ingest", "-", "--db", db, "--json"],
        input=json.dumps(record) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    exported = runner.invoke(app, ["export", "--db", db])
    [line] = [json.loads(x) for x in exported.stdout.splitlines()]
    assert line["source"] == "wire-77"
    assert line["published"].startswith("2025-05-02T10:00:00")
    assert line["published_source"] == "record"
    assert line["outlet"] == "Meridian Wire"


def test_csv_and_parquet_exports(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    write_pages(tmp_path / "pages", 2)
    db = _db(tmp_path)
    runner.invoke(app, ["ingest", str(tmp_path / "pages"), "--db", db])
    csv_out = tmp_path / "a.csv"
    parquet_out = tmp_path / "a.parquet"
    assert (
        runner.invoke(app, ["export", "--format", "csv", "-o", str(csv_out), "--db", db]).exit_code
        == 0
    )
    assert (
        runner.invoke(
            app, ["export", "--format", "parquet", "-o", str(parquet_out), "--db", db]
        ).exit_code
        == 0
    )
    assert csv_out.read_text(encoding="utf-8").count("The Harbour Ledger") == 2
    table = pq.read_table(parquet_out)
    assert table.num_rows == 2 and table.column("authors").to_pylist()[0] == ["Ines Varga"]
    parquet_without_output = runner.invoke(app, ["export", "--format", "parquet", "--db", db])
    assert parquet_without_output.exit_code == 1
