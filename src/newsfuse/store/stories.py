"""Stories in the store: what the clusterer saved, and the summaries listed from it.

`Store` opens the connection (and the transaction) and calls these; they hold the SQL.

What `save_clustering` keeps true after every commit:

- every `story_members` row names a live story, one with a `stories` row: a merge moves the
  merged story's members to the survivor;
- a merged id has a `story_merges` row (history, never rewritten) and resolves by following
  the chain (A merged into B, later B into C: A resolves to C);
- a `stories` row is the summary of its members, recomputed whenever a member or a merge
  touches the story: from grouped queries over the touched stories, never one per story.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from newsfuse.errors import StoreError
from newsfuse.model import Story, StoryAssignment, StoryMerge
from newsfuse.store import codec, search
from newsfuse.store.records import StoryFilter, StoryMember, unnamed_outlet
from newsfuse.store.schema import (
    article_entities,
    article_events,
    articles,
    cluster_features,
    cluster_state,
    stories,
    story_members,
    story_merges,
)

# Ids per IN (...) list: well under SQLite's bound-parameter limit.
IN_CHUNK = 500
STATE_NAME = "online"
# Aliases looked at when resolving a prefix: enough to tell one story from several.
_PREFIX_PROBE = 50


def insert_for(conn: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """INSERT with the dialect's ON CONFLICT clauses (same API on both backends)."""
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- features ----------------------------------------------------------------------------------


def put_features(
    conn: Connection,
    items: Sequence[tuple[str, bytes, bytes | None]],
    produced_by: str,
    now: datetime,
    *,
    replace: bool,
) -> None:
    first: dict[str, tuple[bytes, bytes | None]] = {}
    for article_id, features, minhash in items:
        first.setdefault(article_id, (features, minhash))
    if not first:
        return
    rows = [
        {
            "article_id": article_id,
            "features": features,
            "minhash": minhash,
            "produced_by": produced_by,
            "created_at": now,
        }
        for article_id, (features, minhash) in first.items()
    ]
    stmt = insert_for(conn, cluster_features)
    if replace:
        names = ("features", "minhash", "produced_by", "created_at")
        stmt = stmt.on_conflict_do_update(
            index_elements=["article_id"], set_={name: stmt.excluded[name] for name in names}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=["article_id"])
    conn.execute(stmt, rows)


def get_features(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[bytes, bytes | None]]:
    c = cluster_features.c
    found: dict[str, tuple[bytes, bytes | None]] = {}
    for chunk in chunks(sorted(set(ids))):
        stmt = select(c.article_id, c.features, c.minhash).where(c.article_id.in_(chunk))
        for row in conn.execute(stmt):
            minhash = bytes(row.minhash) if row.minhash is not None else None
            found[row.article_id] = (bytes(row.features), minhash)
    return found


# -- pending articles --------------------------------------------------------------------------


def unclustered() -> ColumnElement[bool]:
    """Articles no story holds yet."""
    m = story_members.c
    return ~select(m.article_id).where(m.article_id == articles.c.id).exists()


# -- saving ------------------------------------------------------------------------------------


def save_clustering(
    conn: Connection,
    assignments: Sequence[StoryAssignment],
    merges: Sequence[StoryMerge],
    state: bytes,
    seq: int,
    now: datetime,
) -> None:
    """Members, merges, the summaries they change and the clusterer state, in `conn`'s
    transaction. An article that is already in a story is an error (nothing is saved)."""
    _check_new(conn, assignments)
    if assignments:
        conn.execute(
            insert_for(conn, story_members), [codec.member_row(a, now) for a in assignments]
        )
    if merges:
        conn.execute(insert_for(conn, story_merges), [codec.merge_row(m, now) for m in merges])
    named = {a.story_id for a in assignments}
    named.update(m.into_id for m in merges)
    named.update(m.merged_id for m in merges)
    live = follow(conn, named)
    _move_aliases(conn, {alias: final for alias, final in live.items() if alias != final})
    refresh(conn, set(live.values()), now)
    values = {"data": state, "seq": seq, "updated_at": now}
    stmt = insert_for(conn, cluster_state).values(name=STATE_NAME, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=values))


