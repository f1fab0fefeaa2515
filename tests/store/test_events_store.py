"""Events in the store, on every backend: payload and `article_events` rows, replaced on
re-annotation, read per article and per story in story order; payloads from before events."""

from __future__ import annotations

import json
import zlib
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from newsfuse.model import (
    Annotations,
    AnnotationStatus,
    Article,
    EntityMention,
    Event,
    Modality,
    StoryAssignment,
    story_id_for,
)
from newsfuse.store import Store, head_revision
from newsfuse.store import codec as store_codec
from newsfuse.store.schema import annotations_table, article_events

T0 = datetime(2023, 9, 13, 9, 0, tzinfo=UTC)
WHEN = datetime(2025, 6, 1, 8, 30, 15, 123456, tzinfo=UTC)
TEXT = (
    "Kim Jong Un met Vladimir Putin at the Vostochny cosmodrome in Amur Oblast on Wednesday. "
    "South Korea threatened sanctions on Russia and North Korea. "
    "Seoul may impose further measures, officials said."
)


def sentence(n: int) -> tuple[int, int]:
    starts = [0, TEXT.index("South Korea"), TEXT.index("Seoul")]
    ends = [starts[1] - 1, starts[2] - 1, len(TEXT)]
    return starts[n], ends[n]


def consult() -> Event:
    """Every field set to something other than its default."""
    return Event(
        *sentence(0),
        plover="CONSULT",
        cameo="036",
        quad_class="verbal cooperation",
        goldstein=4.0,
        mode="visit",
        modality=Modality.ASSERTED,
        source_actor="PRK",
        source_entity="person:kim-jong-un",
        target_actor="RUS",
        target_entity="person:vladimir-putin",
        date="2023-09-13",
        place="Amur Oblast, RUS",
        confidence=0.8123456789,
        produced_by="events.v1",
    )


def threaten() -> Event:
    return Event(
        *sentence(1), "THREATEN", "1312", "verbal conflict", -5.8, mode="sanction",
        source_actor="KOR", target_actor="RUS", confidence=0.7,
    )  # fmt: skip


def possible() -> Event:
    return Event(
        *sentence(2), "THREATEN", "13", "verbal conflict", -4.0,
        modality=Modality.POSSIBLE, source_actor="KOR",
    )  # fmt: skip


def art(name: str, hours: float = 0) -> Article:
    return Article(
        id=f"{name:0<20}"[:20],
        source=f"/corpus/{name}.html",
        text=TEXT,
        title=f"Title of {name}",
        url=f"https://daily.example/{name}",
        outlet="Daily Planet",
        published=T0 + timedelta(hours=hours),
        language="en",
        produced_by="tests",
    )


def noted(article_id: str, *events: Event) -> Annotations:
    return Annotations(
        article_id,
        AnnotationStatus.ANNOTATED,
        language="en",
        entities=(EntityMention(0, 11, "Kim Jong Un", "PERSON", "person:kim-jong-un", "Kim"),),
        events=events,
        produced_by="newsfuse.annotate.v2",
        annotated_at=WHEN,
    )


def _rows(raw_db: Engine, article_id: str) -> list[tuple[object, ...]]:
    v = article_events.c
    stmt = (
        select(v.idx, v.plover, v.source_actor, v.target_actor, v.modality)
        .where(v.article_id == article_id)
        .order_by(v.idx)
    )
    with raw_db.connect() as conn:
        return [tuple(row) for row in conn.execute(stmt)]


def _n_events(raw_db: Engine, article_id: str) -> int:
    n = annotations_table.c
    with raw_db.connect() as conn:
        stmt = select(n.n_events).where(n.article_id == article_id)
        return int(conn.execute(stmt).scalar_one())


# -- schema and payload ------------------------------------------------------------------------


def test_migration_creates_the_event_table(store: Store, raw_db: Engine) -> None:
    with raw_db.connect() as conn:
        inspector = inspect(conn)
        assert "article_events" in inspector.get_table_names()
        assert "n_events" in {c["name"] for c in inspector.get_columns("annotations")}
        indexed = {tuple(i["column_names"]) for i in inspector.get_indexes("article_events")}
        assert {("plover",), ("source_actor",), ("target_actor",)} <= indexed
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    assert head_revision() >= "0004"


