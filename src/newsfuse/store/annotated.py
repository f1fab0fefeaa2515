"""Annotated articles in the store: one row per article, and the actors it names.

(Not `annotations.py`: every module's `from __future__ import annotations` puts a name
`annotations` on the `newsfuse.store` package, which `from newsfuse.store import ...` would
find instead of the module.)

`Store` opens the connection (and the transaction) and calls these; they hold the SQL.

What `put_annotations` keeps true after every commit: an article has at most one
`annotations` row, its `article_entities` rows are exactly the distinct actors of that row's
entities, and its `article_events` rows exactly that row's events, numbered in order
(re-annotating replaces all three together).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
)

from newsfuse.model import AnchorSource, Annotations, Event, StoryContext
from newsfuse.store import codec
from newsfuse.store.records import EntityFilter, EntitySummary, EventFilter
from newsfuse.store.schema import (
    annotations_table,
    article_entities,
    article_events,
    article_speakers,
    articles,
    stories,
    story_members,
)
from newsfuse.store.stories import chunks, insert_for

ARTICLE_OK = "ok"
PERSON = "person"
_EMPTY = StoryContext()


# -- writing -----------------------------------------------------------------------------------


def put_annotations(conn: Connection, items: Sequence[Annotations], now: datetime) -> None:
    """Upsert each article's annotations row and replace its entity and event rows (the last
    item for an article wins), in `conn`'s transaction."""
    latest = {item.article_id: item for item in items}
    if not latest:
        return
    rows = [codec.annotations_row(item, now) for item in latest.values()]
    stmt = insert_for(conn, annotations_table)
    names = [column.name for column in annotations_table.columns if column.name != "article_id"]
    stmt = stmt.on_conflict_do_update(
        index_elements=["article_id"], set_={name: stmt.excluded[name] for name in names}
    )
    conn.execute(stmt, rows)
    e, v, q = article_entities.c, article_events.c, article_speakers.c
    for chunk in chunks(sorted(latest)):
        conn.execute(delete(article_entities).where(e.article_id.in_(chunk)))
        conn.execute(delete(article_events).where(v.article_id.in_(chunk)))
        conn.execute(delete(article_speakers).where(q.article_id.in_(chunk)))
    actors = [row for item in latest.values() for row in codec.actor_rows(item)]
    if actors:
        conn.execute(insert_for(conn, article_entities), actors)
    events = [row for item in latest.values() for row in codec.event_rows(item)]
    if events:
        conn.execute(insert_for(conn, article_events), events)
    speakers = [row for item in latest.values() for row in codec.speaker_rows(item)]
    if speakers:
        conn.execute(insert_for(conn, article_speakers), speakers)


def reset_annotations(conn: Connection) -> None:
    conn.execute(delete(article_speakers))
    conn.execute(delete(article_events))
    conn.execute(delete(article_entities))
    conn.execute(delete(annotations_table))


# -- pending articles --------------------------------------------------------------------------


def unannotated() -> ColumnElement[bool]:
    """Articles stored fine that have no annotations row yet."""
    n = annotations_table.c
    no_row = ~select(n.article_id).where(n.article_id == articles.c.id).exists()
    return and_(articles.c.status == ARTICLE_OK, no_row)


# -- reading -----------------------------------------------------------------------------------


def get_annotations(conn: Connection, ids: Iterable[str]) -> dict[str, Annotations]:
    n = annotations_table.c
    found: dict[str, Annotations] = {}
    for chunk in chunks(sorted(set(ids))):
        for row in conn.execute(select(annotations_table).where(n.article_id.in_(chunk))):
            found[row.article_id] = codec.annotations_from_row(row)
    return found


def story_contexts(conn: Connection, article_ids: Iterable[str]) -> dict[str, StoryContext]:
    """Each article's story: its id, span, and the people its *other* annotated articles name
    (in the order the story met them). An article in no story gets an empty context."""
    wanted = sorted(set(article_ids))
    m, s = story_members.c, stories.c
    story_of: dict[str, str] = {}
    spans: dict[str, tuple[datetime | None, datetime | None]] = {}
    for chunk in chunks(wanted):
        stmt = (
            select(m.article_id, m.story_id, s.first_published, s.last_published)
            .select_from(story_members.outerjoin(stories, s.id == m.story_id))
            .where(m.article_id.in_(chunk))
        )
        for article_id, story_id, first, last in conn.execute(stmt):
            story_of[article_id] = story_id
            spans[story_id] = (first, last)
    people = _story_people(conn, set(story_of.values()))
    inferred = _story_text_anchors(conn, set(story_of.values()))
    contexts: dict[str, StoryContext] = {}
    for article_id in wanted:
        story_id = story_of.get(article_id)
        if story_id is None:
            contexts[article_id] = _EMPTY
            continue
        first, last = spans[story_id]
        named: dict[str, str] = {}
        for source_id, actor_id, canonical in people.get(story_id, ()):
            if source_id != article_id:
                named.setdefault(actor_id, canonical)
        days = [day for source_id, day in inferred.get(story_id, ()) if source_id != article_id]
        contexts[article_id] = StoryContext(
            story_id, first, last, tuple(named.items()), max(days) if days else None
        )
    return contexts