def _check_new(conn: Connection, assignments: Sequence[StoryAssignment]) -> None:
    ids = [a.article_id for a in assignments]
    if len(set(ids)) != len(ids):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        raise StoreError(f"articles assigned twice in one batch: {', '.join(repeated[:5])}")
    seqs = [a.seq for a in assignments]
    if len(set(seqs)) != len(seqs):
        raise StoreError("two articles share one clustering position (seq) in one batch")
    m = story_members.c
    for chunk in chunks(ids):
        # No LIMIT: with one, PostgreSQL scans the table hoping for an early match.
        stmt = select(m.article_id, m.story_id).where(m.article_id.in_(chunk))
        found = conn.execute(stmt).first()
        if found is not None:
            raise StoreError(
                f"article {found.article_id} is already in story {found.story_id}; clustering"
                " saves each article once (is another clustering running? a recluster resets"
                " the stories first)"
            )


def _move_aliases(conn: Connection, moved: dict[str, str]) -> None:
    if not moved:
        return
    m = story_members.c
    stmt = (
        update(story_members)
        .where(m.story_id == bindparam("b_alias"))
        .values(story_id=bindparam("b_live"))
    )
    conn.execute(stmt, [{"b_alias": alias, "b_live": final} for alias, final in moved.items()])
    for chunk in chunks(sorted(moved)):
        conn.execute(delete(stories).where(stories.c.id.in_(chunk)))


def follow(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """Each id mapped to the story it resolves to through recorded merges (itself if none).

    One query per chain step over all ids at once, not one per id.
    """
    wanted = set(ids)
    into: dict[str, str] = {}
    seen = set(wanted)
    frontier = sorted(wanted)
    c = story_merges.c
    while frontier:
        found: list[str] = []
        for chunk in chunks(frontier):
            for merged, target in conn.execute(
                select(c.merged_id, c.into_id).where(c.merged_id.in_(chunk))
            ):
                into[merged] = target
                if target not in seen:
                    seen.add(target)
                    found.append(target)
        frontier = sorted(found)
    return {story_id: _chain_end(story_id, into) for story_id in wanted}


def _chain_end(story_id: str, into: dict[str, str]) -> str:
    current, passed = story_id, {story_id}
    while current in into:
        current = into[current]
        if current in passed:
            raise StoreError(f"story merges form a loop through {current}")
        passed.add(current)
    return current


def refresh(conn: Connection, story_ids: set[str], now: datetime) -> None:
    """Recompute the summary rows of `story_ids` from their members; a story left without
    members loses its row."""
    rows: list[dict[str, Any]] = []
    for chunk in chunks(sorted(story_ids)):
        summaries = _summaries(conn, chunk, now)
        rows.extend(summaries)
        present = {row["id"] for row in summaries}
        gone = [story_id for story_id in chunk if story_id not in present]
        if gone:
            conn.execute(delete(stories).where(stories.c.id.in_(gone)))
    if not rows:
        return
    stmt = insert_for(conn, stories)
    names = [column.name for column in stories.columns if column.name != "id"]
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"], set_={name: stmt.excluded[name] for name in names}
    )
    conn.execute(stmt, rows)


@dataclass(slots=True)
class _Tally:
    """One story's summary as its grouped rows come in."""

    articles: int = 0
    independent: int = 0
    first: datetime | None = None
    last: datetime | None = None
    opened: int | None = None
    updated: int | None = None
    title_seq: int | None = None
    # outlet key -> ((no name, first seq), display name): the earliest named member wins
    outlets: dict[str, tuple[tuple[bool, int], str]] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)

    def add(self, row: Sequence[Any]) -> None:
        """Fold in one grouped row (plain tuple access: these come by the thousand)."""
        (
            _story,
            key,
            outlet,
            language,
            articles_,
            independent,
            first,
            last,
            opened,
            updated,
            titled,
        ) = row
        self.articles += articles_
        self.independent += independent
        self.first = _least(self.first, first)
        self.last = _greatest(self.last, last)
        self.opened = _least(self.opened, opened)
        self.updated = _greatest(self.updated, updated)
        self.title_seq = _least(self.title_seq, titled)
        named = bool(outlet and outlet.strip())
        rank = (not named, opened)
        current = self.outlets.get(key)
        if current is None or rank < current[0]:
            self.outlets[key] = (rank, outlet.strip() if named else unnamed_outlet(key))
        if language is not None:
            self.languages.add(language)

    def outlet_names(self) -> list[str]:
        names = {name for _rank, name in self.outlets.values() if name}
        return sorted(names, key=lambda name: (name.casefold(), name))


def _least(current: Any, value: Any) -> Any:
    if value is None:
        return current
    return value if current is None or value < current else current


