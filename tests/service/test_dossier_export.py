"""Dossier exports (json, md, html) of a small fictional story ingested through the real API,
one of whose pages carries a hostile title; and `newsfuse export --story` as a user runs it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier_pages import LEDGER, write_page
from newsfuse.api import Newsfuse, open_newsfuse
from newsfuse.cli import app
from newsfuse.fuse.dossier import Dossier, build_dossier, dossier_record
from newsfuse.service.dossier_export import (
    DossierFormat,
    ExportTarget,
    article_urls,
    coverage,
    render_dossier,
    sources,
)
from newsfuse.service.export import ExportFormat

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
POST = [
    "Kim Jong-un and Vladimir Putin signed a rail freight agreement in Vladivostok on Sunday, "
    "May 12, 2024, promising to double cargo on the Tumen river line.",
    "“We will stand with our friends in every season and on every track,” Kim Jong-un told "
    "reporters after the signing.",
    "Local officials said the upgraded bridge would carry 60 trains a week once the works "
    "are finished next year.",
    "Analysts in Seoul warned that the rail link could be used to move munitions.",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(database URL, story id) of a two-outlet story."""
    pages = tmp_path_factory.mktemp("pages")
    write_page(pages / "ledger.html", f"Kim Jong Un and Putin sign Tumen rail deal {HOSTILE}",
          "Eastern Ledger", "2024-05-12T09:00:00Z", LEDGER)  # fmt: skip
    write_page(
        pages / "post.html",
        "Kim Jong-un, Putin agree to double rail cargo",
        "Peninsula Post",
        "2024-05-12T15:00:00Z",
        POST,
    )
    url = f"sqlite:///{pages.parent / 'export.db'}"
    with open_newsfuse(url) as news:
        report = news.ingest([str(pages)])
        assert report.counts.ingested == 2, report.rejections
        (story,) = [s for s in news.stories() if s.article_count == 2]
    yield url, story.id


@pytest.fixture(scope="module")
def built(store: tuple[str, str]) -> Iterator[tuple[Dossier, dict[str, str]]]:
    url, story_id = store
    news: Newsfuse = open_newsfuse(url)
    dossier = build_dossier(news, story_id)
    yield dossier, article_urls(news, dossier)
    news.close()


@pytest.fixture(scope="module")
def dossier(built: tuple[Dossier, dict[str, str]]) -> Dossier:
    return built[0]


def test_export_target_covers_article_and_dossier_formats() -> None:
    assert {t.value for t in ExportTarget} == {f.value for f in (*ExportFormat, *DossierFormat)}
    assert ExportTarget.HTML.dossier_format is DossierFormat.HTML
    assert ExportTarget.JSONL.dossier_format is None


def test_json_is_the_dossier_record(dossier: Dossier) -> None:
    record = json.loads(render_dossier(dossier, DossierFormat.JSON))
    assert record == json.loads(json.dumps(dossier_record(dossier)))
    assert record["facts"]["shared"] and record["facts"]["unique"]


def test_markdown_report_sections_and_citations(built: tuple[Dossier, dict[str, str]]) -> None:
    text = render_dossier(*built[:1], DossierFormat.MD, built[1])
    for heading in ("## Summary", "## Shared facts", "## Unique facts", "## Conflicts",
                    "## Quotes by speaker", "## Events", "## Timeline", "## Related stories",
                    "## Sources"):  # fmt: skip
        assert heading in text
    assert "2024-05-12" in text and "2 independent origins" in text
    assert "https://easternledger.example/ledger" in text
    assert re.search(r"^- .+\[1\]\[2\]$", text, re.MULTILINE)  # a shared fact cites both
    assert "<script>" not in text and r"\<script\>" in text  # markup in a title stays text


def test_html_is_self_contained_and_inert(built: tuple[Dossier, dict[str, str]]) -> None:
    dossier, urls = built
    page = render_dossier(dossier, DossierFormat.HTML, urls)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page and "onerror=alert(1)&gt;" in page
    assert not re.search(r"<[^>]*\ssrc\s*=", page)  # no tag loads anything
    assert "<link" not in page and "@import" not in page and "url(" not in page
    links = {s.safe_url for s in sources(dossier, urls)}
    assert links == {"https://easternledger.example/ledger", "https://peninsulapost.example/post"}
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(h.startswith("#src-") or h in links for h in hrefs)
    assert {h for h in hrefs if not h.startswith("#")} == links
    outside = re.sub(r'href="[^"]*"', "", page)
    assert "http" not in outside  # no other reference to any host


def test_html_coverage_table(dossier: Dossier) -> None:
    page = render_dossier(dossier, DossierFormat.HTML)
    rows = coverage(dossier)
    assert len(rows) == len(dossier.facts)
    cells = {cell for row in rows for cell in row.cells}
    assert {"shared", "unique"} <= cells
    assert 'class="cell shared"' in page and 'class="cell unique"' in page
    for heading in ("Summary", "Coverage", "Shared facts", "Unique facts", "Conflicts",
                    "Quotes by speaker", "Timeline", "Sources"):  # fmt: skip
        assert f">{heading}" in page


def test_conflicting_cells(dossier: Dossier) -> None:
    # 40 against 60 trains a week: the conflict's evidence marks its fact's cells.
    if not dossier.conflicts:
        pytest.skip("no conflict found in this story")
    assert any("conflicting" in row.cells for row in coverage(dossier))


runner = CliRunner()


def test_cli_export_story_formats(store: tuple[str, str], tmp_path: Path) -> None:
    url, story_id = store
    for fmt in ("json", "md", "html"):
        target = tmp_path / f"dossier.{fmt}"
        done = runner.invoke(
            app,
            ["export", "--format", fmt, "--story", story_id[:10], "--db", url, "-o", str(target)],
        )
        assert done.exit_code == 0, done.output
        assert target.stat().st_size > 500
    shown = runner.invoke(app, ["export", "--format", "md", "--story", story_id, "--db", url])
    assert shown.exit_code == 0 and shown.stdout.startswith("# Kim Jong Un and Putin")
    record = json.loads((tmp_path / "dossier.json").read_text(encoding="utf-8"))
    assert record["story"]["id"] == story_id


def test_cli_export_dossier_needs_a_story(store: tuple[str, str]) -> None:
    url, _ = store
    missing = runner.invoke(app, ["export", "--format", "html", "--db", url])
    assert missing.exit_code == 2 and "--story" in missing.output
    unknown = runner.invoke(app, ["export", "--format", "md", "--story", "st_nosuch", "--db", url])
    assert unknown.exit_code == 1 and "no such story" in unknown.output
    articles = runner.invoke(app, ["export", "--format", "jsonl", "--db", url])
    assert articles.exit_code == 0 and len(articles.stdout.splitlines()) == 2


def test_export_targets_are_the_article_and_dossier_formats() -> None:
    from newsfuse.service.dossier_export import DossierFormat, ExportTarget
    from newsfuse.service.export import ExportFormat

    assert {t.value for t in ExportTarget} == {f.value for f in ExportFormat} | {
        f.value for f in DossierFormat
    }
