"""The shipped sample corpus through the whole ingest, checked against its expectations
(examples/corpus-expected.json).

Every expectation is checked and all misses are reported at once, so a regression shows its
full extent rather than the first page that broke.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsfuse.api import open_newsfuse
from newsfuse.model import Article


@dataclass(frozen=True)
class Expected:
    file: str
    outlet: str
    title: str
    published: str | None
    body_starts_with: str
    body_ends_with: str
    must_not_contain: tuple[str, ...]


def _expected(corpus_dir: Path) -> list[Expected]:
    raw = json.loads((corpus_dir.parent / "corpus-expected.json").read_text(encoding="utf-8"))
    return [
        Expected(
            e["file"],
            e["outlet"],
            e["title"],
            e["published"],
            e["body_starts_with"],
            e["body_ends_with"],
            tuple(e["must_not_contain"]),
        )
        for e in raw
    ]


@pytest.fixture(scope="module")
def corpus_articles(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with open_newsfuse(f"sqlite:///{db}") as news:
        report = news.ingest([str(corpus_dir)])
        assert report.counts.rejected == 0, report.rejections
        return list(news.iter_articles())


def _find(expected: Expected, articles: list[Article], corpus_dir: Path) -> Article | None:
    if "#" not in expected.file:
        path = str((corpus_dir / expected.file).resolve())
        return next((a for a in articles if a.source == path), None)
    return next((a for a in articles if a.title == expected.title), None)


def _outlet_key(name: str | None) -> str:
    # "The Lantern Review" and "Lantern Review" name one outlet; a page may only say the latter.
    return (name or "").casefold().removeprefix("the ")


def _misses(expected: Expected, article: Article) -> list[str]:
    body = article.text
    misses = []
    if article.title != expected.title:
        misses.append(f"title {article.title!r}")
    if _outlet_key(article.outlet) != _outlet_key(expected.outlet):
        misses.append(f"outlet {article.outlet!r}")
    got_date = article.published.date().isoformat() if article.published else None
    if got_date != expected.published:
        misses.append(
            f"published {got_date} ({article.published_source}), expected {expected.published}"
        )
    if not body.startswith(expected.body_starts_with):
        misses.append(f"body starts {body[:60]!r}")
    if not body.rstrip().endswith(expected.body_ends_with):
        misses.append(f"body ends {body[-60:]!r}")
    misses += [f"keeps boilerplate {s!r}" for s in expected.must_not_contain if s in body]
    return misses


def test_every_corpus_page_becomes_one_article(
    corpus_dir: Path, corpus_articles: list[Article]
) -> None:
    expected = _expected(corpus_dir)
    assert len(corpus_articles) == len(expected)
    assert len({a.outlet for a in corpus_articles}) >= 5


def test_corpus_articles_match_expectations(
    corpus_dir: Path, corpus_articles: list[Article]
) -> None:
    problems = []
    for expected in _expected(corpus_dir):
        article = _find(expected, corpus_articles, corpus_dir)
        if article is None:
            problems.append(f"{expected.file}: not found")
            continue
        problems += [f"{expected.file}: {m}" for m in _misses(expected, article)]
    assert not problems, "\n".join(problems)
