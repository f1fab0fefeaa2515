"""The server's dossier cache: one build per story until the story changes or the entry ages."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfuse.api import Newsfuse, open_newsfuse
from newsfuse.errors import NotFoundError
from newsfuse.model import Article, StoryAssignment, story_id_for
from newsfuse.service.dossier_cache import DossierCache

T0 = datetime(2024, 5, 12, 8, 0, tzinfo=UTC)


def article(n: int) -> Article:
    return Article(
        id=f"cache{n:015d}",
        source=f"/pages/{n}.html",
        text=f"The Valdorian port of Elsin reopened on Monday after strike number {n} ended.",
        title=f"Elsin port reopens ({n})",
        outlet=f"Outlet {n}",
        published=T0 + timedelta(hours=n),
        language="en",
        produced_by="tests",
    )


@pytest.fixture
def news(tmp_path: Path) -> Iterator[Newsfuse]:
    with open_newsfuse(f"sqlite:///{tmp_path / 'cache.db'}") as opened:
        run = opened.store.start_run(["tests"], {})
        opened.store.add_articles([article(0), article(1)], run)
        story = story_id_for(article(0).id)
        opened.store.save_clustering(
            [StoryAssignment(article(0).id, story, 0, 0.0, outlet_key="o0")], [], b"s", 1
        )
        yield opened


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_dossier_is_built_once_until_its_story_changes(news: Newsfuse) -> None:
    clock = Clock()
    cache = DossierCache(ttl_s=60, clock=clock)
    story = story_id_for(article(0).id)
    first = cache.get(news, story)
    assert cache.get(news, story) is first
    assert cache.get(news, story[:8]) is first  # a prefix resolves to the same entry
    news.store.save_clustering(
        [StoryAssignment(article(1).id, story, 1, 0.9, outlet_key="o1")], [], b"s", 2
    )
    grown = cache.get(news, story)
    assert grown is not first and grown.story.article_count == 2
    clock.now = 61
    assert cache.get(news, story) is not grown


def test_an_unknown_story_is_not_found(news: Newsfuse) -> None:
    with pytest.raises(NotFoundError):
        DossierCache().get(news, "st_0000000000000000")


def test_the_cache_keeps_at_most_its_size(news: Newsfuse) -> None:
    cache = DossierCache(size=1)
    story = story_id_for(article(0).id)
    first = cache.get(news, story)
    cache.clear()
    assert cache.get(news, story) is not first


def test_concurrent_requests_for_one_story_share_one_build(
    news: Newsfuse, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[str] = []
    real = news.dossier

    def counted(story_id: str) -> object:
        builds.append(story_id)
        return real(story_id)

    monkeypatch.setattr(news, "dossier", counted)
    cache = DossierCache()
    story = story_id_for(article(0).id)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: cache.get(news, story), range(16)))
    assert len(builds) == 1 and all(d is got[0] for d in got)
