"""Stories in the store, on every backend: memberships, merges, summaries, listing, state."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select

from newsfuse.errors import StoreError
from newsfuse.model import Article, Story, StoryAssignment, StoryMerge, story_id_for
from newsfuse.store import Store, StoryFilter, StoryMember, head_revision
from newsfuse.store.schema import stories, story_members

STORY_TABLES = {"cluster_features", "story_members", "stories", "story_merges", "cluster_state"}
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))


def art(
    name: str,
    *,
    hours: float | None = 0,
    outlet: str | None = "Daily Planet",
    title: str | None = "",
    language: str | None = "en",
) -> Article:
    """A small fictional article; `hours` after T0 (None: undated)."""
    return Article(
        id=f"{name:0<20}"[:20],
        source=f"/corpus/{name}.html",
        text=f"Body of {name}.",
        title=f"Title of {name}" if title == "" else title,
        url=f"https://{(outlet or 'unknown').lower().replace(' ', '')}.example/{name}",
        outlet=outlet,
        published=T0 + timedelta(hours=hours) if hours is not None else None,
        language=language,
        produced_by="tests",
    )


def sid(article: Article) -> str:
    return story_id_for(article.id)


def assign(
    article: Article,
    story: Article,
    seq: int,
    *,
    score: float = 0.5,
    duplicate_of: Article | None = None,
    outlet_key: str | None = None,
) -> StoryAssignment:
    """`article` placed in the story that `story` opened."""
    return StoryAssignment(
        article_id=article.id,
        story_id=sid(story),
        seq=seq,
        score=0.0 if article is story else score,
        duplicate_of=duplicate_of.id if duplicate_of is not None else None,
        duplicate_similarity=0.9 if duplicate_of is not None else None,
        outlet_key=outlet_key or (article.outlet or "").lower(),
        produced_by="tests.cluster.v1",
    )


def merge(merged: Article, into: Article, bridge: Article, seq: int) -> StoryMerge:
    return StoryMerge(
        merged_id=sid(merged), into_id=sid(into), seq=seq, article_id=bridge.id, score=0.61
    )


def add(store: Store, run_id: int, *articles: Article) -> None:
    store.add_articles(list(articles), run_id)


# -- schema ------------------------------------------------------------------------------------


def test_migration_creates_the_story_tables(store: Store, raw_db: Engine) -> None:
    with raw_db.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= STORY_TABLES
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    assert head_revision() >= "0002"  # this revision or a later one


# -- saving, reading ---------------------------------------------------------------------------


def test_save_then_list_get_and_members(store: Store, run_id: int) -> None:
    quake = art("quake", hours=0, outlet="Daily Planet")
    wire = art("quakewire", hours=2, outlet="Gazette", language="es")
    follow = art("quakeafter", hours=30, outlet="Daily Planet")
    vote = art("vote", hours=5, outlet="Gazette")
    add(store, run_id, quake, wire, follow, vote)
    store.save_clustering(
        [
            assign(quake, quake, 0),
            assign(wire, quake, 1, score=0.8, duplicate_of=quake),
            assign(vote, vote, 2),
            assign(follow, quake, 3, score=0.7),
        ],
        [],
        b"state-1",
        4,
    )
    listed = store.list_stories()
    assert [s.id for s in listed] == [sid(quake), sid(vote)]
    story = store.get_story(sid(quake))
    assert story == listed[0]
    assert story == Story(
        id=sid(quake),
        title="Title of quake",
        first_published=T0,
        last_published=T0 + timedelta(hours=30),
        article_count=3,
        outlet_count=2,
        independent_origin_count=2,  # the wire copy is not an independent origin
        outlets=("Daily Planet", "Gazette"),
        languages=("en", "es"),
    )
    assert story.first_published is not None and story.first_published.tzinfo is not None
    assert store.count_stories() == 2
    assert store.get_story("st_nosuchstory0000") is None

    members = store.story_members(sid(quake))
    assert [m.article_id for m in members] == [quake.id, wire.id, follow.id]
    assert members[1] == StoryMember(
        article_id=wire.id,
        story_id=sid(quake),
        seq=1,
        score=0.8,
        duplicate_of=quake.id,
        duplicate_similarity=0.9,
        outlet_key="gazette",
        title="Title of quakewire",
        outlet="Gazette",
        url=wire.url,
        published=T0 + timedelta(hours=2),
        language="es",
    )
    assert store.story_members("st_nosuchstory0000") == []
    assert store.load_cluster_state() == (b"state-1", 4)


def test_get_articles_in_bulk(store: Store, run_id: int) -> None:
    a, b = art("a"), art("b", hours=1)
    add(store, run_id, a, b)
    assert store.get_articles([a.id, "missing", b.id, a.id]) == {a.id: a, b.id: b}
    assert len(store.get_articles([f"missing-{n}" for n in range(1200)] + [b.id])) == 1


def test_memberships_for_export(store: Store, run_id: int) -> None:
    a, b, c = art("a", hours=0), art("b", hours=1), art("c", hours=2)
    add(store, run_id, a, b, c)
    saved = [assign(a, a, 0), assign(b, a, 1, duplicate_of=a)]
    store.save_clustering(saved, [], b"", 2)
    found = store.memberships([a.id, b.id, c.id, "missing"])
    assert found == {a.id: saved[0], b.id: saved[1]}
    many = [f"missing-{n}" for n in range(1200)] + [b.id]
    assert store.memberships(many) == {b.id: saved[1]}


def test_title_falls_back_to_the_earliest_member_with_one(store: Store, run_id: int) -> None:
    untitled = art("untitled", title=None)
    blank = art("blank", hours=1, title="   ")
    titled = art("titled", hours=2, title="Second headline")
    later = art("later", hours=3, title="Third headline")
    add(store, run_id, untitled, blank, titled, later)
    store.save_clustering(
        [assign(untitled, untitled, 0), assign(blank, untitled, 1), assign(later, untitled, 3)],
        [],
        b"",
        2,
    )
    assert store.get_story(sid(untitled)).title == "Third headline"  # type: ignore[union-attr]
    store.save_clustering([assign(titled, untitled, 2)], [], b"", 4)
    assert store.get_story(sid(untitled)).title == "Second headline"  # type: ignore[union-attr]

    lone = art("lone", title=None, hours=None, outlet=None, language=None)
    add(store, run_id, lone)
    store.save_clustering([assign(lone, lone, 4, outlet_key="lone.example")], [], b"", 5)
    assert store.get_story(sid(lone)) == Story(
        id=sid(lone),
        title=None,
        first_published=None,
        last_published=None,
        article_count=1,
        outlet_count=1,
        independent_origin_count=1,
        outlets=("lone.example",),  # no outlet name: the key stands in
        languages=(),
    )


def test_counts_outlets_by_key_and_origins_by_duplicate_links(store: Store, run_id: int) -> None:
    first = art("first", outlet="BBC News")
    same_outlet = art("same", hours=1, outlet="BBC")
    copy1 = art("copy1", hours=2, outlet="Wire Service")
    copy2 = art("copy2", hours=3, outlet="Herald")
    add(store, run_id, first, same_outlet, copy1, copy2)
    store.save_clustering(
        [
            assign(first, first, 0, outlet_key="bbc.co.uk"),
            assign(same_outlet, first, 1, outlet_key="bbc.co.uk"),
            assign(copy1, first, 2, outlet_key="wire", duplicate_of=first),
            assign(copy2, first, 3, outlet_key="herald", duplicate_of=first),
        ],
        [],
        b"",
        4,
    )
    story = store.get_story(sid(first))
    assert story is not None
    assert (story.article_count, story.outlet_count, story.independent_origin_count) == (4, 3, 2)
    # One name per outlet key, the first member's.
    assert story.outlets == ("BBC News", "Herald", "Wire Service")


# -- merges ------------------------------------------------------------------------------------


@pytest.fixture
def three_stories(store: Store, run_id: int) -> dict[str, Article]:
    """Stories x (opened first), y and z, each with one more article."""
    items = {
        "x": art("x", hours=0),
        "x2": art("x2", hours=1, outlet="Gazette"),
        "y": art("y", hours=2),
        "y2": art("y2", hours=3, outlet="Herald"),
        "z": art("z", hours=4),
        "z2": art("z2", hours=5, outlet="Courier"),
    }
    add(store, run_id, *items.values())
    x, y, z = items["x"], items["y"], items["z"]
    store.save_clustering(
        [
            assign(x, x, 0),
            assign(items["x2"], x, 1),
            assign(y, y, 2),
            assign(items["y2"], y, 3),
            assign(z, z, 4),
            assign(items["z2"], z, 5),
        ],
        [],
        b"",
        6,
    )
    return items


def test_a_merge_moves_members_and_the_old_id_resolves(
    store: Store, run_id: int, raw_db: Engine, three_stories: dict[str, Article]
) -> None:
    x, y = three_stories["x"], three_stories["y"]
    bridge = art("bridge", hours=6, outlet="Bridge Post")
    add(store, run_id, bridge)
    store.save_clustering([assign(bridge, x, 6)], [merge(y, x, bridge, 6)], b"", 7)

    assert store.resolve_story_id(sid(y)) == sid(x)
    assert store.get_story(sid(y)) == store.get_story(sid(x))
    merged = store.get_story(sid(x))
    assert merged is not None
    assert merged.article_count == 5 and merged.outlet_count == 4
    assert merged.title == "Title of x" and merged.last_published == T0 + timedelta(hours=6)
    assert [m.article_id for m in store.story_members(sid(y))] == [
        three_stories[k].id for k in ("x", "x2", "y", "y2")
    ] + [bridge.id]
    assert {a.story_id for a in store.memberships([three_stories["y2"].id]).values()} == {sid(x)}
    assert store.story_merges_of(sid(x)) == [merge(y, x, bridge, 6)]
    assert store.story_merges_of(sid(y)) == [merge(y, x, bridge, 6)]  # alias: its survivor's
    assert store.story_merges_of(sid(three_stories["z"])) == []
    assert sorted(s.id for s in store.list_stories()) == sorted([sid(x), sid(three_stories["z"])])
    with raw_db.connect() as conn:  # the merged story's summary row is gone
        assert conn.execute(select(stories.c.id).where(stories.c.id == sid(y))).first() is None
        count = select(func.count()).where(story_members.c.story_id == sid(y))
        assert conn.execute(count).scalar_one() == 0


def test_merge_chains_resolve_to_the_last_survivor(
    store: Store, run_id: int, three_stories: dict[str, Article]
) -> None:
    x, y, z = three_stories["x"], three_stories["y"], three_stories["z"]
    b1, b2 = art("bridge1", hours=6), art("bridge2", hours=7)
    add(store, run_id, b1, b2)
    store.save_clustering([assign(b1, y, 6)], [merge(z, y, b1, 6)], b"", 7)  # z -> y
    store.save_clustering([assign(b2, x, 7)], [merge(y, x, b2, 7)], b"", 8)  # y -> x
    for alias in (x, y, z):
        assert store.resolve_story_id(sid(alias)) == sid(x)
        assert store.get_story(sid(alias)).id == sid(x)  # type: ignore[union-attr]
    assert store.count_stories() == 1
    assert store.get_story(sid(x)).article_count == 8  # type: ignore[union-attr]
    assert store.story_merges_of(sid(z)) == [merge(z, y, b1, 6), merge(y, x, b2, 7)]


def test_merges_in_one_batch_with_members_of_the_merged_stories(
    store: Store, run_id: int, three_stories: dict[str, Article]
) -> None:
    """In a batch, a member may join a story that a later article of the batch merges away,
    and a merge may name an alias as its survivor: members still end in the live story."""
    x, y, z = three_stories["x"], three_stories["y"], three_stories["z"]
    joins_z, b1, b2 = art("joinsz", hours=6), art("bridge1", hours=7), art("bridge2", hours=8)
    add(store, run_id, joins_z, b1, b2)
    store.save_clustering(
        [assign(joins_z, z, 6), assign(b1, y, 7), assign(b2, y, 8)],
        [merge(z, y, b1, 7), merge(y, x, b2, 8)],
        b"",
        9,
    )
    assert [s.id for s in store.list_stories()] == [sid(x)]
    assert {m.story_id for m in store.story_members(sid(x))} == {sid(x)}
    assert len(store.story_members(sid(z))) == 9
    assert store.get_story(sid(x)).article_count == 9  # type: ignore[union-attr]


def test_a_merge_loop_is_refused(
    store: Store, run_id: int, three_stories: dict[str, Article]
) -> None:
    x, y = three_stories["x"], three_stories["y"]
    bridge = art("bridge", hours=6)
    add(store, run_id, bridge)
    with pytest.raises(StoreError, match="loop"):
        store.save_clustering(
            [assign(bridge, x, 6)], [merge(y, x, bridge, 6), merge(x, y, bridge, 6)], b"", 7
        )
    assert store.count_stories() == 3


# -- idempotency -------------------------------------------------------------------------------


def test_an_article_is_saved_once_a_second_save_fails_and_changes_nothing(
    store: Store, run_id: int, raw_db: Engine
) -> None:
    a, b = art("a"), art("b", hours=1)
    add(store, run_id, a, b)
    store.save_clustering([assign(a, a, 0)], [], b"first", 1)
    with pytest.raises(StoreError, match=f"article {a.id} is already in story {sid(a)}"):
        store.save_clustering([assign(b, b, 1), assign(a, b, 2)], [], b"second", 3)
    with pytest.raises(StoreError, match="assigned twice"):
        store.save_clustering([assign(b, b, 1), assign(b, b, 2)], [], b"second", 3)
    with pytest.raises(StoreError, match="seq"):
        store.save_clustering([assign(b, b, 0)], [], b"second", 3)  # position 0 is taken
    with raw_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(story_members)).scalar_one() == 1
    assert store.memberships([a.id, b.id]) == {a.id: assign(a, a, 0)}
    assert store.load_cluster_state() == (b"first", 1)
    assert store.count_stories() == 1


# -- listing -----------------------------------------------------------------------------------


@pytest.fixture
def listed(store: Store, run_id: int) -> dict[str, Article]:
    """Founders of six stories with spans and outlets to filter on."""
    items = {
        "old": art("old", hours=-48, outlet="Gazette"),
        "mid": art("mid", hours=0, outlet="Le Monde Diplomatique", title="Élection à Paris"),
        "new": art("new", hours=24, outlet="Daily Planet", title="Flood: 50% of town"),
        "tie1": art("tie1", hours=12),
        "tie2": art("tie2", hours=12),
        "undated": art("undated", hours=None, outlet="Herald"),
    }
    extra = {
        "mid+": art("midlater", hours=30, outlet="Courier"),
        "mid++": art("midlatest", hours=31, outlet="Gazette"),
    }
    add(store, run_id, *items.values(), *extra.values())
    assignments = [assign(a, a, seq) for seq, a in enumerate(items.values())]
    assignments += [assign(extra["mid+"], items["mid"], 6), assign(extra["mid++"], items["mid"], 7)]
    store.save_clustering(assignments, [], b"", 8)
    return items


def _names(found: list[Story], items: dict[str, Article]) -> list[str]:
    by_id = {sid(article): name for name, article in items.items()}
    return [by_id[story.id] for story in found]


def test_listing_order_newest_first_undated_last(store: Store, listed: dict[str, Article]) -> None:
    order = ["mid", "new", "tie1", "tie2", "old", "undated"]
    assert _names(store.list_stories(), listed) == order
    assert _names(store.list_stories(limit=2), listed) == order[:2]


STORY_FILTERS = {
    "since: span reaches it": (StoryFilter(since=T0 + timedelta(hours=25)), ["mid"]),
    "until: span starts before it": (StoryFilter(until=T0), ["old"]),
    "overlap": (
        StoryFilter(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=13)),
        ["mid", "tie1", "tie2"],
    ),
    "until with a zone": (
        StoryFilter(until=datetime(2024, 3, 1, 13, 0, tzinfo=CET)),  # 12:00 UTC: exclusive
        ["old"],
    ),
    "outlet substring, any case": (StoryFilter(outlet="monde"), ["mid"]),
    "outlet of a later member": (StoryFilter(outlet="courier"), ["mid"]),
    "outlet matching several": (StoryFilter(outlet="GAZETTE"), ["mid", "old"]),
    "min articles": (StoryFilter(min_articles=3), ["mid"]),
    "title query, % literal": (StoryFilter(query="50% OF"), ["new"]),
    "title query unicode": (StoryFilter(query="Élection"), ["mid"]),
    "combined": (StoryFilter(outlet="planet", since=T0), ["new", "tie1", "tie2"]),
    "nothing": (StoryFilter(query="no such words"), []),
}


@pytest.mark.parametrize(("story_filter", "expected"), STORY_FILTERS.values(), ids=STORY_FILTERS)
def test_story_filters(
    store: Store, listed: dict[str, Article], story_filter: StoryFilter, expected: list[str]
) -> None:
    assert _names(store.list_stories(story_filter), listed) == expected
    assert store.count_stories(story_filter) == len(expected)


def test_keyset_paging_walks_the_same_order(store: Store, listed: dict[str, Article]) -> None:
    everything = store.list_stories(limit=100)
    for size in (1, 2, 4):
        pages: list[Story] = []
        page_filter = StoryFilter()
        while page := store.list_stories(page_filter, limit=size):
            pages.extend(page)
            page_filter = replace(page_filter, after=page[-1])
        assert pages == everything
        assert list(store.iter_stories(batch_size=size)) == everything
    after_tie = StoryFilter(after=everything[2])
    assert _names(store.list_stories(after_tie), listed) == ["tie2", "old", "undated"]
    assert store.count_stories(after_tie) == 3
    planet = StoryFilter(outlet="Planet")
    assert [s.id for s in store.iter_stories(planet, batch_size=1)] == [
        s.id for s in store.list_stories(planet)
    ]


# -- ids ---------------------------------------------------------------------------------------


def test_story_ids_by_prefix(store: Store, run_id: int) -> None:
    a1, a2, b = art("aaa1"), art("aaa2", hours=1), art("b_c", hours=2)
    bridge = art("zbridge", hours=3)
    add(store, run_id, a1, a2, b, bridge)
    store.save_clustering([assign(a1, a1, 0), assign(a2, a2, 1), assign(b, b, 2)], [], b"", 3)
    assert store.resolve_story_id("st_aaa1") == sid(a1)
    assert store.resolve_story_id("st_aaa") is None  # ambiguous
    assert store.find_story_ids("st_aaa") == [sid(a1), sid(a2)]
    assert store.find_story_ids("st_aaa", limit=1) == [sid(a1)]
    assert store.resolve_story_id("st_b_") == sid(b)
    assert store.resolve_story_id("st_b%") is None  # no wildcards
    assert store.resolve_story_id("nothing") is None and store.resolve_story_id("") is None
    store.save_clustering([assign(bridge, a1, 3)], [merge(a2, a1, bridge, 3)], b"", 4)
    # Both prefixes now name one live story: the merged id is an alias of its survivor.
    assert store.resolve_story_id("st_aaa") == sid(a1)
    assert store.resolve_story_id("st_aaa2") == sid(a1)
    assert store.find_story_ids("st_aaa") == [sid(a1)]


# -- state, reset, pending articles, features --------------------------------------------------


def test_cluster_state_round_trips_and_is_replaced(store: Store) -> None:
    assert store.load_cluster_state() is None
    blob = bytes(range(256)) * 1000
    store.save_clustering([], [], blob, 0)
    assert store.load_cluster_state() == (blob, 0)
    store.save_clustering([], [], b"\x00newer", 17)
    assert store.load_cluster_state() == (b"\x00newer", 17)


def test_pending_articles_in_arrival_order(store: Store, run_id: int) -> None:
    # Arrival is the order of the add_articles calls, not publication order.
    batches = [
        [art("late", hours=9)],
        [art("early", hours=-9), art("mid2")],
        [art("none", hours=None)],
    ]
    for batch in batches:
        add(store, run_id, *batch)
    arrival = [a.id for batch in batches for a in sorted(batch, key=lambda a: a.id)]
    assert [a.id for a in store.unclustered_articles()] == arrival
    assert store.unclustered_articles(limit=2) == [store.get_article(i) for i in arrival[:2]]
    assert store.count_unclustered() == 4

    first = store.get_article(arrival[0])
    assert first is not None
    store.save_clustering([assign(first, first, 0)], [], b"", 1)
    assert [a.id for a in store.unclustered_articles()] == arrival[1:]
    assert store.count_unclustered() == 3


def test_iter_unclustered_goes_on_after_each_saved_batch(store: Store, run_id: int) -> None:
    items = [art(f"item{n:02d}", hours=n) for n in range(7)]
    for item in items:
        add(store, run_id, item)
    seen: list[str] = []
    seq = 0
    for batch in store.iter_unclustered(batch_size=3):
        assert len(batch) <= 3
        store.save_clustering([assign(a, a, seq + i) for i, a in enumerate(batch)], [], b"", seq)
        seq += len(batch)
        seen += [a.id for a in batch]
    assert seen == [a.id for a in items]
    assert list(store.iter_unclustered()) == [] and store.count_unclustered() == 0


def test_features_are_kept_by_reset(store: Store, run_id: int) -> None:
    a, b, c = art("a"), art("b", hours=1), art("c", hours=2)
    add(store, run_id, a, b, c)
    store.put_features([(a.id, b"\x00\x01features-a", b"mh-a"), (b.id, b"features-b", None)])
    store.put_features([(a.id, b"ignored", None)])  # insert-or-ignore
    assert store.get_features([a.id, b.id, c.id]) == {
        a.id: (b"\x00\x01features-a", b"mh-a"),
        b.id: (b"features-b", None),
    }
    store.put_features([(a.id, b"newer", None)], produced_by="v2", replace=True)
    assert store.get_features([a.id]) == {a.id: (b"newer", None)}
    assert store.get_features([f"missing-{n}" for n in range(1200)]) == {}

    store.save_clustering([assign(a, a, 0), assign(b, a, 1)], [], b"state", 2)
    store.save_clustering([assign(c, c, 2)], [merge(c, a, c, 2)], b"state", 3)
    store.reset_clustering()
    assert store.load_cluster_state() is None
    assert store.count_stories() == 0 and store.list_stories() == []
    assert store.memberships([a.id, b.id, c.id]) == {}
    assert store.story_merges_of(sid(a)) == [] and store.resolve_story_id(sid(c)) is None
    assert store.count_unclustered() == 3
    assert set(store.get_features([a.id, b.id])) == {a.id, b.id}
    # A recluster saves the same articles again, from position 0.
    store.save_clustering([assign(a, a, 0), assign(b, b, 1), assign(c, c, 2)], [], b"again", 3)
    assert store.count_stories() == 3


# -- a large batch against a recomputation in Python -------------------------------------------


def test_a_large_batch_with_merges_matches_a_recomputation(store: Store, run_id: int) -> None:
    rng = random.Random(4)
    outlets = ["Gazette", "Herald", "Courier", "Daily Planet", None]
    articles = [
        art(
            f"big{n:04d}",
            hours=rng.choice([None, rng.uniform(-100, 100)]),
            outlet=rng.choice(outlets),
            language=rng.choice(["en", "fr", None]),
            title=rng.choice(["", None]),
        )
        for n in range(1200)
    ]
    add(store, run_id, *articles)
    story_of: dict[str, str] = {}  # founder story id of each article
    alias: dict[str, str] = {}
    assignments: list[StoryAssignment] = []
    merges: list[StoryMerge] = []
    founders: list[Article] = []

    def live(story_id: str) -> str:
        while story_id in alias:
            story_id = alias[story_id]
        return story_id

    for seq, article in enumerate(articles):
        if not founders or rng.random() < 0.3:
            founders.append(article)
            target = article
        else:
            target = rng.choice(founders)
        dup = None
        if target is not article and rng.random() < 0.2:
            dup = rng.choice(
                [a for a in articles[:seq] if live(story_of[a.id]) == live(sid(target))]
            )
        assignments.append(assign(article, target, seq, duplicate_of=dup))
        story_of[article.id] = sid(target)
        if target is not article and rng.random() < 0.05:
            other = rng.choice(founders)
            keep, gone = sorted({live(sid(target)), live(sid(other))})
            if keep != gone:  # the older story survives (ids sort like founders here)
                merges.append(StoryMerge(gone, keep, seq, article.id, 0.5))
                alias[gone] = keep
    half = 600
    store.save_clustering(assignments[:half], [m for m in merges if m.seq < half], b"", half)
    store.save_clustering(
        assignments[half:], [m for m in merges if m.seq >= half], b"", len(articles)
    )

    members: dict[str, list[tuple[StoryAssignment, Article]]] = defaultdict(list)
    for assignment, article in zip(assignments, articles, strict=True):
        members[live(assignment.story_id)].append((assignment, article))
    expected = {}
    for story_id, group in members.items():
        dates = [a.published for _, a in group if a.published is not None]
        keys: dict[str, str] = {}
        for assignment, article in group:
            if article.outlet:
                keys.setdefault(assignment.outlet_key, article.outlet)
        for assignment, _ in group:
            keys.setdefault(assignment.outlet_key, assignment.outlet_key)
        names = sorted({name for name in keys.values() if name}, key=lambda n: (n.casefold(), n))
        expected[story_id] = Story(
            id=story_id,
            title=next((a.title for _, a in group if a.title), None),
            first_published=min(dates) if dates else None,
            last_published=max(dates) if dates else None,
            article_count=len(group),
            outlet_count=len({s.outlet_key for s, _ in group}),
            independent_origin_count=sum(s.duplicate_of is None for s, _ in group),
            outlets=tuple(names),
            languages=tuple(sorted({a.language for _, a in group if a.language})),
        )
    got = {story.id: story for story in store.iter_stories(batch_size=97)}
    assert got == expected
    assert len(merges) > 5
    for gone, keep in alias.items():
        assert store.resolve_story_id(gone) == live(keep)


def test_an_outlet_known_only_by_its_source_is_listed_by_file_name() -> None:
    from newsfuse.store.records import unnamed_outlet

    assert unnamed_outlet("source:/data/seeds/003_page.txt") == "unknown (003_page.txt)"
    assert unnamed_outlet("lanternreview") == "lanternreview"
