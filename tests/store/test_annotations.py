"""Annotations in the store, on every backend: exact round trip, upsert, pending, contexts."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, update

from newsfuse.errors import StoreError
from newsfuse.model import (
    AnchorSource,
    Annotations,
    AnnotationStatus,
    Article,
    DateAnchor,
    DateMention,
    EntityMention,
    Granularity,
    MentionForm,
    PlaceMention,
    Quote,
    QuoteKind,
    StoryAssignment,
    StoryContext,
    story_id_for,
)
from newsfuse.store import Store, head_revision
from newsfuse.store import codec as store_codec
from newsfuse.store.schema import annotations_table, article_entities

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
WHEN = datetime(2025, 6, 1, 8, 30, 15, 123456, tzinfo=UTC)
TEXT = (
    "Mayor Tamsin Reyes met Orrin Vale in Port Aldane on 2024-02-28. "
    "“The harbour reopens in spring,” Reyes said. Valdoria's ‘council’ agreed.\n\n"
    "Ким Чен Ын — «встреча» 金正恩."
)


def art(name: str, *, hours: float = 0, text: str = TEXT, language: str | None = "en") -> Article:
    return Article(
        id=f"{name:0<20}"[:20],
        source=f"/corpus/{name}.html",
        text=text,
        title=f"Title of {name}",
        url=f"https://daily.example/{name}",
        outlet="Daily Planet",
        published=T0 + timedelta(hours=hours),
        language=language,
        produced_by="tests",
    )


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def entity(
    needle: str, actor_id: str | None, canonical: str | None, **extra: object
) -> EntityMention:
    start, end = span(TEXT, needle)
    return EntityMention(
        start, end, needle, str(extra.pop("label", "PERSON")), actor_id, canonical, **extra
    )  # type: ignore[arg-type]


def full(article_id: str) -> Annotations:
    """Every field of every mention type set to something other than its default."""
    q_start, q_end = span(TEXT, "The harbour reopens in spring,")
    s_start, s_end = span(TEXT, "Reyes", 1)
    c_start, c_end = span(TEXT, "said")
    d_start, d_end = span(TEXT, "2024-02-28")
    p_start, p_end = span(TEXT, "Port Aldane")
    return Annotations(
        article_id=article_id,
        status=AnnotationStatus.ANNOTATED,
        reason="truncated at 300000 characters",
        language="en",
        anchor=DateAnchor(date(2024, 3, 1), AnchorSource.STORY, year_only=True),
        entities=(
            entity(
                "Tamsin Reyes",
                "person:tamsin-reyes",
                "Tamsin Reyes",
                kind="person",
                country="VAL",
                role="mayor",
                form=MentionForm.NAME,
                produced_by="e.v1",
            ),
            entity("Orrin Vale", "person:orrin-vale", "Orrin Vale", kind="person", country="MRL"),
            entity(
                "Valdoria",
                "VAL",
                "Valdoria",
                label="GPE",
                kind="country",
                country="VAL",
                form=MentionForm.METONYM,
            ),
            entity("Ким Чен Ын", None, None, label="PERSON"),
            replace(
                entity("Tamsin Reyes", "person:tamsin-reyes", "Tamsin Reyes", kind="person"),
                start=s_start,
                end=s_end,
                text="Reyes",
                form=MentionForm.SHORT,
            ),
        ),  # fmt: skip
        quotes=(
            Quote(
                q_start,
                q_end,
                TEXT[q_start:q_end],
                QuoteKind.MIXED,
                "Reyes",
                s_start,
                s_end,
                "Tamsin Reyes",
                "person:tamsin-reyes",
                "person",
                "said",
                c_start,
                c_end,
                fragments=((q_start, q_start + 11), (q_start + 12, q_end)),
                produced_by="q.v1",
            ),
            Quote(0, 5, TEXT[0:5], QuoteKind.INDIRECT),
        ),  # fmt: skip
        dates=(
            DateMention(
                d_start,
                d_end,
                "2024-02-28",
                "2024-02-28",
                Granularity.DAY,
                date(2024, 2, 28),
                date(2024, 2, 28),
                relative=True,
                anchor=AnchorSource.PUBLISHED,
                produced_by="d",
            ),
            DateMention(0, 5, TEXT[0:5], "P18M", Granularity.DURATION),
            DateMention(0, 5, TEXT[0:5], None, Granularity.RANGE, anchor=AnchorSource.NONE),
        ),  # fmt: skip
        places=(
            PlaceMention(
                p_start,
                p_end,
                "Port Aldane",
                "Port Aldane",
                "VAL",
                44.123456789012,
                -12.5,
                "place:port-aldane",
                "city",
                "p.v1",
            ),
            PlaceMention(0, 5, TEXT[0:5], None, None),
        ),  # fmt: skip
        produced_by="newsfuse.annotate.v1",
        annotated_at=WHEN,
    )


def stored(store: Store, run_id: int, *articles: Article) -> None:
    store.add_articles(list(articles), run_id)


# -- schema ------------------------------------------------------------------------------------


def test_migration_creates_the_annotation_tables(store: Store, raw_db: Engine) -> None:
    with raw_db.connect() as conn:
        assert {"annotations", "article_entities"} <= set(inspect(conn).get_table_names())
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    assert head_revision() >= "0003"


# -- payload -----------------------------------------------------------------------------------


def test_the_payload_keeps_every_field_of_every_mention_type() -> None:
    given = full("a")
    entities, quotes, dates, places, _ = store_codec.decode_payload(
        store_codec.encode_mentions(given)
    )
    assert (entities, quotes, dates, places) == (
        given.entities,
        given.quotes,
        given.dates,
        given.places,
    )
    # A field added to a mention type later must be added to the codec too.
    samples = (given.entities[0], given.quotes[0], given.dates[0], given.places[0])
    for sample in samples:
        record = store_codec.mention_json(sample)
        assert set(record) == {f.name for f in fields(sample)}
        assert store_codec.mention_from_json(type(sample), record) == sample


def test_a_damaged_payload_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="annotate --all"):
        store_codec.decode_payload(b"not ours")
    with pytest.raises(StoreError, match="damaged"):
        store_codec.decode_payload(b"NFA1" + b"\x00garbage")


# -- round trip --------------------------------------------------------------------------------

ROUND_TRIPS = {
    "every field": full,
    "not annotated, no anchor": lambda i: Annotations(
        i, AnnotationStatus.NOT_ANNOTATED, reason="language de is not annotated (only en)",
        language="de", produced_by="newsfuse.annotate.v1", annotated_at=WHEN,
    ),
    "failed": lambda i: Annotations(
        i, AnnotationStatus.FAILED, reason="annotator failed (RuntimeError: boom)",
        produced_by="x", annotated_at=WHEN,
    ),
    "anchor without a day": lambda i: Annotations(
        i, AnnotationStatus.ANNOTATED, anchor=DateAnchor(None, AnchorSource.NONE),
        produced_by="x", annotated_at=WHEN,
    ),
}  # fmt: skip


@pytest.mark.parametrize("make", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_annotations_round_trip_exactly(store: Store, run_id: int, make) -> None:  # type: ignore[no-untyped-def]
    article = art("trip")
    stored(store, run_id, article)
    given = make(article.id)
    store.put_annotations([given])
    assert store.get_annotations(article.id) == given
    assert store.annotations_of([article.id, "missing"]) == {article.id: given}


def test_a_missing_time_becomes_the_storage_time(store: Store, run_id: int) -> None:
    article = art("notime")
    stored(store, run_id, article)
    before = datetime.now(UTC)
    store.put_annotations([replace(full(article.id), annotated_at=None)])
    back = store.get_annotations(article.id)
    assert back is not None and back.annotated_at is not None and back.annotated_at >= before


def test_unknown_article_is_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        store.put_annotations([full("no-such-article")])


# -- upsert ------------------------------------------------------------------------------------


def _entity_rows(raw_db: Engine, article_id: str) -> dict[str, tuple[object, ...]]:
    e = article_entities.c
    stmt = select(e.actor_id, e.canonical, e.kind, e.country, e.label, e.mentions).where(
        e.article_id == article_id
    )
    with raw_db.connect() as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(stmt)}


def test_put_is_an_idempotent_upsert_that_replaces_the_actors(
    store: Store, run_id: int, raw_db: Engine
) -> None:
    article = art("upsert")
    stored(store, run_id, article)
    first = full(article.id)
    store.put_annotations([first])
    store.put_annotations([first])
    assert store.get_annotations(article.id) == first
    assert _entity_rows(raw_db, article.id) == {
        "person:tamsin-reyes": ("Tamsin Reyes", "person", "VAL", "PERSON", 2),
        "person:orrin-vale": ("Orrin Vale", "person", "MRL", "PERSON", 1),
        "VAL": ("Valdoria", "country", "VAL", "GPE", 1),
    }  # the unresolved mention has no actor row

    again = replace(
        first, entities=first.entities[1:2], quotes=(), annotated_at=WHEN + timedelta(1)
    )
    store.put_annotations([again])
    assert store.get_annotations(article.id) == again
    assert set(_entity_rows(raw_db, article.id)) == {"person:orrin-vale"}
    with raw_db.connect() as conn:
        n = annotations_table.c
        count = (
            select(func.count()).select_from(annotations_table).where(n.article_id == article.id)
        )
        assert conn.execute(count).scalar_one() == 1


def test_the_last_of_two_items_for_one_article_wins(store: Store, run_id: int) -> None:
    article = art("twice")
    stored(store, run_id, article)
    failed = Annotations(
        article.id, AnnotationStatus.FAILED, reason="x", produced_by="p", annotated_at=WHEN
    )
    store.put_annotations([failed, full(article.id)])
    assert store.get_annotations(article.id) == full(article.id)


def test_entity_actor_counts(store: Store, run_id: int) -> None:
    one, two = art("count-one"), art("count-two", hours=1)
    stored(store, run_id, one, two)
    store.put_annotations([full(one.id), replace(full(two.id), entities=full(two.id).entities[:1])])
    assert store.entity_actor_counts() == {
        "person:tamsin-reyes": 2,
        "VAL": 1,
        "person:orrin-vale": 1,
    }


# -- pending -----------------------------------------------------------------------------------


def test_unannotated_articles_come_in_arrival_order_and_resume(store: Store, run_id: int) -> None:
    names = [f"pend{n:02d}" for n in range(7)]
    for name in names:  # one insert each: created_at increases
        stored(store, run_id, art(name, hours=-len(name)))
    ids = [art(name).id for name in names]
    assert store.count_unannotated() == 7
    batches = list(store.iter_unannotated(3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [a.id for b in batches for a in b] == ids

    seen: list[str] = []
    for batch in store.iter_unannotated(3):  # storing as it goes, like the runner
        seen.extend(a.id for a in batch)
        store.put_annotations([full(a.id) for a in batch[:2]])
    assert seen == ids
    assert store.count_unannotated() == 2
    left = [a.id for b in store.iter_unannotated(10) for a in b]
    assert left == [ids[2], ids[5]]

    store.reset_annotations()
    assert store.count_unannotated() == 7 and store.entity_actor_counts() == {}
    assert store.get_annotations(ids[0]) is None


def test_failed_and_skipped_articles_are_not_pending(store: Store, run_id: int) -> None:
    a, b = art("fail"), art("skip", hours=1)
    stored(store, run_id, a, b)
    store.put_annotations(
        [
            Annotations(a.id, AnnotationStatus.FAILED, reason="x", produced_by="p"),
            Annotations(b.id, AnnotationStatus.NOT_ANNOTATED, reason="no text", produced_by="p"),
        ]
    )
    assert store.count_unannotated() == 0 and list(store.iter_unannotated(5)) == []


def test_articles_stored_with_another_status_are_not_pending(
    store: Store, run_id: int, raw_db: Engine
) -> None:
    from newsfuse.store.schema import articles

    a = art("status")
    stored(store, run_id, a)
    with raw_db.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == a.id).values(status="withdrawn"))
    assert store.count_unannotated() == 0


# -- story contexts ----------------------------------------------------------------------------


def _assign(article: Article, founder: Article, seq: int) -> StoryAssignment:
    return StoryAssignment(
        article_id=article.id,
        story_id=story_id_for(founder.id),
        seq=seq,
        score=0.5,
        outlet_key="daily",
        produced_by="tests",
    )


def test_story_contexts_give_span_and_the_people_of_the_other_articles(
    store: Store, run_id: int
) -> None:
    first, second, third = art("ctx-1"), art("ctx-2", hours=5), art("ctx-3", hours=30)
    alone, unclustered = art("ctx-alone", hours=2), art("ctx-none", hours=3)
    stored(store, run_id, first, second, third, alone, unclustered)
    store.save_clustering(
        [_assign(first, first, 0), _assign(second, first, 1), _assign(alone, alone, 2),
         _assign(third, first, 3)],
        [], b"state", 4,
    )  # fmt: skip
    only_vale = replace(full(second.id), entities=full(second.id).entities[1:2])
    store.put_annotations([full(first.id), only_vale])

    contexts = store.story_contexts([first.id, second.id, third.id, alone.id, unclustered.id])
    story = story_id_for(first.id)
    end = T0 + timedelta(hours=30)
    people = (("person:orrin-vale", "Orrin Vale"), ("person:tamsin-reyes", "Tamsin Reyes"))
    assert contexts[third.id] == StoryContext(story, T0, end, people)  # story order, then id
    assert contexts[first.id] == StoryContext(
        story, T0, end, (("person:orrin-vale", "Orrin Vale"),)
    )
    assert contexts[second.id].people == people  # its own Vale counts once, from the first
    assert contexts[alone.id] == StoryContext(
        story_id_for(alone.id), T0 + timedelta(hours=2), T0 + timedelta(hours=2)
    )
    assert contexts[unclustered.id] == StoryContext()
    assert store.story_contexts([]) == {}


def test_story_contexts_carry_the_reporting_day_other_members_text_gives(
    store: Store, run_id: int
) -> None:
    first, second = art("txt-1"), art("txt-2", hours=1)
    stored(store, run_id, first, second)
    store.save_clustering([_assign(first, first, 0), _assign(second, first, 1)], [], b"s", 2)
    by_text = replace(full(first.id), anchor=DateAnchor(date(2023, 9, 15), AnchorSource.TEXT))
    store.put_annotations([by_text])

    contexts = store.story_contexts([first.id, second.id])
    assert contexts[second.id].text_anchor == date(2023, 9, 15)
    assert contexts[first.id].text_anchor is None  # never its own


def test_stories_naming_actors_is_a_lookup_by_actor(store: Store, run_id: int) -> None:
    first, second, other = art("act-1"), art("act-2", hours=1), art("act-3", hours=2)
    stored(store, run_id, first, second, other)
    store.save_clustering(
        [_assign(first, first, 0), _assign(second, first, 1), _assign(other, other, 2)],
        [], b"s", 3,
    )  # fmt: skip
    store.put_annotations([full(first.id), full(other.id)])
    mine = store.story_actors(story_id_for(first.id))
    assert mine and mine == store.story_actors(story_id_for(other.id))
    naming = store.stories_naming(mine)
    assert set(naming) == {story_id_for(first.id), story_id_for(other.id)}
    assert naming[story_id_for(other.id)] == mine
    assert store.stories_naming([]) == {}
