"""`Store`: articles, runs, rejections, HTTP validators and resume marks behind one interface.

Every write is one short transaction, so a process killed at any instant leaves each article
either fully stored or absent; re-running then inserts what is missing and nothing twice
(article ids are content hashes and inserts ignore ids already present).

Resuming an interrupted ingest:

    done = store.sources_done(keys)                      # inputs a previous run finished
    ...extract the others...
    store.add_articles(batch, run_id, done=marks)        # articles and their marks, atomically
"""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from newsfuse.errors import StoreError
from newsfuse.model import (
    Annotations,
    Article,
    Event,
    Rejection,
    Story,
    StoryAssignment,
    StoryContext,
    StoryMerge,
)
from newsfuse.store import annotated, codec, pending, search, stories
from newsfuse.store.engine import DEFAULT_URL, WRITE_OPTION, create_store_engine, safe_url
from newsfuse.store.migrate import upgrade_schema
from newsfuse.store.records import (
    AddResult,
    ArticleFilter,
    EntityFilter,
    EntitySummary,
    EventFilter,
    RejectionRecord,
    RunCounts,
    RunRecord,
    RunStatus,
    SearchHit,
    SourceMark,
    SourceRecord,
    StoryFilter,
    StoryMember,
    Validators,
)
from newsfuse.store.schema import (
    article_entities,
    article_events,
    articles,
    fetch_validators,
    ingested_sources,
    rejections,
    runs,
    story_members,
)

# Ids per IN (...) list: well under SQLite's bound-parameter limit.
_IN_CHUNK = 500
_ALL = ArticleFilter()
_ALL_STORIES = StoryFilter()


def open_store(url: str = DEFAULT_URL) -> Store:
    """Connect to `url`, migrate its schema to the newest revision, and return the store."""
    engine = create_store_engine(url)
    try:
        upgrade_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