def _greatest(current: Any, value: Any) -> Any:
    if value is None:
        return current
    return value if current is None or value > current else current


def _summaries(conn: Connection, chunk: Sequence[str], now: datetime) -> list[dict[str, Any]]:
    """Summary rows of the stories in `chunk` that have members: one grouped query over their
    members (a row per story, outlet and language), then one for founders and titles."""
    m, a = story_members.c, articles.c
    joined = story_members.join(articles, a.id == m.article_id)
    has_title = and_(a.title.is_not(None), func.trim(a.title) != "")
    grouped = (
        select(
            m.story_id,
            m.outlet_key,
            a.outlet,
            a.language,
            func.count().label("articles"),
            func.count(case((m.duplicate_of.is_(None), 1))).label("independent"),
            func.min(a.published_utc).label("first"),
            func.max(a.published_utc).label("last"),
            func.min(m.seq).label("opened"),
            func.max(m.seq).label("updated"),
            func.min(case((has_title, m.seq))).label("title_seq"),
        )
        .select_from(joined)
        .where(m.story_id.in_(chunk))
        .group_by(m.story_id, m.outlet_key, a.outlet, a.language)
    )
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for row in conn.execute(grouped):
        tallies[row[0]].add(row)
    if not tallies:
        return []
    seqs = {t.opened for t in tallies.values()} | {t.title_seq for t in tallies.values()}
    by_seq: dict[int, tuple[str, str | None]] = {}
    for part in chunks(sorted(seq for seq in seqs if seq is not None)):
        stmt = select(m.seq, m.article_id, a.title).select_from(joined).where(m.seq.in_(part))
        by_seq.update({row.seq: (row.article_id, row.title) for row in conn.execute(stmt)})
    return [_summary_row(story_id, t, by_seq, now) for story_id, t in tallies.items()]


def _summary_row(
    story_id: str, t: _Tally, by_seq: dict[int, tuple[str, str | None]], now: datetime
) -> dict[str, Any]:
    assert t.opened is not None  # a story with members has a first one
    return {
        "id": story_id,
        "title": by_seq[t.title_seq][1] if t.title_seq is not None else None,
        "first_published": t.first,
        "last_published": t.last,
        "article_count": t.articles,
        "outlet_count": len(t.outlets),
        "independent_origin_count": t.independent,
        "outlets": t.outlet_names(),
        "languages": sorted(t.languages),
        "founder_article_id": by_seq[t.opened][0],
        "opened_seq": t.opened,
        "updated_seq": t.updated,
        "updated_at": now,
    }


def load_cluster_state(conn: Connection) -> tuple[bytes, int] | None:
    c = cluster_state.c
    row = conn.execute(select(c.data, c.seq).where(c.name == STATE_NAME)).first()
    return (bytes(row.data), int(row.seq)) if row is not None else None


def reset_clustering(conn: Connection) -> None:
    for table in (story_members, stories, story_merges, cluster_state):
        conn.execute(delete(table))


# -- reading -----------------------------------------------------------------------------------


def live_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        found.update(conn.execute(select(stories.c.id).where(stories.c.id.in_(chunk))).scalars())
    return found


def resolve_exact(conn: Connection, story_id: str) -> str | None:
    """The live story `story_id` is or was merged into; None when there is none."""
    final = follow(conn, [story_id])[story_id]
    return final if live_ids(conn, [final]) else None


def candidates(conn: Connection, prefix: str, limit: int) -> list[str]:
    """Live stories whose id, or the id of a story merged into them, starts with `prefix`."""
    s, g = stories.c, story_merges.c
    direct = conn.execute(
        select(s.id).where(s.id.startswith(prefix, autoescape=True)).order_by(s.id).limit(limit)
    ).scalars()
    aliases = conn.execute(
        select(g.merged_id)
        .where(g.merged_id.startswith(prefix, autoescape=True))
        .order_by(g.merged_id)
        .limit(max(limit, _PREFIX_PROBE))
    ).scalars()
    found = set(direct)
    finals = set(follow(conn, list(aliases)).values())
    found.update(live_ids(conn, finals))
    return sorted(found)[:limit]


def resolve(conn: Connection, text: str) -> str | None:
    if not text:
        return None
    exact = resolve_exact(conn, text)
    if exact is not None:
        return exact
    found = candidates(conn, text, 2)
    return found[0] if len(found) == 1 else None


