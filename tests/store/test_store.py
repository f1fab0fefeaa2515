"""The store contract, run against every backend by the `store_url` fixture."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, select

from newsfuse.errors import StoreError
from newsfuse.model import Article, DateSource, Rejection, RejectReason, article_id
from newsfuse.store import (
    ArticleFilter,
    RunCounts,
    RunStatus,
    SchemaVersion,
    SourceMark,
    Store,
    StoreValidatorCache,
    Validators,
    head_revision,
    open_store,
    upgrade_database,
)
from newsfuse.store.schema import articles, is_search_object, metadata

IST = timezone(timedelta(hours=5, minutes=30))
TABLES = {"articles", "runs", "rejections", "fetch_validators", "ingested_sources"}


def make_article(n: int, **fields: object) -> Article:
    url = f"https://example.org/news/{n}"
    base = Article(
        id=article_id(url, ""),
        source=f"/data/page-{n}.html",
        text=f"Body of article {n}.\n\nSecond paragraph.",
        title=f"Title {n}",
        url=url,
        canonical_url=url,
        outlet="Example Times",
        published=datetime(2023, 9, 15, 8, n % 60, tzinfo=UTC),
        published_source=DateSource.METADATA,
        language="en",
        produced_by="newsfuse.extract.html.v1",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


# -- migrations --------------------------------------------------------------------------------


def test_opening_an_empty_database_migrates_it_to_head(store_url: str, raw_db: Engine) -> None:
    with raw_db.connect() as conn:
        assert inspect(conn).get_table_names() == []
    open_store(store_url).close()
    with raw_db.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        assert set(inspect(conn).get_table_names()) >= TABLES


def test_migrated_schema_matches_schema_py(store_url: str, raw_db: Engine) -> None:
    open_store(store_url).close()
    with raw_db.connect() as conn:
        # The full-text index is backend-specific and not in the metadata (schema.py says why).
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parents: not is_search_object(name),
            },
        )
        assert compare_metadata(context, metadata) == []


def test_reopening_is_a_no_op_that_keeps_the_data(store_url: str) -> None:
    with open_store(store_url) as store:
        run = store.start_run(["a"], {})
        store.add_articles([make_article(1)], run)
    head = head_revision()
    assert upgrade_database(store_url) == SchemaVersion(before=head, after=head)
    with open_store(store_url) as store:
        assert store.get_article(make_article(1).id) == make_article(1)
        assert store.count_articles() == 1


# -- articles ----------------------------------------------------------------------------------

ROUND_TRIPS = {
    "everything, unicode, tz-aware with microseconds": make_article(
        1,
        title="Ким Чен Ын — «встреча» 金正恩 🚀",
        text="Körper\n\nمرحبا بالعالم\n\nZero-width\u200bjoiner and e\u0301 combining.",
        authors=("Zoë Ångström", "李雷"),
        published=datetime(2023, 9, 15, 14, 30, 5, 123456, tzinfo=IST),
        published_source=DateSource.TEXT,
        published_confidence=0.7312345678901234,
        language="ru",
        captions=("Photo: ÄP", "Caption two"),
        fetched_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    ),
    "naive dates (zone unknown)": make_article(
        2, published=datetime(2023, 9, 15, 23, 59), fetched_at=datetime(2024, 1, 2, 3, 4, 5)
    ),
    "every optional field empty": Article(id="bare", source="stdin", text="Just text."),
}


@pytest.mark.parametrize("article", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_every_article_field_round_trips(store: Store, run_id: int, article: Article) -> None:
    assert store.add_articles([article], run_id).inserted == (article.id,)
    stored = store.get_article(article.id)
    assert stored == article
    assert stored is not None
    for name in ("published", "fetched_at"):
        given, back = getattr(article, name), getattr(stored, name)
        assert (given is None) == (back is None)
        if given is not None:
            assert back.isoformat() == given.isoformat()  # naive stays naive, offset kept
    assert isinstance(stored.authors, tuple) and isinstance(stored.captions, tuple)


def test_readding_an_article_changes_nothing(store: Store, raw_db: Engine, run_id: int) -> None:
    original = make_article(1)
    assert store.add_articles([original], run_id).inserted == (original.id,)
    created_before = _created_at(raw_db, original.id)
    later_run = store.start_run(["again"], {})
    again = store.add_articles([replace(original, title="Changed"), make_article(2)], later_run)
    assert again.inserted == (make_article(2).id,)
    assert again.duplicates == (original.id,)
    assert store.get_article(original.id) == original
    assert _created_at(raw_db, original.id) == created_before
    assert [a.id for a in store.list_articles(ArticleFilter(run_id=run_id))] == [original.id]


def test_an_id_repeated_in_one_call_is_stored_once(store: Store, run_id: int) -> None:
    a = make_article(1)
    result = store.add_articles([a, replace(a, title="Second copy"), make_article(2)], run_id)
    assert result.inserted == (a.id, make_article(2).id)
    assert result.duplicates == (a.id,)
    assert store.get_article(a.id) == a
    assert store.add_articles([], run_id).inserted == ()


def test_has_articles_answers_for_many_ids(store: Store, run_id: int) -> None:
    stored = [make_article(n) for n in range(3)]
    store.add_articles(stored, run_id)
    asked = [f"missing-{n}" for n in range(1200)] + [stored[0].id, stored[2].id]
    assert store.has_articles(asked) == {stored[0].id, stored[2].id}
    assert store.get_article("missing-1") is None


def test_find_article_ids_by_prefix(store: Store, run_id: int) -> None:
    store.add_articles([Article(id=i, source=i, text=i) for i in ("ab12", "ab34", "a_b5")], run_id)
    assert store.find_article_ids("ab") == ["ab12", "ab34"]
    assert store.find_article_ids("a_") == ["a_b5"]  # _ is no wildcard
    assert store.find_article_ids("ab", limit=1) == ["ab12"]
    assert store.find_article_ids("zz") == []


def test_an_unknown_run_fails_and_stores_nothing(store: Store) -> None:
    with pytest.raises(StoreError, match="run 999"):
        store.add_articles([make_article(1)], 999)
    assert store.count_articles() == 0


# -- listing and filters -----------------------------------------------------------------------


@pytest.fixture
def corpus(store: Store, run_id: int) -> dict[str, Article]:
    """Six articles across outlets, zones and languages, one undated."""
    items = {
        "early": make_article(1, published=datetime(2023, 9, 14, 22, 0, tzinfo=UTC)),
        # 01:00 at +05:30 is 19:30 UTC the day before: it sorts before "early".
        "ist": make_article(
            2, published=datetime(2023, 9, 15, 1, 0, tzinfo=IST), outlet="Hindustan Daily"
        ),
        "naive": make_article(3, published=datetime(2023, 9, 15, 12, 0), language="de"),
        "late": make_article(
            4, published=datetime(2023, 9, 16, tzinfo=UTC), text="Sanctions: 50% TARIFF."
        ),
        "undated": make_article(5, published=None, published_source=None),
    }
    store.add_articles(list(items.values()), run_id)
    other_run = store.start_run(["other"], {})
    items["other_run"] = make_article(6, published=datetime(2023, 9, 17, tzinfo=UTC))
    store.add_articles([items["other_run"]], other_run)
    return items


def _names(found: list[Article], corpus: dict[str, Article]) -> list[str]:
    by_id = {article.id: name for name, article in corpus.items()}
    return [by_id[article.id] for article in found]


def test_listing_is_in_publication_order_undated_last(
    store: Store, corpus: dict[str, Article]
) -> None:
    order = ["ist", "early", "naive", "late", "other_run", "undated"]
    assert _names(store.list_articles(), corpus) == order
    assert _names(store.list_articles(limit=2, offset=1), corpus) == order[1:3]
    assert store.count_articles() == 6


FILTERS = {
    "outlet": (ArticleFilter(outlet="Hindustan Daily"), ["ist"]),
    "language": (ArticleFilter(language="de"), ["naive"]),
    "since aware": (
        ArticleFilter(since=datetime(2023, 9, 15, 3, 30, tzinfo=IST)),  # 22:00 UTC on the 14th
        ["early", "naive", "late", "other_run"],
    ),
    "since naive is UTC": (
        ArticleFilter(since=datetime(2023, 9, 15, 12, 0)),
        ["naive", "late", "other_run"],
    ),
    "until is exclusive": (ArticleFilter(until=datetime(2023, 9, 15, 12, 0)), ["ist", "early"]),
    "text, any case, % literal": (ArticleFilter(contains="50% tariff"), ["late"]),
    "% alone is not a wildcard": (ArticleFilter(contains="%"), ["late"]),
    "combined": (
        ArticleFilter(outlet="Example Times", language="en", contains="body"),
        ["early", "other_run", "undated"],
    ),
}


@pytest.mark.parametrize(("article_filter", "expected"), FILTERS.values(), ids=FILTERS.keys())
def test_filters(
    store: Store, corpus: dict[str, Article], article_filter: ArticleFilter, expected: list[str]
) -> None:
    assert _names(store.list_articles(article_filter), corpus) == expected
    assert store.count_articles(article_filter) == len(expected)


def test_run_filter_lists_articles_a_run_stored_first(
    store: Store, run_id: int, corpus: dict[str, Article]
) -> None:
    first_run = ArticleFilter(run_id=run_id)
    assert _names(store.list_articles(first_run), corpus) == [
        "ist",
        "early",
        "naive",
        "late",
        "undated",
    ]
    assert store.count_articles(ArticleFilter(run_id=run_id, language="de")) == 1


def test_iter_articles_streams_everything_in_listing_order(store: Store, run_id: int) -> None:
    same_instant = datetime(2023, 9, 15, 12, 0, tzinfo=UTC)
    batch = [make_article(n, published=same_instant) for n in range(4)]
    batch += [make_article(n, published=same_instant + timedelta(hours=n)) for n in range(4, 7)]
    batch += [make_article(n, published=None) for n in range(7, 12)]
    store.add_articles(batch, run_id)
    listed = store.list_articles(limit=100)
    for size in (1, 2, 3, 1000):
        assert list(store.iter_articles(batch_size=size)) == listed
    english_undated = ArticleFilter(until=datetime(2024, 1, 1), language="en")
    assert len(list(store.iter_articles(english_undated, batch_size=2))) == 7


# -- runs --------------------------------------------------------------------------------------


def test_run_lifecycle_with_rejections(store: Store) -> None:
    before = datetime.now(UTC)
    run = store.start_run(
        ["corpus/", "https://example.org/feed"], {"max_bytes": 10, "p": Path("x")}
    )
    record = store.get_run(run)
    assert record is not None
    assert record.status is RunStatus.RUNNING
    assert record.inputs == ("corpus/", "https://example.org/feed")
    assert record.options == {"max_bytes": 10, "p": "x"}
    assert record.counts == RunCounts() and record.finished_at is None
    assert record.pid == os.getpid()
    assert record.started_at.tzinfo is not None and record.started_at >= before - timedelta(1)

    rejected = [
        Rejection("corpus/a.bin", RejectReason.BINARY, "NUL bytes in the first 1 kB"),
        Rejection("https://x/1", RejectReason.HTTP_ERROR, "404 Not Found", url="https://x/1"),
    ]
    store.record_rejection(run, rejected[0])
    store.record_rejections(run, rejected[1:])
    counts = RunCounts(
        pages_seen=5, ingested=2, duplicates=1, rejected=2,
        rejected_by_reason={RejectReason.BINARY: 1, "http_error": 1},
    )  # fmt: skip
    store.finish_run(run, counts)

    finished = store.get_run(run)
    assert finished is not None
    assert finished.status is RunStatus.FINISHED
    assert finished.counts == counts
    assert finished.finished_at is not None and finished.finished_at >= finished.started_at
    records = store.rejections(run)
    assert [r.to_rejection() for r in records] == rejected
    assert all(r.run_id == run for r in records)
    assert store.rejections(run + 1) == []


def test_list_runs_newest_first_and_finish_errors(store: Store) -> None:
    first, second = store.start_run(["a"], {}), store.start_run(["b"], {})
    store.finish_run(first, RunCounts(), "failed")
    assert [r.id for r in store.list_runs()] == [second, first]
    assert [r.id for r in store.list_runs(limit=1)] == [second]
    assert store.get_run(first).status is RunStatus.FAILED  # type: ignore[union-attr]
    assert store.get_run(12345) is None
    with pytest.raises(StoreError, match="no run 12345"):
        store.finish_run(12345, RunCounts())
    with pytest.raises(ValueError):
        store.finish_run(second, RunCounts(), RunStatus.RUNNING)


def test_stale_runs_are_marked_interrupted(store: Store, store_url: str) -> None:
    dead = _start_run_in_process_killed_by_sigkill(store_url)
    mine = store.start_run(["alive"], {})
    assert store.mark_stale_runs() == [dead]
    assert store.get_run(dead).status is RunStatus.INTERRUPTED  # type: ignore[union-attr]
    assert store.get_run(mine).status is RunStatus.RUNNING  # type: ignore[union-attr]
    assert store.mark_stale_runs() == []
    assert store.mark_stale_runs(older_than=timedelta(0)) == [mine]


# -- conditional GET ---------------------------------------------------------------------------


def test_validators(store: Store) -> None:
    url = "https://example.org/feed.xml"
    assert store.get_validators(url) is None
    store.put_validators(url, '"abc"', None)
    assert store.get_validators(url) == Validators(etag='"abc"', last_modified=None)
    store.put_validators(url, '"def"', "Wed, 21 Oct 2015 07:28:00 GMT")
    assert store.get_validators(url) == Validators('"def"', "Wed, 21 Oct 2015 07:28:00 GMT")
    store.put_validators(url, None, None)
    assert store.get_validators(url) is None

    cache = StoreValidatorCache(store)
    cache.put(url, Validators(etag="W/1"))
    assert cache.get(url) == Validators(etag="W/1")
    as_tuples = StoreValidatorCache(store, make=lambda etag, modified: (etag, modified))
    assert as_tuples.get(url) == ("W/1", None)


# -- resume ------------------------------------------------------------------------------------


def test_source_tracking(store: Store, run_id: int) -> None:
    article = make_article(1)
    store.add_articles([article], run_id, done=[SourceMark("a.html", "h1", article.id)])
    store.mark_source_done("b.bin", "h2", None, run_id)
    assert store.sources_done(["a.html", "b.bin", "c.html"]) == {"a.html", "b.bin"}
    record = store.get_source("a.html")
    assert record is not None
    assert (record.content_hash, record.article_id, record.run_id) == ("h1", article.id, run_id)

    assert store.source_done("a.html") and store.source_done("a.html", "h1")
    assert not store.source_done("a.html", "changed") and not store.source_done("c.html")

    later = store.start_run(["again"], {})
    store.mark_source_done("a.html", "h3", None, later)
    changed = store.get_source("a.html")
    assert changed is not None and (changed.content_hash, changed.run_id) == ("h3", later)
    assert store.get_source("c.html") is None


def test_marks_commit_with_their_articles_or_not_at_all(store: Store, run_id: int) -> None:
    with pytest.raises(StoreError):
        store.add_articles([make_article(1)], run_id, done=[SourceMark("x", None, "no-such-id")])
    assert store.count_articles() == 0
    assert store.sources_done(["x"]) == set()


def test_an_ingest_killed_mid_run_resumes_to_each_page_exactly_once(
    store: Store, store_url: str
) -> None:
    pages = [f"page-{n}" for n in range(40)]
    killed_run = _ingest_in_process_killed_after(store_url, pages, batches=3, batch_size=5)
    assert store.count_articles() == 15

    assert store.mark_stale_runs() == [killed_run]
    run = store.start_run(pages, {})
    todo = [key for key in pages if key not in store.sources_done(pages)]
    assert len(todo) == 25
    for key in todo:
        article = _page_article(key)
        store.add_articles([article], run, done=[SourceMark(key, key, article.id)])
    # A third pass finds nothing to do, and adding everything again inserts nothing.
    assert store.sources_done(pages) == set(pages)
    again = store.add_articles([_page_article(key) for key in pages], run)
    assert again.inserted == () and len(again.duplicates) == 40
    assert store.count_articles() == 40
    assert sorted(a.source for a in store.iter_articles()) == sorted(pages)


def _page_article(key: str) -> Article:
    return Article(id=article_id(None, key), source=key, text=f"Text of {key}.")


# -- opening -----------------------------------------------------------------------------------

BAD_URLS = {
    "not a URL": ("no url at all", "not a database URL"),
    "unsupported backend": ("mysql://user@localhost/news", "cannot store in 'mysql'"),
    "missing folder": ("sqlite:////no/such/folder/x.db", "does not exist"),
    "unreachable server": (
        "postgresql://nobody:secret@127.0.0.1:9/newsfuse",
        "cannot connect to PostgreSQL at postgresql\\+psycopg://nobody:\\*\\*\\*@127.0.0.1:9",
    ),
}


@pytest.mark.parametrize(("url", "message"), BAD_URLS.values(), ids=BAD_URLS.keys())
def test_a_bad_url_says_what_to_do(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as raised:
        open_store(url)
    assert "secret" not in str(raised.value)


def test_in_memory_sqlite_and_closed_store() -> None:
    store = open_store("sqlite://")
    run = store.start_run(["mem"], {})
    store.add_articles([make_article(1)], run)
    assert store.count_articles() == 1
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count_articles()


def test_sqlite_file_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'settings.db'}"
    open_store(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:  # WAL is a property of the file, seen by any connection
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
    # The store's own connections carry the per-connection settings.
    with open_store(url) as store, store._read("check pragmas") as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


# -- helpers -----------------------------------------------------------------------------------


def _created_at(engine: Engine, article_id_: str) -> datetime:
    with engine.connect() as conn:
        stmt = select(articles.c.created_at).where(articles.c.id == article_id_)
        created: datetime = conn.execute(stmt).scalar_one()
    return created


_CHILD_PRELUDE = """
import os, signal, sys
from newsfuse.model import Article, article_id
from newsfuse.store import SourceMark, open_store
store = open_store(sys.argv[1])
"""


def _run_child(url: str, body: str, *args: str) -> str:
    code = _CHILD_PRELUDE + textwrap.dedent(body)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code, url, *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return done.stdout


def _start_run_in_process_killed_by_sigkill(url: str) -> int:
    out = _run_child(
        url,
        """
        print(store.start_run(["doomed"], {}), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """,
    )
    return int(out.strip())


def _ingest_in_process_killed_after(
    url: str, pages: list[str], batches: int, batch_size: int
) -> int:
    """Ingest `pages` in a child that dies by SIGKILL after committing `batches` batches."""
    out = _run_child(
        url,
        """
        pages, batches, size = sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
        run = store.start_run(pages, {})
        print(run, flush=True)
        for start in range(0, len(pages), size):
            if start == batches * size:
                os.kill(os.getpid(), signal.SIGKILL)  # mid-run, between two transactions
            chunk = [
                Article(id=article_id(None, key), source=key, text=f"Text of {key}.")
                for key in pages[start : start + size]
            ]
            marks = [SourceMark(a.source, a.source, a.id) for a in chunk]
            store.add_articles(chunk, run, done=marks)
        """,
        ",".join(pages),
        str(batches),
        str(batch_size),
    )
    return int(out.strip())