def test_the_payload_keeps_every_field_of_an_event() -> None:
    given = noted("a", consult(), threaten(), possible())
    decoded = store_codec.decode_payload(store_codec.encode_mentions(given))
    assert decoded.events == given.events
    assert decoded.entities == given.entities
    record = store_codec.mention_json(consult())
    assert set(record) == {f.name for f in fields(Event)}
    assert record["modality"] == "asserted"
    assert store_codec.mention_from_json(Event, record) == consult()


def test_a_payload_from_before_events_decodes_to_no_events() -> None:
    old = {"entities": [], "quotes": [], "dates": [], "places": []}
    payload = b"NFA1" + zlib.compress(json.dumps(old).encode())
    assert store_codec.decode_payload(payload).events == ()


# -- writing and reading -----------------------------------------------------------------------


def test_events_round_trip_and_get_rows(store: Store, run_id: int, raw_db: Engine) -> None:
    article = art("events")
    store.add_articles([article], run_id)
    given = noted(article.id, consult(), threaten(), possible())
    store.put_annotations([given])
    assert store.get_annotations(article.id) == given
    assert _rows(raw_db, article.id) == [
        (0, "CONSULT", "PRK", "RUS", "asserted"),
        (1, "THREATEN", "KOR", "RUS", "asserted"),
        (2, "THREATEN", "KOR", None, "possible"),
    ]
    assert _n_events(raw_db, article.id) == 3
    assert store.events_of([article.id, "missing"]) == {article.id: given.events}
    assert store.event_type_counts() == {"THREATEN": 2, "CONSULT": 1}


def test_reannotation_replaces_the_event_rows(store: Store, run_id: int, raw_db: Engine) -> None:
    article = art("again")
    store.add_articles([article], run_id)
    store.put_annotations([noted(article.id, consult(), threaten())])
    store.put_annotations([noted(article.id, consult(), threaten())])  # idempotent
    assert len(_rows(raw_db, article.id)) == 2
    store.put_annotations([noted(article.id, possible())])
    assert _rows(raw_db, article.id) == [(0, "THREATEN", "KOR", None, "possible")]
    assert _n_events(raw_db, article.id) == 1
    failed = Annotations(article.id, AnnotationStatus.FAILED, reason="x", produced_by="p")
    store.put_annotations([failed])
    assert _rows(raw_db, article.id) == [] and store.events_of([article.id]) == {}
    store.put_annotations([noted(article.id, consult())])
    store.reset_annotations()
    assert _rows(raw_db, article.id) == []


def _assign(article: Article, founder: Article, seq: int) -> StoryAssignment:
    return StoryAssignment(
        article_id=article.id,
        story_id=story_id_for(founder.id),
        seq=seq,
        score=0.5,
        outlet_key=f"outlet-{seq}",
        produced_by="tests",
    )


def test_story_events_come_in_story_order(store: Store, run_id: int) -> None:
    first, second, third, other = art("st-1"), art("st-2", 1), art("st-3", 2), art("st-x", 3)
    store.add_articles([first, second, third, other], run_id)
    store.save_clustering(
        [_assign(first, first, 0), _assign(other, other, 1), _assign(third, first, 2),
         _assign(second, first, 3)],
        [], b"state", 4,
    )  # fmt: skip
    store.put_annotations(
        [
            noted(first.id, consult(), threaten()),
            noted(second.id, replace(consult(), confidence=0.5)),
            noted(third.id),  # annotated, no events
            noted(other.id, possible()),
        ]
    )
    got = store.story_events(story_id_for(first.id))
    assert got == [
        (first.id, consult()),
        (first.id, threaten()),
        (second.id, replace(consult(), confidence=0.5)),
    ]
    assert store.story_events(story_id_for(other.id)) == [(other.id, possible())]
    assert store.story_events("st_nosuchstory") == []