def get_story(conn: Connection, story_id: str) -> Story | None:
    final = follow(conn, [story_id])[story_id]
    row = conn.execute(select(stories).where(stories.c.id == final)).first()
    return codec.story_from_row(row) if row is not None else None


def story_conditions(f: StoryFilter, dialect: str) -> list[ColumnElement[bool]]:
    c, m = stories.c, story_members.c
    conditions: list[ColumnElement[bool]] = []
    if f.since is not None:
        conditions.append(c.last_published >= codec.as_utc(f.since))
    if f.until is not None:
        conditions.append(c.first_published < codec.as_utc(f.until))
    if f.outlet:
        # The names as JSON text: a substring of one name is a substring of the list.
        conditions.append(cast(c.outlets, Text).icontains(f.outlet, autoescape=True))
    if f.min_articles is not None:
        conditions.append(c.article_count >= f.min_articles)
    if f.query:
        conditions.append(c.title.icontains(f.query, autoescape=True))
    if f.language:
        # As for outlets: the JSON list's text holds `"en"` exactly when "en" is in the list.
        conditions.append(cast(c.languages, Text).contains(f'"{f.language}"', autoescape=True))
    if f.entity:
        naming = select(article_entities.c.article_id).where(
            article_entities.c.actor_id == f.entity
        )
        conditions.append(c.id.in_(select(m.story_id).where(m.article_id.in_(naming))))
    if f.event_type:
        reporting = select(article_events.c.article_id).where(
            article_events.c.plover == f.event_type
        )
        conditions.append(c.id.in_(select(m.story_id).where(m.article_id.in_(reporting))))
    if f.search:
        matching = search.matching_ids(dialect, search.parse_query(f.search))
        conditions.append(c.id.in_(select(m.story_id).where(m.article_id.in_(matching))))
    if f.after is not None:
        conditions.append(_after(f.after))
    return conditions


def _after(last: Story) -> ColumnElement[bool]:
    """Stories listed after `last`: newest last article first, undated last, then by id."""
    c = stories.c
    if last.last_published is None:
        return and_(c.last_published.is_(None), c.id > last.id)
    published = codec.as_utc(last.last_published)
    return or_(
        c.last_published < published,
        and_(c.last_published == published, c.id > last.id),
        c.last_published.is_(None),
    )


def list_stories(conn: Connection, f: StoryFilter, limit: int) -> list[Story]:
    c = stories.c
    stmt = (
        select(stories)
        .where(*story_conditions(f, conn.dialect.name))
        .order_by(c.last_published.desc().nulls_last(), c.id)
        .limit(limit)
    )
    return [codec.story_from_row(row) for row in conn.execute(stmt)]


def count_stories(conn: Connection, f: StoryFilter) -> int:
    stmt = select(func.count()).select_from(stories).where(*story_conditions(f, conn.dialect.name))
    return int(conn.execute(stmt).scalar_one())


def members_of(conn: Connection, story_id: str) -> list[StoryMember]:
    final = follow(conn, [story_id])[story_id]
    m, a = story_members.c, articles.c
    stmt = (
        select(
            story_members,
            a.title,
            a.outlet,
            a.url,
            a.published_utc,
            a.language,
        )
        .select_from(story_members.join(articles, a.id == m.article_id))
        .where(m.story_id == final)
        .order_by(m.seq)
    )
    return [codec.story_member_from_row(row) for row in conn.execute(stmt)]


def memberships(conn: Connection, article_ids: Iterable[str]) -> dict[str, StoryAssignment]:
    m = story_members.c
    found: dict[str, StoryAssignment] = {}
    for chunk in chunks(sorted(set(article_ids))):
        for row in conn.execute(select(story_members).where(m.article_id.in_(chunk))):
            found[row.article_id] = codec.assignment_from_row(row)
    return found


def merges_into(conn: Connection, story_id: str) -> list[StoryMerge]:
    """Every merge whose chain ends in `story_id`'s live story, in clustering order."""
    final = follow(conn, [story_id])[story_id]
    c = story_merges.c
    found: list[StoryMerge] = []
    seen = {final}
    frontier = [final]
    while frontier:
        step: list[str] = []
        for chunk in chunks(frontier):
            for row in conn.execute(select(story_merges).where(c.into_id.in_(chunk))):
                merge = codec.merge_from_row(row)
                if merge.merged_id not in seen:
                    seen.add(merge.merged_id)
                    found.append(merge)
                    step.append(merge.merged_id)
        frontier = sorted(step)
    return sorted(found, key=lambda merge: (merge.seq, merge.merged_id))
