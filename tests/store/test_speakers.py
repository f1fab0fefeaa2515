"""The speaker index, on every backend: written and replaced with an article's annotations,
cleared by a reset, and filled from stored payloads by migration 0006."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import Engine, select

from newsfuse.model import Annotations, AnnotationStatus, Article, Quote, QuoteKind
from newsfuse.store import Store, open_store
from newsfuse.store.migrate import alembic_config
from newsfuse.store.schema import article_speakers

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def article(n: int) -> Article:
    return Article(
        id=f"speak{n:015d}",
        source=f"/pages/{n}.html",
        text="“The port will reopen,” the minister said. “Not before July,” the union said.",
        title=f"Port {n}",
        outlet="Harbour Ledger",
        published=T0 + timedelta(hours=n),
        language="en",
        produced_by="tests",
    )


def quote(speaker: str | None) -> Quote:
    return Quote(1, 21, "The port will reopen", QuoteKind.DIRECT, speaker="the minister",
                 speaker_id=speaker)  # fmt: skip


def noted(a: Article, *speakers: str | None) -> Annotations:
    return Annotations(a.id, AnnotationStatus.ANNOTATED, quotes=tuple(quote(s) for s in speakers),
                       produced_by="tests", annotated_at=T0)  # fmt: skip


def _rows(raw_db: Engine) -> list[tuple[str, str, int]]:
    s = article_speakers.c
    with raw_db.connect() as conn:
        stmt = select(s.article_id, s.speaker_id, s.quotes).order_by(s.article_id, s.speaker_id)
        return [(a, b, c) for a, b, c in conn.execute(stmt)]


def test_speakers_are_indexed_with_annotations(store: Store, run_id: int, raw_db: Engine) -> None:
    first, second = article(1), article(2)
    store.add_articles([first, second], run_id)
    store.put_annotations([noted(first, "person:ana-varga", "person:ana-varga", None),
                           noted(second, "org:dockers", "person:ana-varga")])  # fmt: skip
    assert store.articles_quoting("person:ana-varga") == [second.id, first.id]  # newest first
    assert store.articles_quoting("person:ana-varga", limit=1, offset=1) == [first.id]
    assert (first.id, "person:ana-varga", 2) in _rows(raw_db)
    store.put_annotations([noted(second, "org:dockers")])  # re-annotation replaces its rows
    assert store.articles_quoting("person:ana-varga") == [first.id]
    store.reset_annotations()
    assert _rows(raw_db) == []


def test_migration_fills_the_index_from_stored_payloads(store_url: str, raw_db: Engine) -> None:
    with open_store(store_url) as store:
        a = article(3)
        store.add_articles([a], store.start_run(["t"], {}))
        store.put_annotations([noted(a, "person:ana-varga")])
    with raw_db.begin() as conn:
        command.downgrade(alembic_config(conn), "0005")
    with open_store(store_url) as store:  # migrates back up to the head, filling the index
        assert store.articles_quoting("person:ana-varga") == [a.id]
