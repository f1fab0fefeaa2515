"""The Python API: the same verbs as the CLI, on typed values.

>>> import newsfuse.api as nf
>>> with nf.open_newsfuse("sqlite:///news.db") as news:
...     report = news.ingest(["pages/"])
...     for article in news.articles(ArticleQuery(outlet="Meridian Wire")):
...         print(article.title)
...     for story in news.stories():
...         print(story.title, story.independent_origin_count)
...     for quote in news.annotations(article.id).quotes:
...         print(quote.speaker_canonical, quote.content)
...     for event in news.story_events(story.id):
...         print(event.plover, event.source_actor, event.target_actor, len(event.reports))
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, BinaryIO

from newsfuse.annotate.runner import (
    AnnotateProgress,
    AnnotateReport,
    annotate_pending,
    reannotate,
)
from newsfuse.cluster.runner import ClusterProgress, ClusterReport, cluster_pending, recluster
from newsfuse.config import Settings
from newsfuse.errors import ConfigError, NotFoundError
from newsfuse.model import Annotations, Article, Event, Story
from newsfuse.pipeline import ProgressCallback, RunReport, run_ingest
from newsfuse.service.events import SentenceEvent, classify_sentences
from newsfuse.service.export import ExportFormat, export_articles
from newsfuse.service.stories import StoryDetail, group_reports
from newsfuse.store import ArticleFilter, RunRecord, Store, StoryFilter, open_store

if TYPE_CHECKING:
    from newsfuse.fuse.dossier import Dossier
    from newsfuse.fuse.events import StoryEvent


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Which stored articles a listing or export covers."""

    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    language: str | None = None
    contains: str | None = None
    run_id: int | None = None

    def to_filter(self) -> ArticleFilter:
        return ArticleFilter(
            outlet=self.outlet,
            since=self.since,
            until=self.until,
            language=self.language,
            contains=self.contains,
            run_id=self.run_id,
        )


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Which stories a listing covers: span overlap, outlet, size, title words."""

    since: datetime | None = None
    until: datetime | None = None
    outlet: str | None = None
    min_articles: int | None = None
    search: str | None = None

    def to_filter(self, after: Story | None = None) -> StoryFilter:
        return StoryFilter(
            since=self.since,
            until=self.until,
            outlet=self.outlet,
            min_articles=self.min_articles,
            query=self.search,
            after=after,
        )


class Newsfuse:
    """One store, opened with resolved settings; every user-facing verb lives here."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def __enter__(self) -> Newsfuse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def ingest(
        self,
        inputs: Sequence[str],
        *,
        workers: int = 1,
        stdin: BinaryIO | None = None,
        progress: ProgressCallback | None = None,
    ) -> RunReport:
        if not inputs:
            raise ConfigError("nothing to ingest: give paths, globs, URLs or '-' for stdin")
        return run_ingest(
            inputs, self.store, self.settings, workers=workers, stdin=stdin, progress=progress
        )

    def articles(
        self, query: ArticleQuery | None = None, limit: int = 50, offset: int = 0
    ) -> list[Article]:
        return self.store.list_articles((query or ArticleQuery()).to_filter(), limit, offset)

    def count(self, query: ArticleQuery | None = None) -> int:
        return self.store.count_articles((query or ArticleQuery()).to_filter())

    def iter_articles(self, query: ArticleQuery | None = None) -> Iterator[Article]:
        """Every matching article, streamed in publication order."""
        return self.store.iter_articles((query or ArticleQuery()).to_filter())

    def article(self, article_id: str) -> Article:
        """One article by id, or by a unique id prefix of at least 6 characters."""
        found = self.store.get_article(article_id)
        if found is not None:
            return found
        matches = self.store.find_article_ids(article_id) if len(article_id) >= 6 else []
        if len(matches) == 1:
            found = self.store.get_article(matches[0])
        if found is None:
            hint = "several articles share that prefix" if len(matches) > 1 else "no such article"
            raise NotFoundError(f"article {article_id!r}: {hint} (see `newsfuse articles`)")
        return found

    def stories(
        self, query: StoryQuery | None = None, limit: int = 50, after: Story | None = None
    ) -> list[Story]:
        """Live stories, most recently active first; `after` is the last of the previous page."""
        return self.store.list_stories((query or StoryQuery()).to_filter(after), limit)

    def count_stories(self, query: StoryQuery | None = None) -> int:
        return self.store.count_stories((query or StoryQuery()).to_filter())

    def story(self, story_id: str) -> StoryDetail:
        """One story by id, by a unique id prefix, or by the id of a story merged into it."""
        resolved = self.store.resolve_story_id(story_id)
        story = self.store.get_story(resolved) if resolved is not None else None
        if story is None:
            raise NotFoundError(f"story {story_id!r}: no such story (see `newsfuse stories`)")
        members = self.store.story_members(story.id)
        aliases = tuple(m.merged_id for m in self.store.story_merges_of(story.id))
        return StoryDetail(story, group_reports(members), aliases)

    def _story_id(self, story_id: str) -> str:
        resolved = self.store.resolve_story_id(story_id)
        if resolved is None or self.store.get_story(resolved) is None:
            raise NotFoundError(f"story {story_id!r}: no such story (see `newsfuse stories`)")
        return resolved

    def dossier(self, story_id: str) -> Dossier:
        """The story's dossier: headline, cited summary, facts shared and unique across
        outlets, conflicts, quotes by speaker, events, timeline and related stories."""
        from newsfuse.fuse.dossier import build_dossier

        return build_dossier(self, self._story_id(story_id))

    def story_reports(self, story_id: str) -> list[tuple[str, Event]]:
        """`(article_id, event)` for every event its articles report, in story order (by id,
        prefix, or the id of a story merged into it)."""
        return self.store.story_events(self._story_id(story_id))

    def story_events(self, story_id: str) -> list[StoryEvent]:
        """The story's events merged across its articles: one event, the reports of it (by id,
        prefix, or the id of a story merged into it)."""
        reports = self.story_reports(story_id)
        if not reports:
            return []
        from newsfuse.fuse.events import merge_events  # the fusion stage, loaded when needed

        return merge_events(reports)

    def events(self, article_id: str) -> tuple[Event, ...]:
        """An article's events, in article order (empty until it is annotated)."""
        found = self.annotations(article_id)
        return found.events if found is not None else ()

    def classify_events(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        targets: Sequence[str | None] | None = None,
    ) -> list[SentenceEvent]:
        """Code single sentences (and optionally their source and target actors): PLOVER type,
        CAMEO code, quad class, with scores. Needs no store: see `classify_events` below."""
        return classify_events(texts, sources, targets)

    def cluster(self, progress: ClusterProgress | None = None) -> ClusterReport:
        """Cluster stored articles that have no story yet (ingest does this as it goes)."""
        return cluster_pending(self.store, self.settings.cluster, progress=progress)

    def recluster(self, progress: ClusterProgress | None = None) -> ClusterReport:
        """Forget all stories and cluster everything stored again, in publication order."""
        return recluster(self.store, self.settings.cluster, progress=progress)

    def annotations(self, article_id: str) -> Annotations | None:
        """An article's entities, quotes, dates and places (by id or a unique prefix of 6+
        characters); None until it has been annotated."""
        return self.store.get_annotations(self.article(article_id).id)

    def annotate(
        self, all: bool = False, progress: AnnotateProgress | None = None
    ) -> AnnotateReport:
        """Annotate stored articles that have none yet (ingest does this as it goes); with
        `all`, forget every annotation and annotate everything again."""
        if all:
            return reannotate(self.store, self.settings.annotate, progress=progress)
        return annotate_pending(self.store, self.settings.annotate, progress=progress)

    def runs(self, limit: int = 20) -> list[RunRecord]:
        return self.store.list_runs(limit)

    def run(self, run_id: int) -> RunRecord:
        record = self.store.get_run(run_id)
        if record is None:
            raise NotFoundError(f"run {run_id}: no such run (see `newsfuse runs`)")
        return record

    def export(
        self,
        fmt: ExportFormat,
        output: Path | None,
        stdout: IO[str],
        query: ArticleQuery | None = None,
        *,
        story_id: str | None = None,
        header: bool = False,
    ) -> int:
        """Export the articles `query` picks, or with `story_id` the story's articles in story
        order; `header` gives a GDELT export its column names."""
        articles = self.iter_articles(query) if story_id is None else self._story_articles(story_id)
        return export_articles(
            articles,
            fmt,
            output,
            stdout,
            stories=self.store.memberships,
            annotations=self.store.annotations_of,
            header=header,
        )

    def _story_articles(self, story_id: str) -> Iterator[Article]:
        ids = [m.article_id for m in self.store.story_members(self._story_id(story_id))]
        for start in range(0, len(ids), 500):
            found = self.store.get_articles(ids[start : start + 500])
            yield from (found[i] for i in ids[start : start + 500] if i in found)


def classify_events(
    texts: Sequence[str],
    sources: Sequence[str | None] | None = None,
    targets: Sequence[str | None] | None = None,
) -> list[SentenceEvent]:
    """Code single sentences with the shipped event model (no store needed): for each, the
    PLOVER type, a CAMEO code for it, the quad class, their scores and the Goldstein score."""
    return classify_sentences(texts, sources, targets)


def open_newsfuse(db_url: str | None = None, settings: Settings | None = None) -> Newsfuse:
    """Open (and migrate) the store at `db_url`, default `sqlite:///newsfuse.db`."""
    resolved = settings or Settings()
    url = db_url or resolved.db_url
    return Newsfuse(open_store(url), resolved)