def _story_text_anchors(conn: Connection, story_ids: set[str]) -> dict[str, list[tuple[str, date]]]:
    """`story_id -> [(article_id, day)]`: the reporting days inferred from the text of its
    annotated members (undated pages whose text says when they were written)."""
    m, a = story_members.c, annotations_table.c
    found: dict[str, list[tuple[str, date]]] = {}
    for chunk in chunks(sorted(story_ids)):
        stmt = (
            select(m.story_id, a.article_id, a.anchor_day)
            .select_from(story_members.join(annotations_table, a.article_id == m.article_id))
            .where(
                m.story_id.in_(chunk),
                a.anchor_source == AnchorSource.TEXT.value,
                a.anchor_year_only.is_(False),
                a.anchor_day.is_not(None),
            )
        )
        for story_id, article_id, day in conn.execute(stmt):
            found.setdefault(story_id, []).append((article_id, day))
    return found


def stories_naming(conn: Connection, actor_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """`story_id -> which of actor_ids its articles name`, for every story naming any of them
    (the index on `article_entities.actor_id` makes this a lookup, not a scan)."""
    m, e = story_members.c, article_entities.c
    found: dict[str, set[str]] = {}
    for chunk in chunks(sorted(set(actor_ids))):
        stmt = (
            select(m.story_id, e.actor_id)
            .distinct()
            .select_from(article_entities.join(story_members, m.article_id == e.article_id))
            .where(e.actor_id.in_(chunk))
        )
        for story_id, actor_id in conn.execute(stmt):
            found.setdefault(story_id, set()).add(actor_id)
    return {story_id: frozenset(actors) for story_id, actors in found.items()}


def story_actors(conn: Connection, story_id: str) -> frozenset[str]:
    """Every actor id the story's articles name."""
    m, e = story_members.c, article_entities.c
    stmt = (
        select(e.actor_id)
        .distinct()
        .select_from(article_entities.join(story_members, m.article_id == e.article_id))
        .where(m.story_id == story_id)
    )
    return frozenset(conn.execute(stmt).scalars())


def _story_people(conn: Connection, story_ids: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """`story_id -> [(article_id, actor_id, canonical)]` of the persons its members name."""
    m, e = story_members.c, article_entities.c
    found: dict[str, list[tuple[str, str, str]]] = {}
    for chunk in chunks(sorted(story_ids)):
        stmt = (
            select(m.story_id, e.article_id, e.actor_id, e.canonical)
            .select_from(story_members.join(article_entities, e.article_id == m.article_id))
            .where(m.story_id.in_(chunk), e.kind == PERSON, e.canonical.is_not(None))
            .order_by(m.story_id, m.seq, e.actor_id)
        )
        for story_id, article_id, actor_id, canonical in conn.execute(stmt):
            found.setdefault(story_id, []).append((article_id, actor_id, canonical))
    return found


def entity_actor_counts(conn: Connection) -> dict[str, int]:
    """`actor_id -> how many articles name it`, most named first."""
    e = article_entities.c
    articles_ = func.count().label("articles")
    stmt = select(e.actor_id, articles_).group_by(e.actor_id).order_by(articles_.desc(), e.actor_id)
    return {actor_id: int(n) for actor_id, n in conn.execute(stmt)}


# -- events ------------------------------------------------------------------------------------


def story_events(conn: Connection, story_id: str) -> list[tuple[str, Event]]:
    """`(article_id, event)` of the story's members, in story order then article order."""
    m, v = story_members.c, article_events.c
    stmt = (
        select(article_events)
        .select_from(article_events.join(story_members, m.article_id == v.article_id))
        .where(m.story_id == story_id)
        .order_by(m.seq, v.idx)
    )
    return [(row.article_id, codec.event_from_row(row)) for row in conn.execute(stmt)]


def events_of(conn: Connection, article_ids: Iterable[str]) -> dict[str, tuple[Event, ...]]:
    """`article_id -> its events in article order`, for the ids that have any."""
    v = article_events.c
    found: dict[str, list[Event]] = {}
    for chunk in chunks(sorted(set(article_ids))):
        stmt = select(article_events).where(v.article_id.in_(chunk)).order_by(v.article_id, v.idx)
        for row in conn.execute(stmt):
            found.setdefault(row.article_id, []).append(codec.event_from_row(row))
    return {article_id: tuple(events) for article_id, events in found.items()}


def event_type_counts(conn: Connection) -> dict[str, int]:
    """`plover type -> number of stored events`, most frequent first."""
    v = article_events.c
    n = func.count().label("n")
    stmt = select(v.plover, n).group_by(v.plover).order_by(n.desc(), v.plover)
    return {plover: int(count) for plover, count in conn.execute(stmt)}


# -- entities and events as listed (the HTTP API and the web UI) --------------------------------


def _entity_rows(where: list[ColumnElement[bool]]) -> Select[Any]:
    """One row per actor: its names as stored (any article's; they agree), how many articles
    and stories name it."""
    e, m = article_entities.c, story_members.c
    n_articles = func.count().label("article_count")
    return (
        select(
            e.actor_id,
            func.max(e.canonical),
            func.max(e.kind),
            func.max(e.country),
            func.max(e.label),
            n_articles,
            func.count(m.story_id.distinct()),
        )
        .select_from(article_entities.outerjoin(story_members, m.article_id == e.article_id))
        .where(*where)
        .group_by(e.actor_id)
    )


def _entity_summary(row: Any) -> EntitySummary:
    actor_id, canonical, kind, country, label, n_articles, n_stories = row
    return EntitySummary(actor_id, canonical, kind, country, label, int(n_articles), int(n_stories))


def entity_summary(conn: Connection, actor_id: str) -> EntitySummary | None:
    row = conn.execute(_entity_rows([article_entities.c.actor_id == actor_id])).first()
    return _entity_summary(row) if row is not None else None


def list_entities(
    conn: Connection, f: EntityFilter, limit: int, offset: int
) -> list[EntitySummary]:
    """Actors matching `f`, most named first, then by id. The page is chosen on the entity
    index alone; story counts are read for that page only."""
    e = article_entities.c
    where: list[ColumnElement[bool]] = []
    if f.kind:
        where.append(e.kind == f.kind)
    if f.query:
        where.append(
            or_(
                e.canonical.icontains(f.query, autoescape=True),
                e.actor_id.icontains(f.query, autoescape=True),
            )
        )
    n_articles = func.count().label("article_count")
    page = conn.execute(
        select(e.actor_id, n_articles)
        .where(*where)
        .group_by(e.actor_id)
        .order_by(n_articles.desc(), e.actor_id)
        .limit(limit)
        .offset(offset)
    ).all()
    if not page:
        return []
    found = {
        row[0]: _entity_summary(row)
        for row in conn.execute(_entity_rows([e.actor_id.in_([a for a, _ in page])]))
    }
    return [found[actor_id] for actor_id, _ in page if actor_id in found]


def articles_naming(conn: Connection, actor_id: str, limit: int, offset: int) -> list[str]:
    """Ids of the articles naming `actor_id`, newest first (undated last), then by id."""
    by_actor = article_entities.c.actor_id == actor_id
    return _newest_first(conn, article_entities, by_actor, limit, offset)


def articles_quoting(conn: Connection, speaker_id: str, limit: int, offset: int) -> list[str]:
    """Ids of the articles quoting `speaker_id`, newest first (undated last), then by id."""
    by_speaker = article_speakers.c.speaker_id == speaker_id
    return _newest_first(conn, article_speakers, by_speaker, limit, offset)


def _newest_first(
    conn: Connection, index: Table, where: ColumnElement[bool], limit: int, offset: int
) -> list[str]:
    """The `article_id`s of `index` rows meeting `where`, by their articles' publication."""
    article_id, a = index.c.article_id, articles.c
    stmt = (
        select(article_id)
        .select_from(index.join(articles, a.id == article_id))
        .where(where)
        .order_by(a.published_utc.desc().nulls_last(), a.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.execute(stmt).scalars())


def list_events(
    conn: Connection, f: EventFilter, limit: int, offset: int
) -> list[tuple[str, Event]]:
    """`(article_id, event)` matching `f`, latest event date first (undated last)."""
    v, m = article_events.c, story_members.c
    where: list[ColumnElement[bool]] = []
    if f.plover:
        where.append(v.plover == f.plover)
    if f.actor:
        where.append(or_(v.source_actor == f.actor, v.target_actor == f.actor))
    if f.modality:
        where.append(v.modality == f.modality)
    if f.story_id:
        where.append(v.article_id.in_(select(m.article_id).where(m.story_id == f.story_id)))
    # Event dates are ISO strings ("2023-09-13", "2023-09", "2023-09-11/2023-09-15"): their
    # text order is their time order at the precision given.
    if f.since is not None:
        where.append(v.date >= f.since.isoformat())
    if f.until is not None:
        where.append(v.date < f.until.isoformat())
    stmt = (
        select(article_events)
        .where(*where)
        .order_by(v.date.desc().nulls_last(), v.article_id, v.idx)
        .limit(limit)
        .offset(offset)
    )
    return [(row.article_id, codec.event_from_row(row)) for row in conn.execute(stmt)]


# -- related stories ---------------------------------------------------------------------------

COMMON_ACTOR_SHARE = 0.05
"""An actor named in more than this share of annotated articles (and at least
`COMMON_ACTOR_MIN` of them) is too common to make stories related on its own."""
COMMON_ACTOR_MIN = 50
_RELATED_CANDIDATES = 60
_CANDIDATE_ACTORS = 8


def related_stories(
    conn: Connection, story_id: str, min_shared: int, limit: int
) -> list[tuple[str, tuple[str, ...], float]]:
    """`(story_id, shared actor ids, score)` of the stories sharing at least `min_shared`
    actors with `story_id`, at least one of them not common, best first. The score sums the
    shared actors' inverse document frequencies, so two stories about Amur Oblast and Kim Jong
    Un relate more than two that both mention the United States.

    Candidates come from the uncommon actors alone (an indexed lookup that returns a few
    hundred rows, where "USA" alone would return most of the store)."""
    mine = story_actors(conn, story_id)
    if len(mine) < min_shared:
        return []
    e, m = article_entities.c, story_members.c
    df = dict(
        conn.execute(
            select(e.actor_id, func.count())
            .where(e.actor_id.in_(sorted(mine)))
            .group_by(e.actor_id)
        ).all()
    )
    total = int(conn.execute(select(func.count()).select_from(annotations_table)).scalar_one())
    common_above = max(COMMON_ACTOR_MIN, COMMON_ACTOR_SHARE * total)
    # Candidates come from the rarest actors: the most telling, and the fewest rows to read.
    rarest = sorted((df.get(a, 0), a) for a in mine if df.get(a, 0) <= common_above)
    distinctive = sorted(a for _, a in rarest[:_CANDIDATE_ACTORS])
    if not distinctive:
        return []
    pairs = (
        select(m.story_id, e.actor_id)
        .distinct()
        .select_from(article_entities.join(story_members, m.article_id == e.article_id))
        .where(e.actor_id.in_(distinctive), m.story_id != story_id)
        .subquery()
    )
    shared_n = func.count().label("shared")
    candidates = [
        row[0]
        for row in conn.execute(
            select(pairs.c.story_id, shared_n)
            .group_by(pairs.c.story_id)
            .order_by(shared_n.desc(), pairs.c.story_id)
            .limit(_RELATED_CANDIDATES)
        )
    ]
    if not candidates:
        return []
    # The candidates' actors, read from their members (a few hundred articles by primary key)
    # rather than by actor, which for a common actor would read most of the index.
    story_of = dict(
        conn.execute(select(m.article_id, m.story_id).where(m.story_id.in_(candidates))).all()
    )
    shared: dict[str, set[str]] = {}
    for chunk in chunks(sorted(story_of)):
        for article_id, actor in conn.execute(
            select(e.article_id, e.actor_id).where(
                e.article_id.in_(chunk), e.actor_id.in_(sorted(mine))
            )
        ):
            shared.setdefault(story_of[article_id], set()).add(actor)
    idf = {a: math.log(1 + total / max(1, df.get(a, 1))) for a in mine}
    scored = [
        (other, tuple(sorted(actors)), round(sum(idf[a] for a in actors), 4))
        for other, actors in shared.items()
        if len(actors) >= min_shared
    ]
    scored.sort(key=lambda t: (-t[2], t[0]))
    return scored[:limit]