class Store:
    """Persistence for newsfuse; open one with `open_store(url)`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._closed = False

    @property
    def url(self) -> str:
        """The database URL, without its password."""
        return safe_url(self._engine.url)

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self._engine.dialect.name

    def close(self) -> None:
        self._closed = True
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- articles ---------------------------------------------------------------------------

    def add_articles(
        self, articles_: Sequence[Article], run_id: int, *, done: Sequence[SourceMark] = ()
    ) -> AddResult:
        """Insert articles whose ids are new; leave stored ones untouched. One transaction.

        `done` marks inputs finished in the same transaction, so a resumed run never skips an
        input whose article was not committed.
        """
        first: dict[str, Article] = {}
        for article in articles_:
            first.setdefault(article.id, article)
        now = codec.utc_now()
        rows = [codec.article_row(article, run_id, now) for article in first.values()]
        with self._write(f"add articles for run {run_id}") as conn:
            inserted: set[str] = set()
            if rows:
                stmt = self._insert(articles).on_conflict_do_nothing(index_elements=["id"])
                inserted = set(conn.execute(stmt.returning(articles.c.id), rows).scalars())
            self._mark_sources(conn, done, run_id, now)
        return _add_result(articles_, inserted)

    def get_article(self, article_id: str) -> Article | None:
        with self._read("read an article") as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return codec.article_from_row(row) if row is not None else None

    def get_articles(self, ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among `ids`, by id (a query per 500 ids, not one per id)."""
        found: dict[str, Article] = {}
        with self._read("read articles") as conn:
            for chunk in _chunks(list(set(ids)), _IN_CHUNK):
                rows = conn.execute(select(articles).where(articles.c.id.in_(chunk)))
                found.update((row.id, codec.article_from_row(row)) for row in rows)
        return found

    def find_article_ids(self, prefix: str, limit: int = 10) -> list[str]:
        """Ids that start with `prefix` (for ids typed short), at most `limit` of them."""
        stmt = (
            select(articles.c.id)
            .where(articles.c.id.startswith(prefix, autoescape=True))
            .order_by(articles.c.id)
            .limit(limit)
        )
        with self._read("look up article ids") as conn:
            return list(conn.execute(stmt).scalars())

    def has_articles(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are stored."""
        found: set[str] = set()
        with self._read("look up article ids") as conn:
            for chunk in _chunks(list(set(ids)), _IN_CHUNK):
                found.update(
                    conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars()
                )
        return found

    def list_articles(
        self, filter: ArticleFilter = _ALL, limit: int = 100, offset: int = 0
    ) -> list[Article]:
        """Articles matching `filter`, in publication order (undated last), then by id."""
        stmt = (
            select(articles)
            .where(*_conditions(filter))
            .order_by(articles.c.published_utc.asc().nulls_last(), articles.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self._read("list articles") as conn:
            return [codec.article_from_row(row) for row in conn.execute(stmt)]

    def count_articles(self, filter: ArticleFilter = _ALL) -> int:
        stmt = select(func.count()).select_from(articles).where(*_conditions(filter))
        with self._read("count articles") as conn:
            return int(conn.execute(stmt).scalar_one())

    def iter_articles(
        self, filter: ArticleFilter = _ALL, batch_size: int = 1000
    ) -> Iterator[Article]:
        """Every matching article in `list_articles` order, a batch per short read.

        Keyset paging, not an open cursor: the caller may write to the store between batches.
        """
        dated = articles.c.published_utc.is_not(None)
        last: Article | None = None
        while True:
            after = true() if last is None else _after_dated(last)
            batch = self._page(filter, and_(dated, after), batch_size)
            yield from batch
            if len(batch) < batch_size:
                break
            last = batch[-1]
        last_id: str | None = None
        while True:
            after = true() if last_id is None else articles.c.id > last_id
            batch = self._page(filter, and_(articles.c.published_utc.is_(None), after), batch_size)
            yield from batch
            if len(batch) < batch_size:
                return
            last_id = batch[-1].id

    def _page(self, filter: ArticleFilter, where: ColumnElement[bool], size: int) -> list[Article]:
        stmt: Select[Any] = (
            select(articles)
            .where(*_conditions(filter), where)
            .order_by(articles.c.published_utc, articles.c.id)
            .limit(size)
        )
        with self._read("read articles") as conn:
            return [codec.article_from_row(row) for row in conn.execute(stmt)]

    # -- full-text search (SQL in store/search.py) ------------------------------------------

    def search_articles(
        self, text: str, filter: ArticleFilter = _ALL, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        """Articles matching the words and "phrases" of `text` (all of them, stemmed), best
        first, with a snippet around the first match. ConfigError when `text` has no word."""
        query = search.parse_query(text)
        with self._read("search articles") as conn:
            stmt = (
                search.ranked(conn.dialect.name, query, _conditions(filter))
                .limit(limit)
                .offset(offset)
            )
            scored = [(article_id, float(score)) for article_id, score in conn.execute(stmt)]
        found = self.get_articles([article_id for article_id, _ in scored])
        hits: list[SearchHit] = []
        for article_id, score in scored:
            article = found.get(article_id)
            if article is not None:
                snippet, marks = search.snippet(article.text, query)
                hits.append(SearchHit(article, score, snippet, marks))
        return hits

    def count_search(self, text: str, filter: ArticleFilter = _ALL) -> int:
        """How many articles `search_articles` would find in all."""
        query = search.parse_query(text)
        with self._read("count search results") as conn:
            matching = search.matching_ids(conn.dialect.name, query)
            conditions = _conditions(filter)
            if not conditions:  # count the index's matches, without reading the articles
                stmt = select(func.count()).select_from(matching.subquery())
            else:
                stmt = (
                    select(func.count())
                    .select_from(articles)
                    .where(articles.c.id.in_(matching), *conditions)
                )
            return int(conn.execute(stmt).scalar_one())

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, inputs: Sequence[str], options: Mapping[str, object] | None = None) -> int:
        """Record a new run as running by this process; returns its id."""
        row = {
            "status": RunStatus.RUNNING.value,
            "started_at": codec.utc_now(),
            "inputs": codec.jsonable_inputs(inputs),
            "options": dict(options or {}),
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
        with self._write("start a run") as conn:
            return int(conn.execute(insert(runs).returning(runs.c.id), row).scalar_one())

    def finish_run(
        self, run_id: int, counts: RunCounts, status: RunStatus | str = RunStatus.FINISHED
    ) -> None:
        """Record how run `run_id` ended: finished, failed or interrupted, with its counts."""
        final = RunStatus(status)
        if final is RunStatus.RUNNING:
            raise ValueError("a run finishes as finished, interrupted or failed, not running")
        values = {
            "status": final.value,
            "finished_at": codec.utc_now(),
            "counts": codec.counts_json(counts),
        }
        with self._write(f"finish run {run_id}") as conn:
            result = conn.execute(update(runs).where(runs.c.id == run_id).values(values))
            if result.rowcount == 0:
                raise StoreError(f"there is no run {run_id} in {self.url} to finish")

    def get_run(self, run_id: int) -> RunRecord | None:
        with self._read(f"read run {run_id}") as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
        return codec.run_from_row(row) if row is not None else None

    def list_runs(self, limit: int = 20) -> list[RunRecord]:
        """The newest runs first."""
        stmt = select(runs).order_by(runs.c.id.desc()).limit(limit)
        with self._read("list runs") as conn:
            return [codec.run_from_row(row) for row in conn.execute(stmt)]

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        self.record_rejections(run_id, [rejection])

    def record_rejections(self, run_id: int, rejected: Sequence[Rejection]) -> None:
        """Store a batch of rejections of run `run_id` in one transaction."""
        if not rejected:
            return
        now = codec.utc_now()
        rows = [
            {
                "run_id": run_id,
                "source": r.source,
                "url": r.url,
                "reason": r.reason.value,
                "detail": r.detail,
                "created_at": now,
            }
            for r in rejected
        ]
        with self._write(f"record rejections of run {run_id}") as conn:
            conn.execute(insert(rejections), rows)

    def rejections(self, run_id: int) -> list[RejectionRecord]:
        """Run `run_id`'s rejections in the order they were recorded."""
        stmt = select(rejections).where(rejections.c.run_id == run_id).order_by(rejections.c.id)
        with self._read(f"read rejections of run {run_id}") as conn:
            return [codec.rejection_from_row(row) for row in conn.execute(stmt)]

    def mark_stale_runs(self, *, older_than: timedelta | None = None) -> list[int]:
        """Mark runs left `running` by a dead process as interrupted; returns their ids.

        A run is stale when it ran on this machine and its process is gone, or, with
        `older_than`, when it started longer ago than that (for runs from other machines).
        """
        now = codec.utc_now()
        host = socket.gethostname()
        with self._read("list running runs") as conn:
            running = conn.execute(
                select(runs.c.id, runs.c.pid, runs.c.host, runs.c.started_at).where(
                    runs.c.status == RunStatus.RUNNING.value
                )
            ).all()
        stale = [
            run.id
            for run in running
            if (run.host == host and run.pid is not None and not _process_alive(run.pid))
            or (older_than is not None and run.started_at < now - older_than)
        ]
        if stale:
            stmt = (
                update(runs)
                .where(runs.c.id.in_(stale), runs.c.status == RunStatus.RUNNING.value)
                .values(status=RunStatus.INTERRUPTED.value, finished_at=now)
            )
            with self._write("mark interrupted runs") as conn:
                conn.execute(stmt)
        return stale

    # -- conditional GET --------------------------------------------------------------------

    def get_validators(self, url: str) -> Validators | None:
        stmt = select(fetch_validators).where(fetch_validators.c.url == url)
        with self._read("read HTTP validators") as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None
        return Validators(etag=row.etag, last_modified=row.last_modified)

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember `url`'s validators; both `None` forgets them."""
        with self._write("store HTTP validators") as conn:
            if etag is None and last_modified is None:
                conn.execute(delete(fetch_validators).where(fetch_validators.c.url == url))
                return
            values = {"etag": etag, "last_modified": last_modified, "updated_at": codec.utc_now()}
            stmt = self._insert(fetch_validators).values(url=url, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_=values))

    # -- resume -----------------------------------------------------------------------------

    def mark_source_done(
        self, key: str, content_hash: str | None, article_id: str | None, run_id: int
    ) -> None:
        """Record that run `run_id` finished input `key` (its article, or None if rejected)."""
        mark = SourceMark(key=key, content_hash=content_hash, article_id=article_id)
        with self._write(f"mark input {key!r} done") as conn:
            self._mark_sources(conn, [mark], run_id, codec.utc_now())

    def source_done(self, key: str, content_hash: str | None = None) -> bool:
        """Whether input `key` is finished; with `content_hash`, finished with that content.

        A changed hash means the input changed since, so it is not done.
        """
        record = self.get_source(key)
        if record is None:
            return False
        return content_hash is None or record.content_hash == content_hash

    def sources_done(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` some run has finished."""
        found: set[str] = set()
        column = ingested_sources.c.key
        with self._read("look up finished inputs") as conn:
            for chunk in _chunks(list(set(keys)), _IN_CHUNK):
                found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
        return found

    def get_source(self, key: str) -> SourceRecord | None:
        """How input `key` was finished, with its content hash to tell whether it changed."""
        stmt = select(ingested_sources).where(ingested_sources.c.key == key)
        with self._read("read a finished input") as conn:
            row = conn.execute(stmt).first()
        return codec.source_from_row(row) if row is not None else None

    def _mark_sources(
        self, conn: Connection, marks: Sequence[SourceMark], run_id: int, now: datetime
    ) -> None:
        if not marks:
            return
        latest = {mark.key: mark for mark in marks}  # one row per key, the last mark wins
        rows = [
            {
                "key": m.key,
                "content_hash": m.content_hash,
                "article_id": m.article_id,
                "run_id": run_id,
                "done_at": now,
            }
            for m in latest.values()
        ]
        stmt = self._insert(ingested_sources)
        columns = ("content_hash", "article_id", "run_id", "done_at")
        changed = {name: stmt.excluded[name] for name in columns}
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_=changed), rows)

    # -- stories (SQL in store/stories.py) -----------------------------------------------------

    def put_features(
        self,
        items: Sequence[tuple[str, bytes, bytes | None]],
        *,
        produced_by: str = "",
        replace: bool = False,
    ) -> None:
        """Store `(article_id, features, minhash)` items; ids already stored are left as they
        are, unless `replace` (features from a newer featurizer)."""
        with self._write("store clustering features") as conn:
            stories.put_features(conn, items, produced_by, codec.utc_now(), replace=replace)

    def get_features(self, ids: Iterable[str]) -> dict[str, tuple[bytes, bytes | None]]:
        """`article_id -> (features, minhash)` for the ids that have features stored."""
        with self._read("read clustering features") as conn:
            return stories.get_features(conn, ids)

    def unclustered_articles(self, limit: int = 1000) -> list[Article]:
        """Stored articles that no story holds yet, in arrival order (then by id).

        Each call starts from the oldest; to go through many batches use `iter_unclustered`,
        which carries on where the previous batch ended.
        """
        with self._read("list articles to cluster") as conn:
            rows = pending.pending_rows(conn, stories.unclustered(), limit, None)
            return [codec.article_from_row(row) for row in rows]

    def iter_unclustered(self, batch_size: int = 1000) -> Iterator[list[Article]]:
        """Batches of `unclustered_articles`, each a short read after the previous one.

        Keyset paging on arrival order: the caller saves each batch's clustering before taking
        the next. Articles stored meanwhile come in later batches; one committed late with an
        earlier arrival time waits for the next call.
        """
        return self._iter_pending(stories.unclustered, batch_size, "cluster")

    def count_unclustered(self) -> int:
        with self._read("count articles to cluster") as conn:
            return pending.count_pending(conn, stories.unclustered())

    def _iter_pending(
        self, condition: Callable[[], ColumnElement[bool]], batch_size: int, stage: str
    ) -> Iterator[list[Article]]:
        """Batches of the articles `condition` names, each read after the previous one."""
        after: tuple[datetime, str] | None = None
        while True:
            with self._read(f"list articles to {stage}") as conn:
                rows = pending.pending_rows(conn, condition(), batch_size, after)
                batch = [codec.article_from_row(row) for row in rows]
            if batch:
                yield batch
            if len(rows) < batch_size:
                return
            after = (rows[-1].created_at, rows[-1].id)

    def save_clustering(
        self,
        assignments: Sequence[StoryAssignment],
        merges: Sequence[StoryMerge],
        state: bytes,
        seq: int,
    ) -> None:
        """Save one batch of clustering in one transaction: the articles' memberships, the
        merges (members move to the survivor, the merged id stays an alias), the summaries
        of every story they touch, and the clusterer's `state` with its position `seq`.

        An assignment for an article that is already in a story raises `StoreError` and saves
        nothing: clustering places each article once, so it means a second clusterer ran.
        """
        with self._write("save clustering") as conn:
            stories.save_clustering(conn, assignments, merges, state, seq, codec.utc_now())

    def load_cluster_state(self) -> tuple[bytes, int] | None:
        """The state and position last saved by `save_clustering`; None before any."""
        with self._read("read the clusterer state") as conn:
            return stories.load_cluster_state(conn)

    def reset_clustering(self) -> None:
        """Forget every story, membership, merge and the clusterer state (for a recluster);
        the articles and their stored features stay."""
        with self._write("reset clustering") as conn:
            stories.reset_clustering(conn)

    def resolve_story_id(self, story_id_or_prefix: str) -> str | None:
        """The live story an id names: itself, the survivor it was merged into (through any
        chain of merges), or the one live story a prefix of a live or merged id points to.

        None when nothing matches, or when a prefix is ambiguous: `find_story_ids` lists the
        candidates.
        """
        with self._read("look up a story id") as conn:
            return stories.resolve(conn, story_id_or_prefix.strip())

    def find_story_ids(self, prefix: str, limit: int = 10) -> list[str]:
        """Live stories whose id, or the id of a story merged into them, starts with `prefix`."""
        with self._read("look up story ids") as conn:
            return stories.candidates(conn, prefix, limit)

    def get_story(self, story_id: str) -> Story | None:
        """The story with this id, or the one it was merged into."""
        with self._read("read a story") as conn:
            return stories.get_story(conn, story_id)

    def list_stories(self, filter: StoryFilter = _ALL_STORIES, limit: int = 50) -> list[Story]:
        """Stories matching `filter`, newest last article first (undated last), then by id.

        The next page: `replace(filter, after=page[-1])`.
        """
        with self._read("list stories") as conn:
            return stories.list_stories(conn, filter, limit)

    def count_stories(self, filter: StoryFilter = _ALL_STORIES) -> int:
        """How many stories match `filter` (after `filter.after`, when set)."""
        with self._read("count stories") as conn:
            return stories.count_stories(conn, filter)

    def iter_stories(
        self, filter: StoryFilter = _ALL_STORIES, batch_size: int = 1000
    ) -> Iterator[Story]:
        """Every matching story in `list_stories` order, a page per short read."""
        page_filter = filter
        while True:
            page = self.list_stories(page_filter, batch_size)
            yield from page
            if len(page) < batch_size:
                return
            page_filter = dataclasses.replace(page_filter, after=page[-1])

    def story_members(self, story_id: str) -> list[StoryMember]:
        """The articles of a story (an alias gives its survivor's), in clustering order."""
        with self._read("read story members") as conn:
            return stories.members_of(conn, story_id)

    def memberships(self, article_ids: Iterable[str]) -> dict[str, StoryAssignment]:
        """`article_id -> StoryAssignment` (live story id, duplicate link) for clustered ids."""
        with self._read("read story memberships") as conn:
            return stories.memberships(conn, article_ids)

    def story_merges_of(self, story_id: str) -> list[StoryMerge]:
        """The merges that ended in this story (through chains too), in clustering order."""
        with self._read("read story merges") as conn:
            return stories.merges_into(conn, story_id)

    # -- annotations (SQL in store/annotated.py) ---------------------------------------------

    def put_annotations(self, items: Sequence[Annotations]) -> None:
        """Store annotations in one transaction; an article annotated before gets its row and
        its actors replaced (re-annotation), so putting the same items twice changes nothing."""
        with self._write("store annotations") as conn:
            annotated.put_annotations(conn, items, codec.utc_now())

    def get_annotations(self, article_id: str) -> Annotations | None:
        """The article's annotations; None until it has been annotated."""
        return self.annotations_of([article_id]).get(article_id)

    def annotations_of(self, article_ids: Iterable[str]) -> dict[str, Annotations]:
        """`article_id -> Annotations` for the annotated ones among `article_ids`."""
        with self._read("read annotations") as conn:
            return annotated.get_annotations(conn, article_ids)

    def iter_unannotated(self, batch_size: int = 256) -> Iterator[list[Article]]:
        """Batches of stored articles without annotations, in arrival order (then by id).

        Keyset paging like `iter_unclustered`: the caller stores each batch's annotations
        before taking the next, and an interrupted pass resumes with what is left.
        """
        return self._iter_pending(annotated.unannotated, batch_size, "annotate")

    def story_actors(self, story_id: str) -> frozenset[str]:
        """Every actor id the story's articles name."""
        with self._read("read a story's actors") as conn:
            return annotated.story_actors(conn, story_id)

    def stories_naming(self, actor_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        """`story_id -> which of actor_ids it names`, for the stories naming any of them."""
        with self._read("find stories by actor") as conn:
            return annotated.stories_naming(conn, actor_ids)

    def entity_summary(self, actor_id: str) -> EntitySummary | None:
        """How the store knows an actor id: its names, how many articles and stories name it."""
        with self._read("read an entity") as conn:
            return annotated.entity_summary(conn, actor_id)

    def list_entities(
        self, filter: EntityFilter | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntitySummary]:
        """Named actors matching `filter`, most named first."""
        with self._read("list entities") as conn:
            return annotated.list_entities(conn, filter or EntityFilter(), limit, offset)

    def related_stories(
        self, story_id: str, min_shared: int = 2, limit: int = 10
    ) -> list[tuple[str, tuple[str, ...], float]]:
        """`(story_id, shared actor ids, score)` of the stories most related to this one by
        the actors they share, best first (see `annotated.related_stories`)."""
        with self._read("find related stories") as conn:
            return annotated.related_stories(conn, story_id, min_shared, limit)

    def articles_naming(self, actor_id: str, limit: int = 100, offset: int = 0) -> list[str]:
        """Ids of the articles naming `actor_id`, newest first."""
        with self._read("read articles naming an entity") as conn:
            return annotated.articles_naming(conn, actor_id, limit, offset)

    def articles_quoting(self, speaker_id: str, limit: int = 100, offset: int = 0) -> list[str]:
        """Ids of the articles carrying quotes of `speaker_id`, newest first."""
        with self._read("read articles quoting a speaker") as conn:
            return annotated.articles_quoting(conn, speaker_id, limit, offset)

    def list_events(
        self, filter: EventFilter | None = None, limit: int = 50, offset: int = 0
    ) -> list[tuple[str, Event]]:
        """`(article_id, event)` of stored events matching `filter`, latest date first."""
        with self._read("list events") as conn:
            return annotated.list_events(conn, filter or EventFilter(), limit, offset)

    def count_unannotated(self) -> int:
        with self._read("count articles to annotate") as conn:
            return pending.count_pending(conn, annotated.unannotated())

    def reset_annotations(self) -> None:
        """Forget every annotation (for `newsfuse annotate --all`); articles stay."""
        with self._write("reset annotations") as conn:
            annotated.reset_annotations(conn)

    def story_contexts(self, article_ids: Iterable[str]) -> dict[str, StoryContext]:
        """What each article's story already knows, for annotating it: the story id and span,
        and the people (actor id, name) its other annotated articles name. Every id gets a
        context; an article in no story gets an empty one."""
        with self._read("read story contexts") as conn:
            return annotated.story_contexts(conn, article_ids)

    def story_events(self, story_id: str) -> list[tuple[str, Event]]:
        """`(article_id, event)` for every event of the story's members, in story order (then
        in article order): what `fuse.events.merge_events` merges."""
        with self._read("read story events") as conn:
            return annotated.story_events(conn, story_id)

    def events_of(self, article_ids: Iterable[str]) -> dict[str, tuple[Event, ...]]:
        """`article_id -> its events in article order` (ids without events are left out)."""
        with self._read("read events") as conn:
            return annotated.events_of(conn, article_ids)

    def event_type_counts(self) -> dict[str, int]:
        """`PLOVER type -> number of stored events`, most frequent first."""
        with self._read("count events") as conn:
            return annotated.event_type_counts(conn)

    def entity_actor_counts(self) -> dict[str, int]:
        """`actor_id -> number of annotated articles that name it`, most named first."""
        with self._read("count actors") as conn:
            return annotated.entity_actor_counts(conn)

    # -- plumbing ---------------------------------------------------------------------------

    def _insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        """INSERT with the dialect's ON CONFLICT clauses (same API on both backends)."""
        if self._engine.dialect.name == "sqlite":
            return sqlite.insert(table)
        return postgresql.insert(table)

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        self._check_open()
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(action, exc) from exc

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        self._check_open()
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise self._error(action, exc) from exc

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the store at {self.url} is closed; open it again with open_store")

    def _error(self, action: str, exc: SQLAlchemyError) -> StoreError:
        orig = getattr(exc, "orig", None) or exc
        detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        hint = ""
        if "locked" in detail or "busy" in detail:
            hint = "; another process is writing to this database, try again when it is done"
        elif "no such table" in detail or "does not exist" in detail:
            hint = "; run `newsfuse db upgrade`"
        return StoreError(f"could not {action} in {self.url}: {detail}{hint}")


def _conditions(f: ArticleFilter) -> list[ColumnElement[bool]]:
    c = articles.c
    conditions: list[ColumnElement[bool]] = []
    if f.outlet is not None:
        conditions.append(c.outlet == f.outlet)
    if f.language is not None:
        conditions.append(c.language == f.language)
    if f.since is not None:
        conditions.append(c.published_utc >= codec.as_utc(f.since))
    if f.until is not None:
        conditions.append(c.published_utc < codec.as_utc(f.until))
    if f.contains:
        conditions.append(c.text.icontains(f.contains, autoescape=True))
    if f.run_id is not None:
        conditions.append(c.run_id == f.run_id)
    if f.entity:
        e = article_entities.c
        conditions.append(c.id.in_(select(e.article_id).where(e.actor_id == f.entity)))
    if f.event_type:
        v = article_events.c
        conditions.append(c.id.in_(select(v.article_id).where(v.plover == f.event_type)))
    if f.story_id:
        m = story_members.c
        conditions.append(c.id.in_(select(m.article_id).where(m.story_id == f.story_id)))
    if f.after is not None:
        conditions.append(_after_article(f.after))
    return conditions


def _after_article(last: Article) -> ColumnElement[bool]:
    """Articles listed after `last` in `list_articles` order (published, undated last, id)."""
    c = articles.c
    if last.published is None:
        return and_(c.published_utc.is_(None), c.id > last.id)
    return or_(_after_dated(last), c.published_utc.is_(None))


def _after_dated(last: Article) -> ColumnElement[bool]:
    assert last.published is not None
    published = codec.as_utc(last.published)
    c = articles.c
    return or_(c.published_utc > published, and_(c.published_utc == published, c.id > last.id))


def _add_result(given: Sequence[Article], inserted: set[str]) -> AddResult:
    new: dict[str, None] = {}  # insertion-ordered set
    duplicates: list[str] = []
    for article in given:
        if article.id in inserted and article.id not in new:
            new[article.id] = None
        else:
            duplicates.append(article.id)
    return AddResult(inserted=tuple(new), duplicates=tuple(duplicates))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True
