"""The serving benchmark's synthetic store: a small one has the shape the big one has.

Builds 300 articles into a real SQLite store and reads them back through the store and the
Python API (stories, annotations, search, a dossier). No timing, and no wrk.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from newsfuse.api import Newsfuse
from newsfuse.bench import service
from newsfuse.bench.synthetic import CorpusOptions, Generator, build_store
from newsfuse.config import Settings
from newsfuse.fuse.dossier import build_dossier, dossier_record
from newsfuse.model import AnnotationStatus
from newsfuse.store import ArticleFilter, Store, open_store

OPTIONS = CorpusOptions(articles=300, seed=7, batch_articles=120)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("bench") / "synthetic.db"
    opened = open_store(f"sqlite:///{path}")
    report = build_store(opened, OPTIONS)
    assert report.articles == 300
    return opened


def test_the_same_seed_gives_the_same_corpus() -> None:
    def ids(seed: int) -> list[str]:
        gen = Generator(CorpusOptions(articles=40, seed=seed))
        return [s.article.id for story in gen.stories() for s in story]

    assert ids(3) == ids(3)
    assert ids(3) != ids(4)


def test_articles_and_stories_have_the_expected_shape(store: Store) -> None:
    assert store.count_articles() == 300
    stories = list(store.iter_stories())
    sizes = Counter(s.article_count for s in stories)
    assert sum(s.article_count for s in stories) == 300
    assert max(sizes) <= 15 and sizes[1] > 0 and any(n >= 5 for n in sizes)
    assert len({o for s in stories for o in s.outlets}) > 10
    copies = [m for s in stories for m in store.story_members(s.id) if m.duplicate_of]
    assert copies, "some stories carry wire copies"
    article = store.list_articles(limit=1)[0]
    words = len(article.text.split())
    assert 200 <= words <= 700, words
    assert article.title and article.outlet and article.published is not None


def test_annotations_point_at_their_text(store: Store) -> None:
    articles = store.list_articles(limit=50)
    notes = store.annotations_of(a.id for a in articles)
    assert len(notes) == 50
    for article in articles:
        item = notes[article.id]
        assert item.status is AnnotationStatus.ANNOTATED
        assert item.entities and item.dates
        for e in item.entities:
            assert article.text[e.start : e.end] == e.text
        for p in item.places:
            assert article.text[p.start : p.end] == p.text
        for d in item.dates:
            assert article.text[d.start : d.end] == d.text
        for quote in item.quotes:
            assert article.text[quote.start : quote.end] == quote.content
            assert quote.speaker_id and quote.speaker_start is not None
    assert store.event_type_counts()
    assert store.list_entities(limit=5)[0].article_count > 1


def test_articles_are_searchable(store: Store) -> None:
    article = store.list_articles(limit=1)[0]
    word = max(article.title.split(), key=len) if article.title else "agreement"
    assert store.search_articles(word, limit=5)
    assert store.count_search("agreement") > 0
    assert store.list_articles(ArticleFilter(story_id=store.list_stories(limit=1)[0].id))


def test_a_dossier_builds_with_facts_quotes_events_and_a_timeline(store: Store) -> None:
    news = Newsfuse(store, Settings())
    story = next(s for s in store.iter_stories() if s.article_count >= 3)
    dossier = build_dossier(news, story.id, embedder=None)
    assert dossier.facts and dossier.quotes and dossier.events and dossier.timeline
    record = dossier_record(dossier)
    assert record["story"]["id"] == story.id


def test_wrk_lua_and_its_result_line_round_trip(store: Store) -> None:
    ids = service.typical_story_ids(store, 5, seed=1)
    assert ids and all(3 <= store.get_story(i).article_count <= 8 for i in ids)  # type: ignore[union-attr]
    script = service.lua_script([f"/api/stories/{i}/dossier" for i in ids])
    assert "function request()" in script and ids[0] in script
    result = service.parse_wrk("noise\nNEWSFUSE_RESULT 3000 15000000 2 1 0 8000 45000 90000 0\n")
    assert result.rps == 200.0 and result.p99_ms == 45.0 and result.errors == 3
    assert result.verdict(service.Target(p99_ms=50)) == "MISSED"  # errors miss any target
    assert service.search_queries(OPTIONS)


def test_a_reused_store_is_kept(tmp_path: Path) -> None:
    options = CorpusOptions(articles=30, seed=5)
    path = tmp_path / "kept.db"
    assert service.prepare_store(path, options, reuse=True) is not None
    assert service.prepare_store(path, options, reuse=True) is None
